"""Org pages: the agency tree, the 权责清单 (list, versions, edit, import,
export) and account administration for the separated administrators."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fazhi.web.tables import Column, DataTable, Filter

from . import queries, roles
from .forms import GrantForm, ImportForm, ResponsibilityItemForm, UserCreateForm
from .models import Agency, Membership, ResponsibilityItem, User
from .policy import get_scoped_or_404, has_perm_anywhere
from .responsibility import responsibility_item_create, responsibility_item_revise
from .responsibility_xlsx import export_items, import_items
from .services import (
    account_unlock,
    membership_grant,
    membership_revoke,
    user_create,
    user_set_active,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _apply_errors(form: Any, exc: ValidationError) -> None:
    for field, msgs in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, msgs)


@login_required
def agency_tree(request: HttpRequest) -> HttpResponse:
    user = request.user
    agencies = queries.agency_tree_for_admin(user)
    if not agencies.exists() and has_perm_anywhere(user, roles.ROLES_GRANT):
        agencies = Agency.objects.all()  # roles are granted on agencies
    if not agencies.exists():
        agencies = queries.agencies_for(user, roles.CASE_VIEW) | queries.agencies_for(
            user, roles.RESPONSIBILITY_VIEW
        )
    if not agencies.exists():
        raise Http404
    return render(
        request,
        "org/agency_tree.html",
        {
            "agencies": agencies.distinct(),
            "can_see_items": has_perm_anywhere(user, roles.RESPONSIBILITY_VIEW),
            "can_admin_users": has_perm_anywhere(user, roles.USERS_MANAGE)
            or has_perm_anywhere(user, roles.ROLES_GRANT),
        },
    )


def _item_filters() -> list[Filter]:
    return [
        Filter(
            "q",
            gettext_lazy("关键词"),
            kind="text",
            placeholder=gettext_lazy("名称、编码或依据"),
        ),
        Filter(
            "item_type",
            gettext_lazy("事项类型"),
            choices=ResponsibilityItem.ItemType.choices,
        ),
        Filter(
            "agency",
            gettext_lazy("实施机关"),
            choices_for=lambda u: [
                (a.code, "　" * a.depth + a.name)
                for a in queries.agencies_for(u, roles.RESPONSIBILITY_VIEW)
            ],
        ),
        Filter("history", gettext_lazy("含历史版本"), kind="bool"),
    ]


ITEM_COLUMNS = [
    Column(
        "code",
        gettext_lazy("事项编码"),
        css="nowrap",
        order_by="code",
        link=lambda i: f"/staff/org/responsibility/{i.code}/",
    ),
    Column("name", gettext_lazy("事项名称"), order_by="name"),
    Column("item_type", gettext_lazy("类型"), order_by="item_type", css="nowrap"),
    Column("agency.name", gettext_lazy("实施机关"), order_by="agency__path"),
    Column("legal_basis", gettext_lazy("设定依据")),
    Column(
        "effective_from",
        gettext_lazy("生效日期"),
        order_by="effective_from",
        css="nowrap",
    ),
    Column("version", gettext_lazy("版本")),
]


@login_required
def responsibility_list(request: HttpRequest) -> HttpResponse:
    if not has_perm_anywhere(request.user, roles.RESPONSIBILITY_VIEW):
        raise Http404
    table = DataTable(
        request, columns=ITEM_COLUMNS, filters=_item_filters(), export_name=None
    )
    v = table.values
    agency = None
    if v.get("agency"):
        agency = (
            queries.agencies_for(request.user, roles.RESPONSIBILITY_VIEW)
            .filter(code=v["agency"])
            .first()
        )
    items = queries.responsibility_items(
        request.user,
        q=v.get("q", ""),
        item_type=v.get("item_type", ""),
        agency=agency,
        history=bool(v.get("history")),
    )
    if request.GET.get("format") == "xlsx":
        if not has_perm_anywhere(request.user, roles.EXPORT):
            raise PermissionDenied
        data = export_items(
            actor=request.user, items=items.filter(is_current=True), filters=dict(v)
        )
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="quanze-qingdan.xlsx"'
        return response
    table.bind(items)
    return render(
        request,
        "org/responsibility_list.html",
        {
            "table": table,
            "can_manage": has_perm_anywhere(request.user, roles.RESPONSIBILITY_MANAGE),
            "can_export": has_perm_anywhere(request.user, roles.EXPORT),
        },
    )


@login_required
def responsibility_detail(request: HttpRequest, code: str) -> HttpResponse:
    versions = queries.responsibility_item_versions(request.user, code)
    return render(
        request,
        "org/responsibility_detail.html",
        {
            "item": versions[0],
            "versions": versions,
            "can_manage": has_perm_anywhere(request.user, roles.RESPONSIBILITY_MANAGE),
        },
    )


@login_required
def responsibility_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    user = request.user
    if not has_perm_anywhere(user, roles.RESPONSIBILITY_MANAGE):
        raise Http404
    agencies = queries.agencies_for(user, roles.RESPONSIBILITY_MANAGE)
    current = None
    if code is not None:
        current = get_scoped_or_404(
            user,
            roles.RESPONSIBILITY_MANAGE,
            ResponsibilityItem.objects.all(),
            code=code,
            is_current=True,
        )
    initial = (
        {
            f: getattr(current, f)
            for f in (
                "code",
                "name",
                "item_type",
                "legal_basis",
                "agency",
                "effective_from",
                "effective_to",
            )
        }
        if current
        else {}
    )
    form = ResponsibilityItemForm(
        request.POST or None,
        initial=initial,
        agencies=agencies,
        editing=current is not None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if current is None:
                item = responsibility_item_create(actor=user, **data)
            else:
                data.pop("code")
                item = responsibility_item_revise(actor=user, item=current, **data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("agency", str(exc))
        else:
            messages.success(
                request,
                _("已保存：%(code)s 第 %(v)d 版")
                % {"code": item.code, "v": item.version},
            )
            return redirect("org:responsibility_detail", code=item.code)
    return render(
        request, "org/responsibility_edit.html", {"form": form, "current": current}
    )


@login_required
def responsibility_import(request: HttpRequest) -> HttpResponse:
    if not has_perm_anywhere(request.user, roles.RESPONSIBILITY_MANAGE):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = import_items(
            actor=request.user,
            file=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
        )
    return render(
        request,
        "org/responsibility_import.html",
        {
            "form": form,
            "report": report,
            "dry_run": form.cleaned_data.get("dry_run") if report else None,
        },
    )


def _admin(request: HttpRequest) -> Any:
    user = request.user
    if not (
        has_perm_anywhere(user, roles.USERS_MANAGE)
        or has_perm_anywhere(user, roles.ROLES_GRANT)
    ):
        raise Http404
    return user


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    actor = _admin(request)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = user_create(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已创建账号 %(u)s") % {"u": created.username})
            return redirect("org:user_detail", username=created.username)
    q = request.GET.get("q", "").strip()[:50]
    return render(
        request,
        "org/user_list.html",
        {
            "users": queries.users_for_admin(actor, q)[:500],
            "q": q,
            "form": form,
            "can_create": has_perm_anywhere(actor, roles.USERS_MANAGE),
        },
    )


@login_required
def user_detail(request: HttpRequest, username: str) -> HttpResponse:
    actor = _admin(request)
    target = queries.users_for_admin(actor).filter(username=username).first()
    if target is None:
        raise Http404
    can_grant = has_perm_anywhere(actor, roles.ROLES_GRANT)
    form = GrantForm(request.POST or None) if can_grant else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            membership_grant(actor=actor, user=target, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已授予角色"))
            return redirect("org:user_detail", username=target.username)
    return render(
        request,
        "org/user_detail.html",
        {
            "target": target,
            "memberships": queries.memberships_of(actor, target),
            "form": form,
            "can_grant": can_grant,
            "can_unlock": has_perm_anywhere(actor, roles.ACCOUNTS_UNLOCK),
            "can_manage_users": has_perm_anywhere(actor, roles.USERS_MANAGE),
            "roles": roles.ROLES,
        },
    )


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _admin(request)
    membership = (
        Membership.objects.select_related("agency", "user").filter(pk=pk).first()
    )
    if membership is None or not has_perm_anywhere(actor, roles.ROLES_GRANT):
        raise Http404
    try:
        membership_revoke(actor=actor, membership=membership)
    except ValidationError as exc:
        for msgs in exc.message_dict.values():
            for m in msgs:
                messages.error(request, m)
    else:
        messages.success(request, _("已撤销角色"))
    return redirect("org:user_detail", username=membership.user.username)


@login_required
@require_POST
def user_active(request: HttpRequest, username: str) -> HttpResponse:
    actor = _admin(request)
    target = queries.users_for_admin(actor).filter(username=username).first()
    if target is None or not has_perm_anywhere(actor, roles.USERS_MANAGE):
        raise Http404
    active = request.POST.get("active") == "1"
    try:
        user_set_active(actor=actor, user=target, active=active)
    except ValidationError as exc:
        for msgs in exc.message_dict.values():
            for m in msgs:
                messages.error(request, m)
    else:
        messages.success(request, _("账号已启用") if active else _("账号已停用"))
    return redirect("org:user_detail", username=target.username)


@login_required
@require_POST
def user_unlock(request: HttpRequest, username: str) -> HttpResponse:
    actor = _admin(request)
    if not has_perm_anywhere(actor, roles.ACCOUNTS_UNLOCK):
        raise Http404
    target = User.objects.filter(username=username).first()
    if target is None:
        raise Http404
    account_unlock(actor=actor, user=target)
    messages.success(request, _("已解除锁定"))
    return redirect("org:user_detail", username=target.username)

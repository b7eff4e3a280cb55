"""The inbox page: the signed-in user's own in-app notices."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import queries, services


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    qs = queries.inbox(request.user, unread_only=unread_only)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/inbox.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread_count": queries.unread_count(request.user),
        },
    )


@login_required
def detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = queries.notice_get(request.user, notice_id)
    return render(request, "notices/detail.html", {"notice": notice})


@login_required
@require_POST
def mark_read(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = queries.notice_get(request.user, notice_id)
    services.notice_mark_read(actor=request.user, notice=notice)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notices:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.notice_mark_all_read(actor=request.user)
    return redirect("notices:inbox")

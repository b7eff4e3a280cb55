"""Staff pages of the web app: sign-in and the 工作台 (home)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fazhi.kernel.org import roles
from fazhi.kernel.org.policy import has_perm_anywhere
from fazhi.kernel.org.services import user_change_password
from fazhi.kernel.workflow.definitions import get_case_type

from . import queries
from .forms import LoginForm
from .middleware import IDLE_FLAG


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["idle_logged_out"] = self.request.session.pop(IDLE_FLAG, False)
        return ctx


def _state_rows(user: Any) -> list[dict[str, Any]]:
    rows = []
    for r in queries.case_state_counts(user):
        try:
            ctype = get_case_type(r["case_type"])
            type_name, state_name = ctype.name, ctype.states.get(r["state"], r["state"])
        except LookupError:
            type_name, state_name = r["case_type"], r["state"]
        rows.append({**r, "type_name": type_name, "state_name": state_name})
    return rows


@login_required
def counters(request: HttpRequest) -> HttpResponse:
    """The header's due-soon/overdue counters, refreshed by htmx every 2 minutes."""
    if not has_perm_anywhere(request.user, roles.CASE_VIEW):
        return HttpResponse("")
    return render(request, "web/_counters.html")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    handles_cases = has_perm_anywhere(user, roles.CASE_VIEW)
    ctx: dict[str, Any] = {"handles_cases": handles_cases}
    if handles_cases:
        states = _state_rows(user)
        ctx.update(
            counts=queries.deadline_counts(user),
            urgent=queries.urgent_clocks(user, limit=10),
            states=states,
            open_total=sum(r["n"] for r in states),
        )
    ctx["notices"] = queries.latest_notices(user, limit=5)
    return render(request, "web/home.html", ctx)


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password (required after an administrator set it)."""
    user: Any = request.user
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_change_password(
                actor=user, user=user, new_password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, msgs)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("密码已修改"))
            return redirect("web:home")
    return render(
        request,
        "web/password_change.html",
        {"form": form, "required": user.must_change_password},
    )

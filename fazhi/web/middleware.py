"""Session rules: an idle session ends; an administrator-set password is
replaced before anything else."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from fazhi.kernel.textzh.script import html_to_traditional

_KEY = "fazhi_last_seen"
IDLE_FLAG = "fazhi_idle_logged_out"


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(_KEY, now)
            if now - last > settings.FAZHI_IDLE_TIMEOUT:
                logout(request)
                request.idle_logged_out = True  # type: ignore[attr-defined]
                # The fresh anonymous session tells the login page why.
                request.session[IDLE_FLAG] = True
            else:
                request.session[_KEY] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """Send a person whose password an administrator set to the change page
    before anything else (staff pages only; the API answers 403)."""

    ALLOWED = ("/staff/password/", "/staff/logout/", "/static/", "/i18n/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(self.ALLOWED)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "请先修改初始密码"}, status=403)
            return redirect("web:password_change")
        return self.get_response(request)


class TraditionalScriptMiddleware:
    """The 繁體 view: pages in zh-hant show every text in Traditional script.

    The catalogue translates the interface; this also covers the data a page
    shows (agency names, rule names, holidays, case titles), so one page never
    mixes scripts. Form values are left as stored (see textzh.script).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            getattr(request, "LANGUAGE_CODE", "") == "zh-hant"
            and response.get("Content-Type", "").startswith("text/html")
            and not response.streaming
            and not response.has_header("Content-Encoding")
        ):
            charset = response.charset or "utf-8"
            html = response.content.decode(charset)
            response.content = html_to_traditional(html).encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response

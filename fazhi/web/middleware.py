"""Idle session timeout: a signed-in session unused for FAZHI_IDLE_TIMEOUT ends."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

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

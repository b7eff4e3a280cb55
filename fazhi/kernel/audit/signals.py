"""Receivers for Django's authentication signals: thin hand-offs to services.

Only these three are wired (in AuditConfig.ready); each one records an event
and nothing else.
"""

from typing import Any

from django.http import HttpRequest

from . import services


def on_logged_in(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    services.audit_login(actor=user, request=request)


def on_logged_out(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    services.audit_logout(actor=user, request=request)


def on_login_failed(
    sender: Any,
    credentials: dict[str, Any],
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    # Django has already masked the password in `credentials`; only the
    # username is kept anyway.
    services.audit_login_failed(
        username=str(credentials.get("username") or ""), request=request
    )

"""Small helpers the plan views share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from fazhi.kernel.org.policy import has_perm_anywhere
from fazhi.kernel.org.roles import CASE_VIEW
from fazhi.kernel.workflow.engine import WorkflowError


def require_staff(request: HttpRequest) -> None:
    if not has_perm_anywhere(request.user, CASE_VIEW):
        raise PermissionDenied(_("您没有查看法治政府建设任务的权限。"))


def service_errors(form: forms.Form, exc: Exception) -> None:
    """Put a service's refusal on the form: on the field it names, else on top."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
        return
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            form.add_error(None, message)
        return
    form.add_error(None, str(exc))


# What a write may refuse with, shown to the user next to the form.
REFUSALS: tuple[type[Exception], ...] = (
    ValidationError,
    WorkflowError,
    PermissionDenied,
)


def int_or(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default

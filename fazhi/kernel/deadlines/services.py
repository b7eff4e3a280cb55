"""Clock writes. Interface used by the workflow engine (implementation pending)."""

from datetime import date
from typing import Any

from .models import Clock


def clock_start(
    *, actor: Any, case: Any, name: str, start: date, rule_id: str | None = None,
    days: int | None = None, unit: str | None = None,
) -> Clock:
    raise NotImplementedError


def clock_pause(*, actor: Any, clock: Clock, on: date, reason: str) -> Clock:
    raise NotImplementedError


def clock_resume(*, actor: Any, clock: Clock, on: date) -> Clock:
    raise NotImplementedError


def clock_extend(
    *, actor: Any, clock: Clock, reason: str, rule_id: str | None = None,
    days: int | None = None,
) -> Clock:
    raise NotImplementedError


def clock_stop(*, actor: Any, clock: Clock, on: date) -> Clock:
    raise NotImplementedError

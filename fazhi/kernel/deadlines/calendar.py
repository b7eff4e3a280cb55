"""Working-day calendar (to be completed: see services)."""

from datetime import date

from django.utils import timezone


def today() -> date:
    """Today's date in Asia/Shanghai, the day statutory periods count in."""
    return timezone.localdate()

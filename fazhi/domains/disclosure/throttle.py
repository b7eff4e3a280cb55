"""Anonymous submissions per client address: a portal without login must not
be a way to flood an office with applications (条例 art. 35 lets the office
refuse mass repeats, but only after someone has read them all)."""

from django.core.cache import cache
from django.http import HttpRequest

SUBMISSIONS_PER_HOUR = 10


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only, as the audit record does: X-Forwarded-For is whatever
    # the client says unless a trusted proxy rewrote REMOTE_ADDR for us.
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def _key(request: HttpRequest) -> str:
    return f"disclosure.submit.{client_ip(request)}"


def submission_allowed(request: HttpRequest) -> bool:
    """False once the address has filed its hourly quota of applications.

    Only applications actually filed count (`submission_counted`): a citizen
    correcting typos in a refused form, or a whole office behind one NAT
    address, must not be locked out by failed attempts.
    """
    return int(cache.get(_key(request), 0)) < SUBMISSIONS_PER_HOUR


def submission_counted(request: HttpRequest) -> None:
    """Count one filed application against the address's hourly quota."""
    key = _key(request)
    cache.add(key, 0, 3600)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600)

"""Anonymous submissions per client address: a portal without login must not
be a way to flood the centre (an API client has its own key instead)."""

from django.core.cache import cache
from django.http import HttpRequest

SUBMISSIONS_PER_HOUR = 10


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client says unless a
    # trusted proxy rewrote REMOTE_ADDR for us.
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def submission_allowed(request: HttpRequest) -> bool:
    """Count this submission; False once the address is over its hourly quota."""
    key = f"hotline.submit.{client_ip(request)}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600)
        count = 1
    return count <= SUBMISSIONS_PER_HOUR

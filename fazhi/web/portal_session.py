"""The public portal's memory of what a visitor has looked up.

A citizen proves a request is theirs with its number and the last four
digits of the phone; the numbers proved are kept in the session for an
hour, so they can answer a 补正 or rate without typing them again. Each app
keeps its own list (`key`), at most ten numbers.
"""

from django.http import HttpRequest

REMEMBER_SECONDS = 3600
REMEMBER_MAX = 10


def remember(request: HttpRequest, key: str, number: str) -> None:
    tracked = list(request.session.get(key, []))[-(REMEMBER_MAX - 1) :]
    if number not in tracked:
        tracked.append(number)
    request.session[key] = tracked
    request.session.set_expiry(REMEMBER_SECONDS)


def is_tracked(request: HttpRequest, key: str, number: str) -> bool:
    return number in request.session.get(key, [])

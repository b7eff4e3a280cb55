"""The indicators page: indicators and their values for a period.

Only holders of `indicator.view` see it (404 otherwise, as for a missing
page); values are limited to the agencies within the user's scope.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fazhi.kernel.org.policy import has_perm_anywhere
from fazhi.kernel.org.roles import INDICATOR_VIEW

from . import queries


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    if not has_perm_anywhere(request.user, INDICATOR_VIEW):
        raise Http404
    period = request.GET.get("period") or str(timezone.localdate().year)
    error = ""
    try:
        table = queries.indicator_table(request.user, period)
    except ValidationError as exc:
        error = "；".join(exc.messages)
        table = []
    return render(
        request,
        "indicators/list.html",
        {"period": period, "table": table, "error": error},
    )

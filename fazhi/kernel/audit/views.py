"""Pages of the audit administrator: event search, a record's timeline, the
verification result and the checkpoints. Everybody else gets 403."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from . import queries
from .forms import EventSearchForm
from .services import audit_verify_recorded
from .verify import verify as run_verify

PAGE_SIZE = 50


@login_required
def event_search(request: HttpRequest) -> HttpResponse:
    queries.require_audit_reader(request.user)
    form = EventSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        events = queries.search_events(request.user).none()
    else:
        filters: dict[str, Any] = form.cleaned_data if form.is_bound else {}
        events = queries.search_events(request.user, **filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_search.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
def record_timeline(
    request: HttpRequest, record_type: str, record_id: str
) -> HttpResponse:
    events = queries.record_timeline(request.user, record_type, record_id)
    return render(
        request,
        "audit/timeline.html",
        {"record_type": record_type, "record_id": record_id, "events": events},
    )


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    queries.require_audit_reader(request.user)
    report = None
    if request.method == "POST":
        report = run_verify()
        audit_verify_recorded(actor=request.user, summary=report.as_dict())
    return render(
        request,
        "audit/verify.html",
        {
            "report": report,
            "last": queries.last_verification(request.user),
            "checkpoints": queries.checkpoint_list(request.user)[:100],
        },
    )

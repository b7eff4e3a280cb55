"""Public pages (no login): submit a request, track it with the number and
the last four digits of the phone, read the masked answer and rate it.

A successful lookup is remembered in the session for an hour so the caller
can rate without retyping.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fazhi.web.formkit import apply_errors
from fazhi.web.portal_session import is_tracked, remember

from . import forms as f
from . import queries
from .models import Ticket
from .services.feedback import rating_submit
from .services.intake import CITIZEN, ticket_submit
from .throttle import submission_allowed

SESSION_KEY = "hotline_tracked"


def submit(request: HttpRequest) -> HttpResponse:
    form = f.SubmitForm(
        request.POST or None,
        request.FILES or None,
        initial={"token": f.new_token()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files, token = data.pop("attachments"), data.pop("token")
        if not submission_allowed(request):
            form.add_error(None, _("提交过于频繁，请稍后再试或拨打12345。"))
            return render(
                request, "hotline/portal/submit.html", {"form": form}, status=429
            )
        try:
            ticket = ticket_submit(
                actor=CITIZEN,
                channel="portal",
                files=files,
                idempotency_key=f"form:{token}",
                **data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            _remember(request, ticket)
            request.session["hotline_new"] = ticket.case.number
            return redirect("hotline:portal_done")
    status = 400 if request.method == "POST" else 200
    return render(request, "hotline/portal/submit.html", {"form": form}, status=status)


def done(request: HttpRequest) -> HttpResponse:
    number = request.session.get("hotline_new")
    if not number:
        return redirect("hotline:portal_submit")
    return render(request, "hotline/portal/done.html", {"number": number})


def _remember(request: HttpRequest, ticket: Ticket) -> None:
    remember(request, SESSION_KEY, ticket.case.number)


def _tracked(request: HttpRequest, number: str) -> Ticket | None:
    if not is_tracked(request, SESSION_KEY, number):
        return None
    return (
        Ticket.objects.select_related("case", "case__agency")
        .filter(case__number=number)
        .first()
    )


def track(request: HttpRequest) -> HttpResponse:
    form = f.TrackForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"]
        ticket = queries.public_lookup(number, form.cleaned_data["phone_tail"])
        if ticket is not None:
            _remember(request, ticket)
            return redirect("hotline:portal_status", number=ticket.case.number)
        status = 404
        if queries.lookup_blocked(number):
            form.add_error(None, _("查询失败次数过多，请一小时后再试。"))
        else:
            form.add_error(None, _("工单编号或手机号后四位不正确。"))
    return render(request, "hotline/portal/track.html", {"form": form}, status=status)


def status(request: HttpRequest, number: str) -> HttpResponse:
    ticket = _tracked(request, number)
    if ticket is None:
        return redirect("hotline:portal_track")
    return render(
        request,
        "hotline/portal/status.html",
        {"v": queries.public_view(ticket), "form": f.RateForm()},
    )


@require_POST
def rate(request: HttpRequest, number: str) -> HttpResponse:
    ticket = _tracked(request, number)
    if ticket is None:
        return redirect("hotline:portal_track")
    form = f.RateForm(request.POST)
    if form.is_valid():
        try:
            rating_submit(
                actor=CITIZEN,
                ticket=ticket,
                grade=form.cleaned_data["grade"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("感谢您的评价。"))
            return redirect("hotline:portal_status", number=number)
    return render(
        request,
        "hotline/portal/status.html",
        {"v": queries.public_view(ticket), "form": form},
        status=400,
    )

"""Staff calendar pages: the loaded years, one year's days, upload a year file.

Holders of `case.view` read them, holders of `calendar.manage` also load
years; anyone else gets 404, as for a
page that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fazhi.kernel.org.policy import has_perm_anywhere
from fazhi.kernel.org.roles import CALENDAR_MANAGE, CASE_VIEW

from . import services
from .calendar import WEEKDAY_NAMES, WorkCalendar
from .forms import CalendarUploadForm
from .models import CalendarDay, CalendarYear
from .yearfile import parse_year_file


def _require_manager(request: HttpRequest) -> None:
    if not has_perm_anywhere(request.user, CALENDAR_MANAGE):
        raise Http404


def _require_reader(request: HttpRequest) -> None:
    """Everyone who handles cases may read the calendar their clocks count on."""
    if not (
        has_perm_anywhere(request.user, CALENDAR_MANAGE)
        or has_perm_anywhere(request.user, CASE_VIEW)
    ):
        raise Http404


@login_required
def calendar_index(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    if request.method == "POST":
        _require_manager(request)
    form = CalendarUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = parse_year_file(upload.read(), upload.name)
            result = services.calendar_year_load(
                actor=request.user,
                year=data.year,
                source=data.source,
                holidays=data.holidays,
                workdays=data.workdays,
            )
        except ValidationError as exc:
            for messages_ in exc.message_dict.values():
                form.add_error("file", messages_)
        else:
            messages.success(
                request,
                _(
                    "已载入 %(year)s 年日历：节假日 %(h)s 天，调休上班 %(w)s 天，"
                    "重算计时器 %(n)s 个。"
                )
                % {
                    "year": result.year,
                    "h": result.holidays,
                    "w": result.workdays,
                    "n": result.recomputed,
                },
            )
            return redirect("deadlines:calendar_year", year=result.year)
    years = CalendarYear.objects.order_by("-year")
    counts: dict[int, dict[str, int]] = {
        row["date__year"]: {"holidays": row["holidays"], "workdays": row["workdays"]}
        for row in CalendarDay.objects.values("date__year").annotate(
            holidays=Count("pk", filter=Q(kind=CalendarDay.Kind.HOLIDAY)),
            workdays=Count("pk", filter=Q(kind=CalendarDay.Kind.WORKDAY)),
        )
    }
    rows = [
        {
            "year": y,
            "holidays": counts.get(y.year, {"holidays": 0})["holidays"],
            "workdays": counts.get(y.year, {"workdays": 0})["workdays"],
        }
        for y in years
    ]
    return render(
        request,
        "deadlines/calendar_index.html",
        {
            "form": form,
            "rows": rows,
            "can_manage": has_perm_anywhere(request.user, CALENDAR_MANAGE),
        },
    )


@login_required
def calendar_year(request: HttpRequest, year: int) -> HttpResponse:
    _require_reader(request)
    if not 1950 <= year <= 2099:
        raise Http404
    known = CalendarYear.objects.filter(year=year).first()
    if known is not None:
        days = list(CalendarDay.objects.filter(date__year=year))
    else:
        statutory = WorkCalendar(years={}, holidays={}, workdays={}).statutory(year)
        days = [
            CalendarDay(date=d, kind=CalendarDay.Kind.HOLIDAY, name=n)
            for d, n in sorted(statutory.days.items())
        ]
    rows = [{"day": d, "weekday": WEEKDAY_NAMES[d.date.weekday()]} for d in days]
    return render(
        request,
        "deadlines/calendar_year.html",
        {"year": year, "known": known, "rows": rows},
    )

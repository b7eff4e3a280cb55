"""Public pages (no login): apply online, track with the tracking number and
the last four digits of the phone, answer a 补正 notice, read the result.

Everything shown here is masked (name 张*三, phone 138****5678, ID numbers
and phones inside free text). A successful lookup is remembered in the
session for an hour, so the applicant can answer the 补正 without retyping.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fazhi.kernel.audit.services import audit_record
from fazhi.kernel.org.models import Agency
from fazhi.web.formkit import apply_errors
from fazhi.web.portal_session import is_tracked, remember

from . import forms as f
from . import letters, queries, services
from .models import Application, Attachment
from .throttle import submission_allowed, submission_counted

SESSION_KEY = "disclosure_tracked"


def _agencies() -> list[tuple[str, str]]:
    return list(queries.public_agencies().values_list("code", "name"))


def apply(request: HttpRequest) -> HttpResponse:
    form = f.ApplyForm(
        request.POST or None, request.FILES or None, agencies=_agencies()
    )
    if request.method == "POST" and not submission_allowed(request):
        form.add_error(None, _("提交过于频繁，请一小时后再试。"))
        return render(
            request, "disclosure/portal/apply.html", {"form": form}, status=429
        )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("attachments")
        agency = Agency.objects.get(code=data.pop("agency"))
        try:
            app = services.application_submit(
                actor=services.APPLICANT,
                agency=agency,
                channel="online",
                files=files,
                **data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            submission_counted(request)
            _remember(request, app)
            request.session["disclosure_new"] = app.case.number
            return redirect("disclosure:portal_done")
    return render(request, "disclosure/portal/apply.html", {"form": form})


def done(request: HttpRequest) -> HttpResponse:
    number = request.session.get("disclosure_new")
    if not number:
        return redirect("disclosure:portal_apply")
    return render(request, "disclosure/portal/done.html", {"number": number})


def _remember(request: HttpRequest, app: Application) -> None:
    remember(request, SESSION_KEY, app.case.number)


def _tracked(request: HttpRequest, number: str) -> Application | None:
    if not is_tracked(request, SESSION_KEY, number):
        return None
    return (
        Application.objects.select_related("case", "case__agency")
        .filter(case__number=number)
        .first()
    )


def track(request: HttpRequest) -> HttpResponse:
    form = f.TrackForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"]
        app = queries.public_lookup(number, form.cleaned_data["phone_tail"])
        if app is not None:
            _remember(request, app)
            return redirect("disclosure:portal_status", number=app.case.number)
        status = 404
        if queries.lookup_blocked(number):
            form.add_error(None, _("查询失败次数过多，请一小时后再试。"))
        else:
            form.add_error(None, _("受理编号或手机号后四位不正确。"))
    return render(
        request, "disclosure/portal/track.html", {"form": form}, status=status
    )


def status(request: HttpRequest, number: str) -> HttpResponse:
    app = _tracked(request, number)
    if app is None:
        return redirect("disclosure:portal_track")
    return _status_page(request, app, f.PublicCorrectionForm())


def _status_page(
    request: HttpRequest, app: Application, form: Any, code: int = 200
) -> HttpResponse:
    view = queries.public_view(app)
    return render(
        request,
        "disclosure/portal/status.html",
        {"v": view, "form": form},
        status=code,
    )


@require_POST
def correction(request: HttpRequest, number: str) -> HttpResponse:
    app = _tracked(request, number)
    if app is None:
        return redirect("disclosure:portal_track")
    form = f.PublicCorrectionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.correction_respond(
                application=app,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("补正已提交，工作人员确认收到后将重新计算答复期限。")
            )
            return redirect("disclosure:portal_status", number=number)
    return _status_page(request, app, form, 400)


def letter(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    """The applicant's own copy of a letter (masked like the status page)."""
    app = _tracked(request, number)
    if app is None:
        return redirect("disclosure:portal_track")
    try:
        data = letters.letter_docx(app, kind, public=True)
    except (LookupError, Application.reply.RelatedObjectDoesNotExist):
        raise Http404 from None
    audit_record(
        actor=services.APPLICANT,
        action="disclosure.letter",
        record_type="case",
        record_id=app.pk,
        payload={"kind": kind, "portal": True},
    )
    response = HttpResponse(data, content_type=letters.DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{number}-{kind}.docx"'
    return response


def reply_file(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """A file provided with the reply; only those, never the ID scans."""
    app = _tracked(request, number)
    if app is None or not hasattr(app, "reply"):
        raise Http404
    att = get_object_or_404(Attachment, pk=pk, application=app, source="reply")
    audit_record(
        actor=services.APPLICANT,
        action="disclosure.reply_file",
        record_type="case",
        record_id=app.pk,
        payload={"attachment": att.pk, "portal": True},
    )
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)

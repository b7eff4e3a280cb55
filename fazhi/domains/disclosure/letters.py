"""Letters to the applicant as editable DOCX, from the text templates in
templates/disclosure/letters/ (one per reply group, plus the 补正 and
extension notices), typeset by `officialdoc`.

Template lines: "# " title, "= " centred (document number), "| " salutation
(not indented), "> " right-aligned (signature and date), others are body
paragraphs. Blank lines are dropped.
"""

from __future__ import annotations

from typing import Any

from django.template import Context, engines

from fazhi.kernel.deadlines.calendar import fmt, today
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.deadlines.rules import get_rule
from fazhi.web.officialdoc import OfficialDoc

from . import categories as cat
from . import rules
from .models import Application
from .workflow import REPLY

KINDS = ("reply", "correction", "extension", "consultation", "fee")
LETTER_NAMES = {
    "reply": "答复书",
    "correction": "补正告知书",
    "extension": "延期答复告知书",
    "consultation": "征求意见书",
    "fee": "收费通知书",
}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# Marks that already close a sentence; anything else gets a 。 so a free
# text typed without one does not run into the next fixed sentence.
_CLOSERS = "。！？；…”’）)"


def sentence(text: str) -> str:
    """`text` on one line, ending in a closing mark (empty stays empty)."""
    value = " ".join((text or "").split())
    if value and value[-1] not in _CLOSERS:
        value += "。"
    return value


def quoted(text: str) -> str:
    """`text` for “…” inside a sentence: one line, no full stop of its own."""
    return " ".join((text or "").split()).rstrip("。．.;；，, ")


def _request(app: Application) -> dict[str, Any]:
    """What the applicant asked for: the request as made and, after a 补正,
    what it added or corrected and when it arrived (条例 art. 30). The
    补正 supplements the request, so a letter quotes both, never the 补正
    alone as if it were the whole request."""
    c = (
        app.corrections.filter(received_on__isnull=False)
        .exclude(response_text="")
        .order_by("-id")
        .first()
    )
    if c is None or c.received_on is None:
        return {"content": quoted(app.content), "correction": "", "corrected": ""}
    return {
        "content": quoted(app.content),
        "correction": quoted(c.response_text),
        "corrected": fmt(c.received_on),
    }


GOVERNMENT_LEVELS = ("city", "county", "township")


def reconsideration_body(agency: Any) -> str:
    """Who hears a reconsideration of this agency's reply (行政复议法 2023
    art. 24): the people's government at its level for a department, the
    government one level up for a government. Vertically managed agencies
    (customs, tax, finance ...) answer to their superior department instead;
    none of those is in the local tree."""
    parent = agency.parent
    if agency.level not in GOVERNMENT_LEVELS:
        while parent is not None and parent.level not in GOVERNMENT_LEVELS:
            parent = parent.parent
        return parent.name if parent is not None else "本级人民政府"
    return parent.name if parent is not None else "上一级人民政府"


def _context(app: Application, kind: str, item: int | None) -> dict[str, Any]:
    case = app.case
    ctx: dict[str, Any] = {
        "agency_name": case.agency.name,
        "applicant_name": app.applicant_name,
        "number": case.number,
        "received": fmt(app.received_on) if app.received_on else "",
        "date": fmt(today()),
        "doc_number": "",
        "body": "",
        "handler": case.created_by.get_full_name() if case.created_by else "",
        "reconsideration_body": reconsideration_body(case.agency),
        **_request(app),
    }
    if kind == "reply":
        reply = app.reply
        ctx.update(
            result=cat.result(reply.result_code),
            body=sentence(reply.body),
            doc_number=reply.doc_number,
            date=fmt(reply.replied_on),
        )
    elif kind == "correction":
        c = app.corrections.order_by("-id").first()
        if c is None:
            raise LookupError("no correction")
        # The notice quotes the request as first made, not a later answer.
        due = (
            Clock.objects.filter(case=case, name="correction")
            .values_list("due_date", flat=True)
            .first()
        )
        ctx.update(
            correction="",
            corrected="",
            body=sentence(c.request_text),
            days=c.days,
            due=fmt(due) if due else "",
            date=fmt(c.requested_on),
            doc_number=c.doc_number,
        )
    elif kind == "consultation":
        # Each party consulted gets its own letter; without `item`, the latest.
        rounds = app.consultations.order_by("-id")
        if item is not None:
            rounds = rounds.filter(pk=item)
        consultation = rounds.first()
        if consultation is None:
            raise LookupError("no consultation")
        # The third party sees the request, not who made it (art. 32).
        rule = (
            "disclosure.co_producer"
            if consultation.kind == "agency"
            else "disclosure.third_party"
        )
        ctx.update(
            doc_number=consultation.doc_number,
            third_party=consultation.third_party,
            agency_kind=consultation.kind == "agency",
            days=get_rule(rule).days,
            date=fmt(consultation.sent_on),
        )
    elif kind == "fee":
        fee = app.fees.order_by("-id").first()
        if fee is None:
            raise LookupError("no fee")
        _amount, how = rules.fee_quote(
            fee.method,
            1 if fee.method == "per_request" else fee.quantity,
            first=fee.quantity if fee.method == "per_request" else 1,
        )
        ctx.update(
            fee=fee,
            how=how,
            body=sentence(fee.reason),
            days=get_rule("disclosure.fee_payment").days,
            basis=rules.FEE_BASIS,
            pay_by=sentence(fee.pay_by),
            date=fmt(fee.notice_on),
            doc_number=fee.doc_number,
        )
    else:
        clock = Clock.objects.get(case=case, name=REPLY)
        ext = clock.events.filter(kind="extend").order_by("-id").first()
        if ext is None:
            raise LookupError("not extended")
        ctx.update(
            body=quoted(ext.reason),
            days=ext.days,
            due=fmt(clock.due_date),
            doc_number=app.extension_doc_number,
        )
        ctx["date"] = fmt(ext.created_at.date())
    return ctx


def letter_template(app: Application, kind: str) -> str:
    if kind == "reply":
        return f"disclosure/letters/{cat.result(app.reply.result_code).group}.txt"
    return f"disclosure/letters/{kind}.txt"


# The letters an applicant may fetch from the portal (the third party's
# consultation letter is not theirs).
PUBLIC_KINDS = ("reply", "correction", "extension", "fee")


def _masked(app: Application, ctx: dict[str, Any]) -> dict[str, Any]:
    """The portal copy: a tracking number and four phone digits are a weak
    key, so names, ID numbers and phones in free text are masked like on the
    page."""
    for key in ("content", "correction", "body"):
        ctx[key] = app.mask_free(str(ctx.get(key) or ""))
    return ctx


# The letters of which a request can have several, one per round; `item`
# picks the round by its id.
ITEM_KINDS = ("consultation",)


def letter_text(
    app: Application, kind: str, *, public: bool = False, item: int | None = None
) -> str:
    if kind not in KINDS or (public and kind not in PUBLIC_KINDS):
        raise LookupError(kind)
    if item is not None and kind not in ITEM_KINDS:
        raise LookupError(kind)
    ctx = _context(app, kind, item)
    if public:
        ctx = _masked(app, ctx)
        ctx["applicant_name"] = app.masked_name
    # Plain text, not HTML: the django engine itself, with autoescape off.
    engine: Any = getattr(engines["django"], "engine")  # noqa: B009
    template = engine.get_template(letter_template(app, kind))
    return template.render(Context(ctx, autoescape=False))


def letter_docx(
    app: Application, kind: str, *, public: bool = False, item: int | None = None
) -> bytes:
    text = letter_text(app, kind, public=public, item=item)
    doc = OfficialDoc(
        title=f"{app.case.number} {LETTER_NAMES[kind]}", author=app.case.agency.name
    )
    first_title = True
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line in ("#", "=", "|", ">"):  # a marker whose text came out empty
            line += " "
        marker, rest = line[:2], line[2:].strip()
        if marker == "# ":
            doc.title(rest)
            first_title = False
        elif marker == "= ":
            if rest:
                doc.centered(rest)
            doc.blank()
        elif marker == "| ":
            doc.para(rest, indent=False)
        elif marker == "> ":
            doc.right(rest)
        else:
            doc.para(line)
    assert not first_title, "a letter template starts with its title"
    return doc.bytes()

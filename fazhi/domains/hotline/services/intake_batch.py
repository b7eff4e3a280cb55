"""Batch intake: many requests in one transaction and a fixed number of
statements.

An operator's calls typed into a sheet, a transfer from the provincial
platform, another system's backlog: each row gets what one-by-one intake
gives it (validation, number, case, dispatch suggestion, duplicate flag,
audit events, roll-up), but the case rows, the number range, the audit
chains, the tickets and the roll-up are each written in one go, so the cost
per ticket is the Python work rather than a dozen round trips.
"""

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from fazhi.kernel.audit.batch import EventSpec, audit_record_batch
from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.org.models import Agency
from fazhi.kernel.workflow.engine import Opening, cases_open
from fazhi.kernel.workflow.models import Case

from .. import rules
from ..models import ApiClient, Ticket
from ..rollup import tickets_added
from ..suggest import Catalogue, Confirmed, catalogue, suggest_agencies, ticket_terms
from ..workflow import CODE
from .common import centre, check_day
from .intake import (
    _check_channel,
    _key,
    _new_ticket,
    _submit_payload,
    _title,
    _validate,
    similarity,
)

IMPORT_MAX = 1000  # rows per call: one transaction holds the write lock
MAX_ERRORS = 50  # bad fields reported at once, so a sheet is fixed in one go


def _same_request(other: Ticket | dict[str, Any], clean: dict[str, Any]) -> bool:
    """Whether `clean` asks what `other` (a ticket, or an earlier row of this
    batch) asked: the same text from the same phone."""
    if isinstance(other, Ticket):
        return (other.content, other.phone) == (clean["content"], clean["phone"])
    return (other["content"], other["phone"]) == (clean["content"], clean["phone"])


_ROW_META = ("idempotency_key", "received_on")
_CALLERS_CHUNK = 500

_CALLERS_SQL = (
    "SELECT t.caller_key, t.case_id, t.terms, t.received_on, c.number "
    "FROM {ticket} t JOIN {case} c ON c.id = t.case_id "
    "WHERE t.caller_key IN ({keys}) AND t.received_on >= %s "
    "AND t.merged_into_id IS NULL"
)


def _earlier_by_caller(
    keys: set[str], since: date
) -> dict[str, list[tuple[date, int, str, str]]]:
    """Stored tickets of these callers from `since`: per caller key,
    (received on, id, terms, number), earliest first, as find_duplicate
    orders them."""
    out: dict[str, list[tuple[date, int, str, str]]] = defaultdict(list)
    ordered = sorted(keys)
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), _CALLERS_CHUNK):
            part = ordered[start : start + _CALLERS_CHUNK]
            cursor.execute(
                _CALLERS_SQL.format(
                    ticket=Ticket._meta.db_table,
                    case=Case._meta.db_table,
                    keys=", ".join(["%s"] * len(part)),
                ),
                [*part, since],
            )
            for key, pk, terms, day, number in cursor.fetchall():
                if isinstance(day, str):  # SQLite hands back the raw text
                    day = date.fromisoformat(day)
                out[key].append((day, pk, terms, number))
    for rows in out.values():
        rows.sort()
    return out


def _create_batch(
    *,
    actor: Any,
    channel: str,
    hub: Agency,
    cat: Catalogue,
    rows: list[tuple[str | None, dict[str, Any], date, bool]],
    api_client: ApiClient | None,
) -> list[Ticket]:
    """Tickets for validated `rows` (key, clean fields, day received,
    category chosen), in order, inside the caller's transaction."""
    if not rows:
        return []
    terms = [" ".join(ticket_terms(clean["content"])) for _, clean, _, _ in rows]
    cases = cases_open(
        actor=actor,
        case_type=CODE,
        agency=hub,
        openings=[Opening(_title(clean), on) for _, clean, on, _ in rows],
    )
    tickets = [
        _new_ticket(
            case=case,
            channel=channel,
            clean=clean,
            terms=words,
            on=on,
            idempotency_key=key,
            api_client=api_client,
        )
        for case, words, (key, clean, on, _) in zip(cases, terms, rows, strict=True)
    ]
    window = timedelta(days=rules.DUPLICATE_WINDOW_DAYS)
    earlier = _earlier_by_caller(
        {t.caller_key for t in tickets if t.caller_key},
        min(on for _, _, on, _ in rows) - window,
    )
    # The same words on the same day give the same suggestion: the routing
    # history does not move while this transaction holds the intake.
    suggested: dict[tuple[str, str, date], list[dict[str, Any]]] = {}
    confirmed = Confirmed()
    duplicates: list[str | None] = []
    for ticket, (_, _, _, chosen) in zip(tickets, rows, strict=True):
        on = ticket.received_on
        found = None
        if ticket.caller_key:
            mine = earlier[ticket.caller_key]
            for day, pk, words, number in mine:
                if day >= on - window and similarity(words, ticket.terms) >= (
                    rules.DUPLICATE_SIMILARITY
                ):
                    found = (pk, number)
                    break
            # Later rows of this batch compare with this one too.
            mine.append((on, ticket.pk, ticket.terms, ticket.case.number))
            mine.sort()
        ticket.possible_duplicate_of_id = found[0] if found else None
        duplicates.append(found[1] if found else None)
        service = ticket.service_code if chosen else ""
        memo = (ticket.terms, service, on)
        if memo not in suggested:
            suggested[memo] = suggest_agencies(
                ticket.content,
                on=on,
                words=ticket.terms.split(),
                cat=cat,
                confirmed=confirmed,
                service=service,
            )
        ticket.suggestion = {"on": on.isoformat(), "agencies": suggested[memo]}
    Ticket.objects.bulk_create(tickets)
    audit_record_batch(
        actor=actor,
        events=[
            EventSpec(
                "case", t.pk, "hotline.submit", _submit_payload(channel, t, [], dup)
            )
            for t, dup in zip(tickets, duplicates, strict=True)
        ],
    )
    tickets_added(tickets)  # the dashboard roll-up, in this transaction
    return tickets


def tickets_import(
    *,
    actor: Any,
    rows: list[dict[str, Any]],
    channel: str = rules.Channel.PHONE,
    api_client: ApiClient | None = None,
) -> list[Ticket]:
    """Register a batch of requests, all or none, in row order.

    Each row holds what ticket_submit takes (fields, `received_on`,
    `idempotency_key`; no files). A bad row fails the batch, its row number
    in the message. A row whose key already made a ticket (earlier, or
    higher up in this batch) returns that ticket.
    """
    if not rows:
        return []
    if len(rows) > IMPORT_MAX:
        raise ValidationError({"rows": f"每批最多 {IMPORT_MAX} 条"})
    if channel == rules.Channel.PORTAL:
        raise PermissionDenied("网上诉求须逐件提交")
    cat = catalogue()
    hub = centre(cat)
    staff = _check_channel(actor, channel, api_client, hub)
    keys = [_key(row.get("idempotency_key")) for row in rows]
    known: dict[str, Ticket | None] = {
        t.idempotency_key: t
        for t in Ticket.objects.select_related("case").filter(
            idempotency_key__in=[k for k in keys if k], api_client=api_client
        )
    }
    # key, fields (None: the key's ticket exists), day received, whether the
    # caller chose the service category (else it is the type's default).
    prepared: list[tuple[str | None, dict[str, Any] | None, date, bool]] = []
    errors: dict[str, list[str]] = {}
    first_seen: dict[str, dict[str, Any]] = {}
    for i, (row, key) in enumerate(zip(rows, keys, strict=True), start=1):
        data = {k: v for k, v in row.items() if k not in _ROW_META}
        try:
            clean = _validate(data, phone_required=channel != rules.Channel.API)
            on = check_day(row.get("received_on"), "received_on") if staff else today()
        except ValidationError as exc:
            if key and known.get(key) is not None:
                # A replay that no longer validates still gets its ticket.
                prepared.append((key, None, today(), False))
                continue
            for field, msgs in exc.message_dict.items():
                errors[f"row {i}: {field}"] = msgs
            if len(errors) >= MAX_ERRORS:
                break
            continue
        earlier = known.get(key) if key else None
        same = first_seen.get(key) if key else None
        if (earlier is not None and not _same_request(earlier, clean)) or (
            same is not None and not _same_request(same, clean)
        ):
            # A key names one request: reused for another one, the second
            # would silently come back as the first (a lost call).
            errors[f"row {i}: idempotency_key"] = [
                "该编号已用于另一件内容或电话不同的诉求，请使用新的编号"
            ]
            continue
        if key:
            first_seen.setdefault(key, clean)
        chosen = bool(data.get("service_code"))
        prepared.append((key, None if earlier is not None else clean, on, chosen))
    if errors:
        raise ValidationError(errors)
    fresh: list[tuple[str | None, dict[str, Any], date, bool]] = []
    for key, clean, on, chosen in prepared:
        if clean is not None and not (key and key in known):
            fresh.append((key, clean, on, chosen))
            if key:
                known[key] = None  # a repeat further down returns this one
    with transaction.atomic():
        made = iter(
            _create_batch(
                actor=actor,
                channel=channel,
                hub=hub,
                cat=cat,
                rows=fresh,
                api_client=api_client,
            )
        )
        out: list[Ticket] = []
        for key, *_ in prepared:
            if key and known.get(key) is not None:
                out.append(known[key])
                continue
            ticket = next(made)
            if key:
                known[key] = ticket
            out.append(ticket)
    return out

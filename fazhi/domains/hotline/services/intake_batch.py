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
    rows: list[tuple[str | None, dict[str, Any], date]],
    api_client: ApiClient | None,
) -> list[Ticket]:
    """Tickets for validated `rows` (key, clean fields, day received), in
    order, inside the caller's transaction."""
    if not rows:
        return []
    terms = [" ".join(ticket_terms(clean["content"])) for _, clean, _ in rows]
    cases = cases_open(
        actor=actor,
        case_type=CODE,
        agency=hub,
        openings=[Opening(_title(clean), on) for _, clean, on in rows],
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
        for case, words, (key, clean, on) in zip(cases, terms, rows, strict=True)
    ]
    window = timedelta(days=rules.DUPLICATE_WINDOW_DAYS)
    earlier = _earlier_by_caller(
        {t.caller_key for t in tickets if t.caller_key},
        min(on for _, _, on in rows) - window,
    )
    # The same words on the same day give the same suggestion: the routing
    # history does not move while this transaction holds the intake.
    suggested: dict[tuple[str, str, date], list[dict[str, Any]]] = {}
    confirmed = Confirmed()
    duplicates: list[str | None] = []
    for ticket in tickets:
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
        memo = (ticket.terms, ticket.service_code, on)
        if memo not in suggested:
            suggested[memo] = suggest_agencies(
                ticket.content,
                on=on,
                words=ticket.terms.split(),
                cat=cat,
                confirmed=confirmed,
                service=ticket.service_code,
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
    prepared: list[tuple[str | None, dict[str, Any] | None, date]] = []
    for i, (row, key) in enumerate(zip(rows, keys, strict=True), start=1):
        data = {k: v for k, v in row.items() if k not in _ROW_META}
        try:
            if key and key in known:
                prepared.append((key, None, today()))
                continue
            clean = _validate(data, phone_required=channel != rules.Channel.API)
            on = check_day(row.get("received_on"), "received_on") if staff else today()
        except ValidationError as exc:
            raise ValidationError(
                {f"row {i}: {field}": msgs for field, msgs in exc.message_dict.items()}
            ) from None
        prepared.append((key, clean, on))
    fresh: list[tuple[str | None, dict[str, Any], date]] = []
    for key, clean, on in prepared:
        if clean is not None and not (key and key in known):
            fresh.append((key, clean, on))
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
        for key, _clean, _on in prepared:
            if key and known.get(key) is not None:
                out.append(known[key])
                continue
            ticket = next(made)
            if key:
                known[key] = ticket
            out.append(ticket)
    return out

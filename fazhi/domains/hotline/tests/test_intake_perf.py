"""Intake stays cheap: a bounded number of statements per portal ticket, and
the in-process catalogue behind the suggestion never goes stale.

The bound counts the intake's own statements (the dashboard roll-up's hook,
rollup.py, writes its counters in the same transaction and is left out).
Inside a test the intake's transaction is a savepoint, so the count includes
SAVEPOINT / RELEASE where a live request has BEGIN / COMMIT.
"""

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from fazhi.domains.hotline.models import Ticket
from fazhi.domains.hotline.suggest import catalogue
from fazhi.kernel.audit.models import AuditEvent, AuditHead
from fazhi.kernel.audit.services import audit_record
from fazhi.kernel.audit.verify import verify
from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.responsibility import (
    responsibility_item_create,
    responsibility_item_revise,
)

from .conftest import FOOD, submit

# SQLite: catalogue check, SAVEPOINT, number, case, 2 x (head, event), the
# duplicate check, history, ticket, RELEASE = 12. PostgreSQL appends an event
# in one statement: 10. Was 22 before the intake was tuned.
MAX_QUERIES = 12
ROLLUP_TABLES = ("hotline_hotlinedaily", "hotline_hotlinetermdaily", "hotline_rollup")


def _own(queries: list[dict[str, str]]) -> list[str]:
    return [q["sql"] for q in queries if not any(t in q["sql"] for t in ROLLUP_TABLES)]


def test_one_portal_intake_stays_within_the_query_bound(centre, food_item):
    submit(phone="13900000001", idempotency_key="form:warm")  # catalogue loaded
    with CaptureQueriesContext(connection) as captured:
        t = submit(idempotency_key="form:perf")
    own = _own(captured.captured_queries)
    assert len(own) <= MAX_QUERIES, "\n".join(own)
    # Everything the slower path gave is still there.
    t = Ticket.objects.select_related("case").get(pk=t.pk)
    assert t.case.number.startswith("RX-") and t.case.state == "received"
    assert t.suggestion["agencies"][0]["agency"] == "黄石市市场监督管理局"
    assert t.suggestion["agencies"][0]["reasons"]
    actions = list(
        AuditEvent.objects.filter(record_type="case", record_id=str(t.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["case.open", "hotline.submit"]
    assert verify().ok


def test_duplicate_is_flagged_with_its_number_in_the_audit(org):
    first = submit()
    second = submit(content=FOOD + "请尽快处理")
    assert second.possible_duplicate_of_id == first.pk
    event = AuditEvent.objects.get(
        record_type="case", record_id=str(second.pk), action="hotline.submit"
    )
    assert event.payload["possible_duplicate_of"] == first.case.number


def test_replay_makes_no_second_ticket_nor_number(org):
    a = submit(idempotency_key="form:r1")
    b = submit(idempotency_key="form:r1")
    c = submit(idempotency_key="form:r1", content="")  # no longer valid: same
    assert a.pk == b.pk == c.pk and Ticket.objects.count() == 1
    d = submit(idempotency_key="form:r2", phone="13900000002")
    # The replays' rolled-back transactions left no gap in the numbering.
    assert int(d.case.number[-6:]) == int(a.case.number[-6:]) + 1
    assert verify().ok


def test_new_and_revised_items_are_suggested_at_once(centre, scj):
    text = "小区旁边的加油站油气回收装置坏了，气味很大"
    before = submit(content=text, phone="13900000003")
    assert all(
        s["item"] != "对加油站油气回收的行政检查" for s in before.suggestion["agencies"]
    )
    item = responsibility_item_create(
        actor=None,
        code="SCJ-JC-0777",
        name="对加油站油气回收的行政检查",
        item_type="行政检查",
        legal_basis="《大气污染防治法》第四十七条",
        agency=scj,
        effective_from=date(2020, 1, 1),
    )
    after = submit(content=text, phone="13900000004")
    assert after.suggestion["agencies"][0]["item_id"] == item.pk
    new = responsibility_item_revise(actor=None, item=item, name="对储油库的行政检查")
    revised = submit(content=text, phone="13900000005")
    assert all(
        s["item_id"] not in (item.pk, new.pk) for s in revised.suggestion["agencies"]
    )


def test_catalogue_follows_a_deactivated_agency(centre, food_item, scj):
    assert submit().suggestion["agencies"][0]["agency_id"] == scj.pk
    scj.is_active = False
    scj.save()
    assert all(
        s["agency_id"] != scj.pk
        for s in submit(phone="13900000006").suggestion["agencies"]
    )
    assert catalogue().agency(scj.code).is_active is False


def test_catalogue_copy_is_checked_against_the_database(centre, food_item):
    """A write no signal reported (another process) is seen by the id check;
    an update in place that no service does is dropped by catalogue_forget."""
    from fazhi.domains.hotline.suggest import catalogue_forget

    first = catalogue()
    assert catalogue() is first
    Agency.objects.filter(pk=centre.pk).update(name="改名中心")
    catalogue_forget()
    assert catalogue().agency(centre.code).name == "改名中心"


def test_audit_shortcuts_never_chain_off_a_rolled_back_head(org):
    """The SQLite append remembers the head it wrote; after a rolled-back
    savepoint the head differs and the next event reads it afresh."""
    t = submit()
    with transaction.atomic():
        try:
            with transaction.atomic():
                audit_record(actor=None, action="x.one", record_type="case",
                             record_id=t.pk)  # fmt: skip
                raise RuntimeError
        except RuntimeError:
            pass
        audit_record(actor=None, action="x.two", record_type="case", record_id=t.pk)
    seqs = list(
        AuditEvent.objects.filter(record_type="case", record_id=str(t.pk))
        .order_by("seq")
        .values_list("seq", "action")
    )
    assert seqs == [(1, "case.open"), (2, "hotline.submit"), (3, "x.two")]
    head = AuditHead.objects.get(record_type="case", record_id=str(t.pk))
    assert head.seq == 3
    assert verify().ok


# Twice, with other words: the index the first run built in this thread held
# routings its rollback removed (and, on SQLite, whose ids come again).
@pytest.mark.parametrize("run", [1, 2])
def test_history_counts_routings_and_forgets_a_returned_one(
    run, people, dispatcher, scj
):
    from fazhi.domains.hotline.services import dispatch

    text = FOOD if run == 1 else "小区旁边的工地夜间施工噪音扰民，凌晨还在施工"
    past = [submit(phone=f"1390000010{i}", content=text) for i in range(3)]
    for t in past:
        dispatch.ticket_dispatch(actor=dispatcher, ticket=t, agency=scj)
    first = submit(phone="13900000200", content=text)
    (top,) = [s for s in first.suggestion["agencies"] if s["agency_id"] == scj.pk]
    assert any("3件工单派给该单位" in r for r in top["reasons"])
    # The agency sends one back: it no longer counts for the next ticket.
    dispatch.ticket_return(
        actor=people["scj_handler"], ticket=past[0], reason="不属于本单位职责范围"
    )
    again = submit(phone="13900000201", content=text)
    (top,) = [s for s in again.suggestion["agencies"] if s["agency_id"] == scj.pk]
    assert any("2件工单派给该单位" in r for r in top["reasons"])

"""The roll-up answers exactly what the GROUP BY over the tickets answers.

Tickets go through the real services into every state a KPI distinguishes;
then each KPI and each dashboard slice, for a city-wide, an agency and a
co-handling user, is asked of both the roll-up and the tickets.
"""

import threading
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.models import F

from fazhi.domains.hotline import indicators, queries
from fazhi.domains.hotline.demo import load_hotline_demo
from fazhi.domains.hotline.models import HotlineDaily, RollupState, Ticket
from fazhi.domains.hotline.rollup import rebuild
from fazhi.domains.hotline.services import dispatch, feedback, handling
from fazhi.kernel.indicators.registry import get_spec
from fazhi.kernel.org.models import Agency

from .conftest import at, submit

pytestmark = pytest.mark.django_db

MON = date(2026, 9, 28)
ON = date(2026, 10, 2)  # the dashboard's "today": this week 09-26..10-02
PERIODS = ("2026", "2026-09", "2026-Q3", "2026-Q4", "2026-06", "2025")
AGENCIES = ("420200", "420200-SCJ", "420200-CGW", "420200-ZWJ", "420281")


def _phone(n: int) -> str:
    return f"1390000{n:04d}"


def _build(people, dispatcher, scj) -> dict[str, Ticket]:
    h = people["scj_handler"]
    cgw = Agency.objects.get(code="420200-CGW")
    made: dict[str, Ticket] = {}
    with at(date(2026, 6, 15)):  # outside the dashboard window
        made["june"] = submit(phone=_phone(1), area="420202")
        dispatch.ticket_dispatch(actor=dispatcher, ticket=made["june"], agency=scj)
    with at(date(2026, 9, 22)):  # last week, for the hot topics' change
        made["last"] = submit(phone=_phone(2), content="小区门口垃圾堆放多日无人清运")
    with at(MON):
        a = made["closed"] = submit(phone=_phone(3), area="420281")
        dispatch.ticket_dispatch(actor=dispatcher, ticket=a, agency=scj)
        dispatch.ticket_sign(actor=h, ticket=a)
        handling.ticket_reply(actor=h, ticket=a, text="已处理")
        feedback.ticket_visit(actor=dispatcher, ticket=a, grade=5)
        made["direct"] = submit(
            phone=_phone(4),
            ticket_type="consult",
            service_code="policy-consult",
            content="请问公积金提取需要什么材料",
        )
        dispatch.ticket_answer_direct(
            actor=dispatcher, ticket=made["direct"], answer="见窗口"
        )
        c = made["redo"] = submit(phone=_phone(5), content="小区门口垃圾堆放无人清运")
        dispatch.ticket_dispatch(actor=dispatcher, ticket=c, agency=scj)
        d = made["assist"] = submit(phone=_phone(6), area="420202")
        dispatch.ticket_dispatch(actor=dispatcher, ticket=d, agency=cgw, assist=[scj])
        e = made["returned"] = submit(phone=_phone(7))
        dispatch.ticket_dispatch(actor=dispatcher, ticket=e, agency=scj)
        dispatch.ticket_return(actor=h, ticket=e, reason="不属本单位职责")
        made["back_at_centre"] = submit(phone=_phone(8))
        dispatch.ticket_dispatch(
            actor=dispatcher, ticket=made["back_at_centre"], agency=scj
        )
        dispatch.ticket_return(
            actor=h, ticket=made["back_at_centre"], reason="不属本单位职责"
        )
        dispatch.ticket_dispatch(actor=dispatcher, ticket=e, agency=cgw)
        made["dup"] = submit(phone=_phone(3), area="420281")
        dispatch.ticket_merge(actor=dispatcher, ticket=made["dup"], into=a)
        g = made["voided"] = submit(phone=_phone(9))
        dispatch.ticket_dispatch(actor=dispatcher, ticket=g, agency=scj)
        dispatch.ticket_sign(actor=h, ticket=g)
        handling.ticket_reply(actor=h, ticket=g, text="已处理")
        feedback.ticket_visit(actor=dispatcher, ticket=g, grade=1)
        made["portal_rated"] = j = submit(phone=_phone(10), area="420222")
        dispatch.ticket_dispatch(actor=dispatcher, ticket=j, agency=scj)
        dispatch.ticket_sign(actor=h, ticket=j)
        handling.ticket_reply(actor=h, ticket=j, text="已处理")
        feedback.ticket_visit(actor=dispatcher, ticket=j, reached=False)
    with at(date(2026, 9, 29)):
        feedback.rating_submit(actor=None, ticket=j, grade=4)
    with at(date(2026, 9, 30)):
        dispatch.ticket_sign(actor=h, ticket=c)  # late: due 09-29
        feedback.rating_appeal(actor=h, ticket=g, reason="市民评价的是另一件事")
        feedback.appeal_decide(actor=dispatcher, ticket=g, uphold=True, note="属实")
    with at(date(2026, 10, 30)):
        handling.ticket_reply(actor=h, ticket=c, text="已清运")
        feedback.ticket_redo(actor=dispatcher, ticket=c, reason="仍有垃圾")
    return made


def _assert_same(people, dispatcher) -> None:
    for code in indicators.RATIOS:
        compute = get_spec(code).compute
        for agency in Agency.objects.filter(code__in=AGENCIES):
            for period in PERIODS:
                assert compute(agency, period) == indicators.adhoc_rate(
                    agency, period, code
                ), (code, agency.code, period)
    for user in (dispatcher, people["scj_handler"], people["dy_handler"]):
        for on in (ON, date(2026, 10, 30)):
            assert queries.dashboard(user, on=on) == queries.dashboard_adhoc(
                user, on=on
            ), (user.username, on)


def test_rollup_equals_group_by_in_every_state(people, dispatcher, scj):
    _build(people, dispatcher, scj)
    _assert_same(people, dispatcher)
    city = Agency.objects.get(code="420200")
    # The states are really there: not all zero or all none.
    assert indicators.satisfaction_rate(city, "2026") == 100  # the 1 was voided
    assert indicators.sign_on_time_rate(scj, "2026") == 75
    board = queries.dashboard(dispatcher, on=ON)
    assert board["total"] == 10 and board["hot"]
    assert {r["name"] for r in board["by_agency"]} >= {"黄石市市场监督管理局"}
    mine = queries.dashboard(people["scj_handler"], on=ON)
    assert 0 < mine["total"] < board["total"]  # owned by SCJ plus one co-handled
    assert rebuild() == {"daily": 0, "counts": 0}


def test_rebuild_finds_and_mends_a_tampered_counter(people, dispatcher, scj):
    made = _build(people, dispatcher, scj)
    call_command("hotline_rollup", "--rebuild", verbosity=0)  # exact: no error
    HotlineDaily.objects.filter(pk=HotlineDaily.objects.order_by("pk")[0].pk).update(
        received=F("received") + 1
    )
    RollupState.objects.all().delete()
    with pytest.raises(CommandError, match="不一致"):
        call_command("hotline_rollup", "--rebuild", verbosity=0)
    assert RollupState.objects.count() == Ticket.objects.count()
    _assert_same(people, dispatcher)
    # Later steps keep counting from the rebuilt state.
    t = made["back_at_centre"]
    with at(date(2026, 10, 9)):
        dispatch.ticket_dispatch(actor=dispatcher, ticket=t, agency=scj)
        dispatch.ticket_sign(actor=people["scj_handler"], ticket=t)
    _assert_same(people, dispatcher)
    assert rebuild() == {"daily": 0, "counts": 0}


def test_demo_year_leaves_the_rollup_exact(org, people):
    assert load_hotline_demo(n=60) == 60
    assert rebuild() == {"daily": 0, "counts": 0}
    city = Agency.objects.get(code="420200")
    for code in indicators.RATIOS:
        assert get_spec(code).compute(city, "2026") == indicators.adhoc_rate(
            city, "2026", code
        )


@pytest.mark.django_db(transaction=True)
def test_concurrent_intake_and_dispatch_count_exactly(people, dispatcher, scj):
    """Two connections upsert the same day's rows at once (PostgreSQL: row
    locks and ON CONFLICT; SQLite serialises the writers)."""
    if connection.vendor != "postgresql":
        pytest.skip("threads on one SQLite file only take turns")
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            with at(MON):
                for i in range(6):
                    t = submit(phone=_phone(100 * n + i), area="420281")
                    if i % 2:
                        dispatch.ticket_dispatch(actor=dispatcher, ticket=t, agency=scj)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in (1, 2, 3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, [repr(str(e)) for e in errors]
    assert Ticket.objects.count() == 18
    assert rebuild() == {"daily": 0, "counts": 0}


def test_weekly_chart_starts_on_a_monday_with_whole_weeks(people, dispatcher, scj):
    _build(people, dispatcher, scj)
    board = queries.dashboard(dispatcher, on=ON, weeks=3)
    weeks = [date.fromisoformat(w["week"]) for w in board["by_week"]]
    assert weeks and all(w.weekday() == 0 for w in weeks)
    assert min(weeks) >= queries._monday(ON) - timedelta(weeks=2)
    assert board == queries.dashboard_adhoc(dispatcher, on=ON, weeks=3)

"""A document whose 有效期 runs out while its filing procedure is open: the
expiry sweep, as a scheduled job, ends the procedure and stops its clocks in
the same transaction as marking it 失效, like a repeal does; no person fires
those steps, and the job fires no other."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from fazhi.domains.laws import normative_workflow as wf
from fazhi.domains.laws.models import Validity
from fazhi.domains.laws.normative_testing import at, draft, filed, reviewed
from fazhi.domains.laws.services import normative as ns
from fazhi.domains.laws.services import normative_cleanup as nc
from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.workflow.engine import IllegalTransition, TransitionDenied
from fazhi.kernel.workflow.queries import transitions_for

pytestmark = pytest.mark.django_db
MON = date(2026, 3, 2)  # a Monday with no holiday for three weeks
ENDS = date(2026, 3, 6)  # a short 有效期, so it runs out within the procedure
SWEEP_DAY = date(2026, 3, 9)


@pytest.fixture
def nd(org, people):
    """Published on MON with a 有效期 ending on ENDS, not yet filed."""
    drafter = people["scj_handler"]
    doc = draft(drafter=drafter, agency=org["420200-SCJ"], on=MON)
    reviewed(doc, drafter=drafter, reviewer=people["fzb"], on=MON)
    with at(MON):
        ns.normative_publish(
            actor=drafter,
            document=doc,
            doc_number="黄政规〔2026〕1号",
            published_on=MON,
            expires_on=ENDS,
        )
    return doc


def clocks(nd) -> dict[str, str]:
    return dict(Clock.objects.filter(case=nd.case).values_list("name", "state"))


def chain(nd) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(record_type="case", record_id=nd.case_id).order_by(
            "seq"
        )
    )


def test_expiry_unfiled_stops_the_filing_clock_and_ends_the_procedure(nd, people):
    out = StringIO()
    with at(SWEEP_DAY):
        call_command("normative", "sweep", stdout=out)
    assert "失效 1 件" in out.getvalue()
    nd.refresh_from_db()
    assert nd.validity == Validity.EXPIRED
    assert nd.case.state == wf.EXPIRED and nd.case.closed_at is not None
    filing = Clock.objects.get(case=nd.case, name=wf.FILING)
    assert filing.state == Clock.State.STOPPED and filing.stopped_on == SWEEP_DAY
    events = chain(nd)
    assert [e.action for e in events[-3:]] == [
        "case.expire_unfiled",
        "clock.stop",
        "normative.expire",
    ]
    step = events[-3]
    # The job's step, recorded in its name and saying why.
    assert (step.actor_id, step.actor_label) == (None, "normative-sweep")
    assert step.payload["note"] == "有效期届满（有效期至2026年3月6日）"
    assert step.payload["to"] == wf.EXPIRED


def test_expiry_in_review_stops_the_review_clock(nd, people, client):
    filed(nd, drafter=people["scj_handler"], on=date(2026, 3, 3))
    # Started from the page by a supervisor: the procedure still ends in
    # the job's name (the 有效期 ran out; the supervisor only ran the check).
    client.force_login(people["fzb"])
    with at(SWEEP_DAY):
        r = client.post(reverse("laws_staff:normative_sweep"))
    assert r.status_code == 302
    nd.refresh_from_db()
    assert nd.case.state == wf.EXPIRED
    assert clocks(nd) == {
        wf.LEGALITY: Clock.State.STOPPED,
        wf.FILING: Clock.State.STOPPED,
        wf.REVIEW: Clock.State.STOPPED,
    }
    assert Clock.objects.get(case=nd.case, name=wf.REVIEW).stopped_on == SWEEP_DAY
    by_action = {e.action: e for e in chain(nd)}
    assert by_action["case.expire_in_review"].actor_label == "normative-sweep"
    assert by_action["normative.expire"].actor_id == people["fzb"].pk
    with at(SWEEP_DAY):
        page = client.get(
            reverse("laws_staff:normative_detail", args=[nd.case.number])
        ).content.decode()
    assert "已失效，备案程序终止" in page
    assert "有效期届满，终止备案程序" in page
    assert "有效期届满（有效期至2026年3月6日）" in page


def test_expiry_while_supplementing_stops_both_clocks(nd, people):
    filed(nd, drafter=people["scj_handler"], on=date(2026, 3, 3))
    with at(date(2026, 3, 4)):
        ns.normative_request_supplement(
            actor=people["fzb"], document=nd, text="请补充起草说明。"
        )
    with at(SWEEP_DAY):
        assert nc.normative_expiry_sweep(actor=None).expired == 1
    nd.refresh_from_db()
    assert nd.case.state == wf.EXPIRED
    assert set(clocks(nd).values()) == {Clock.State.STOPPED}


def test_a_later_filing_is_refused_with_the_reason(nd, people, client):
    with at(SWEEP_DAY):
        nc.normative_expiry_sweep(actor=None)
    nd.refresh_from_db()
    with at(date(2026, 3, 10)), pytest.raises(IllegalTransition) as err:
        ns.normative_file(actor=people["scj_handler"], document=nd)
    assert str(err.value) == (
        "该文件有效期至2026年3月6日已届满失效，备案程序已终止，不再报送备案"
    )
    client.force_login(people["scj_handler"])
    with at(date(2026, 3, 10)):
        r = client.post(
            reverse("laws_staff:normative_act", args=[nd.case.number, "file"]),
            {"file-on": "2026-03-10"},
        )
    assert r.status_code == 400
    assert "已届满失效，备案程序已终止，不再报送备案" in r.content.decode()
    nd.case.refresh_from_db()
    assert nd.case.state == wf.EXPIRED and nd.filed_on is None


def test_a_procedure_already_ended_is_left_alone(nd, people):
    filed(nd, drafter=people["scj_handler"], on=date(2026, 3, 3))
    with at(date(2026, 3, 4)):
        ns.normative_accept(actor=people["fzb"], document=nd)
    with at(SWEEP_DAY):
        assert nc.normative_expiry_sweep(actor=None).expired == 1
    nd.refresh_from_db()
    assert (nd.case.state, nd.validity) == (wf.ACCEPTED, Validity.EXPIRED)
    assert not any(e.action.startswith("case.expire") for e in chain(nd))


def test_repeal_still_ends_the_procedure_in_the_users_name(nd, people):
    with at(date(2026, 3, 4)):
        ns.normative_repeal(
            actor=people["scj_handler"], document=nd, reason="上位法已修改"
        )
    nd.refresh_from_db()
    assert (nd.case.state, nd.validity) == (wf.REPEALED, Validity.REPEALED)
    assert clocks(nd)[wf.FILING] == Clock.State.STOPPED
    step = next(e for e in chain(nd) if e.action == "case.repeal_unfiled")
    assert step.actor_id == people["scj_handler"].pk
    assert step.payload["note"] == "上位法已修改"
    with at(date(2026, 3, 5)), pytest.raises(IllegalTransition) as err:
        ns.normative_file(actor=people["scj_handler"], document=nd)
    assert str(err.value) == (
        "该文件已于2026年3月4日废止，备案程序已终止，不再报送备案"
    )
    # Nothing is left in force for the sweep to end.
    with at(SWEEP_DAY):
        assert nc.normative_expiry_sweep(actor=None).expired == 0


def test_the_job_fires_no_ordinary_step_and_no_person_the_expiry(nd, people):
    for step in ("file", "repeal_unfiled"):
        with at(date(2026, 3, 4)), pytest.raises(TransitionDenied):
            ns._fire(actor=nc.SWEEP, nd=nd, transition=step, on=date(2026, 3, 4))
    # The expiry steps are the calendar's: no role holds their permission,
    # so no person fires them, nor sees them offered on the case page.
    drafter = people["scj_handler"]
    with at(date(2026, 3, 4)), pytest.raises(TransitionDenied):
        ns._fire(
            actor=drafter,
            nd=nd,
            transition="expire_unfiled",
            on=date(2026, 3, 4),
            note="有效期届满",
        )
    offered = {t.name for t in transitions_for(drafter, nd.case)}
    assert "repeal_unfiled" in offered and "expire_unfiled" not in offered
    nd.case.refresh_from_db()
    assert nd.case.state == wf.PUBLISHED
    assert clocks(nd)[wf.FILING] == Clock.State.RUNNING


def test_the_case_record_names_the_sweep_in_words(nd, people):
    from fazhi.web.timeline import case_timeline

    with at(SWEEP_DAY):
        call_command("normative", "sweep", stdout=StringIO())
    nd.refresh_from_db()
    entries = case_timeline(people["fzb"], nd.case)
    steps = [e for e in entries if e.action == "case.expire_unfiled"]
    assert [e.who for e in steps] == ["系统（有效期检查）"]

"""The normative-document procedure through its services, on the real 2026
calendar (May Day, National Day and their 调休 working Saturdays)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.domains.laws.models import (
    Document,
    NormativeDocument,
    NormativeOpinion,
    Status,
    Validity,
)
from fazhi.domains.laws.normative_testing import at, draft, filed, published, reviewed
from fazhi.domains.laws.search import search
from fazhi.domains.laws.services import normative as ns
from fazhi.domains.laws.services.versions import relations_rebuild
from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.workflow.engine import TransitionDenied, WorkflowError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_titles():
    from fazhi.domains.laws.search.suggest import forget_titles

    forget_titles()
    yield
    forget_titles()


def clock(nd, name):
    return Clock.objects.get(case=nd.case, name=name)


def test_register_opens_a_case_of_the_drafting_agency(org, people):
    nd = draft(
        drafter=people["scj_handler"], agency=org["420200-SCJ"], on=date(2026, 3, 2)
    )
    assert nd.case.number.startswith("GF-2026-")
    assert nd.case.state == "drafting"
    # A city department files with the city government.
    assert nd.filing_agency == org["420200"]
    actions = list(
        AuditEvent.objects.filter(record_type="case", record_id=str(nd.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == ["case.open", "normative.register"]


def test_outsider_and_other_agencies_cannot_register(org, people):
    for who in ("outsider", "dy_handler"):
        with pytest.raises(PermissionDenied):
            draft(drafter=people[who], agency=org["420200-SCJ"], on=date(2026, 3, 2))
    assert not NormativeDocument.objects.exists()


def test_legality_review_clock_crosses_may_day_on_the_real_calendar(org, people):
    nd = draft(
        drafter=people["scj_handler"], agency=org["420200-SCJ"], on=date(2026, 4, 27)
    )
    with at(date(2026, 4, 27)):
        ns.normative_submit_review(actor=people["scj_handler"], document=nd)
    c = clock(nd, "legality")
    # 15 working days: 1-5 May are holidays, Saturday 9 May is a working day.
    assert c.due_date == date(2026, 5, 20)
    assert c.rule_id == "normative.legality_review"


def test_only_the_legal_office_gives_the_legality_opinion(org, people):
    nd = draft(
        drafter=people["scj_handler"], agency=org["420200-SCJ"], on=date(2026, 3, 2)
    )
    with at(date(2026, 3, 2)):
        ns.normative_submit_review(actor=people["scj_handler"], document=nd)
        with pytest.raises(TransitionDenied):
            ns.normative_legality_opinion(
                actor=people["scj_handler"], document=nd, verdict="lawful", text=""
            )


def test_returned_draft_is_revised_and_resubmitted_with_a_fresh_clock(org, people):
    drafter, office = people["scj_handler"], people["fzb"]
    nd = draft(drafter=drafter, agency=org["420200-SCJ"], on=date(2026, 3, 2))
    with at(date(2026, 3, 2)):
        ns.normative_submit_review(actor=drafter, document=nd)
    with at(date(2026, 3, 6)):
        with pytest.raises(ValidationError):  # a return needs its reasons
            ns.normative_legality_opinion(
                actor=office, document=nd, verdict="return", text=" "
            )
        ns.normative_legality_opinion(
            actor=office, document=nd, verdict="return", text="第三条缺少上位法依据。"
        )
    assert nd.case.state == "drafting"
    assert clock(nd, "legality").state == Clock.State.STOPPED
    with at(date(2026, 3, 9)):
        ns.normative_revise(
            actor=drafter, document=nd, title=nd.title, text=nd.text + "\n补充依据。"
        )
        ns.normative_submit_review(actor=drafter, document=nd)
    c = clock(nd, "legality")
    assert c.state == Clock.State.RUNNING and c.start_date == date(2026, 3, 9)
    assert c.due_date == date(2026, 3, 30)


def test_revising_the_draft_title_renames_its_case(org, people):
    drafter = people["scj_handler"]
    nd = draft(drafter=drafter, agency=org["420200-SCJ"], on=date(2026, 3, 2))
    with at(date(2026, 3, 3)):
        ns.normative_revise(actor=drafter, document=nd, title=nd.title, text="正文")
        assert not AuditEvent.objects.filter(action="case.retitle").exists()
        ns.normative_revise(
            actor=drafter, document=nd, title="黄石市占道管理办法（草案）", text="正文"
        )
    nd.case.refresh_from_db()
    assert nd.case.title == "黄石市占道管理办法（草案）"
    event = AuditEvent.objects.get(action="case.retitle", record_id=nd.case_id)
    assert event.payload["reason"] == "修改草案"
    assert event.payload["previous"] == "黄石市城市道路占用挖掘管理办法"


def test_publication_enters_the_query_platform_and_starts_the_filing_clock(org, people):
    drafter = people["scj_handler"]
    nd = draft(drafter=drafter, agency=org["420200-SCJ"], on=date(2026, 8, 20))
    reviewed(nd, drafter=drafter, reviewer=people["fzb"], on=date(2026, 8, 20))
    published(nd, drafter=drafter, on=date(2026, 9, 1))
    nd.refresh_from_db()
    assert nd.case.state == "published" and nd.validity == Validity.IN_FORCE
    # 30 days end on 1 October, a National Day holiday: moved to 8 October.
    assert clock(nd, "filing").due_date == date(2026, 10, 8)
    doc = nd.law_document
    assert doc.level == "规范性文件" and doc.status == Status.IN_FORCE
    assert doc.doc_number == "黄政规〔2026〕1号" and doc.region == "黄石市"
    assert doc.articles.count() == 4
    hits = search("占用挖掘").hits
    assert any(h.document_id == doc.pk for h in hits)


def test_validity_over_five_years_is_refused(org, people):
    drafter = people["scj_handler"]
    nd = draft(drafter=drafter, agency=org["420200-SCJ"], on=date(2026, 3, 2))
    reviewed(nd, drafter=drafter, reviewer=people["fzb"], on=date(2026, 3, 2))
    with at(date(2026, 3, 10)), pytest.raises(ValidationError) as err:
        ns.normative_publish(
            actor=drafter,
            document=nd,
            doc_number="黄政规〔2026〕2号",
            published_on=date(2026, 3, 10),
            expires_on=date(2031, 3, 11),
        )
    assert "expires_on" in err.value.message_dict
    assert nd.case.state == "approved" and not Document.objects.exists()


def test_supplement_pauses_the_review_and_its_own_clock_counts_the_adjusted_saturday(
    org, people
):
    drafter, office = people["scj_handler"], people["fzb"]
    nd = draft(drafter=drafter, agency=org["420200-SCJ"], on=date(2026, 8, 20))
    reviewed(nd, drafter=drafter, reviewer=office, on=date(2026, 8, 20))
    published(nd, drafter=drafter, on=date(2026, 9, 1))
    filed(nd, drafter=drafter, on=date(2026, 9, 10))
    # 30 days from 10 September: Saturday 10 October is a 调休 working day.
    assert clock(nd, "filing_review").due_date == date(2026, 10, 10)
    assert clock(nd, "filing").state == Clock.State.STOPPED
    with at(date(2026, 9, 28)):
        ns.normative_request_supplement(
            actor=office, document=nd, text="请补充起草说明和合法性审核意见书。"
        )
    assert clock(nd, "filing_review").state == Clock.State.PAUSED
    assert clock(nd, "supplement").due_date == date(2026, 10, 10)
    with at(date(2026, 10, 9)):
        ns.normative_supplement(actor=drafter, document=nd, text="已补充。")
    review = clock(nd, "filing_review")
    assert review.state == Clock.State.RUNNING
    assert review.due_date > date(2026, 10, 10)  # the paused days are owed back
    with at(date(2026, 10, 12)):
        ns.normative_accept(actor=office, document=nd, text="准予备案。")
    nd.refresh_from_db()
    assert nd.case.state == "accepted" and nd.filing_result == "accepted"


def test_drafter_cannot_decide_its_own_filing(org, people):
    drafter = people["scj_handler"]
    nd = draft(drafter=drafter, agency=org["420200-SCJ"], on=date(2026, 3, 2))
    reviewed(nd, drafter=drafter, reviewer=people["fzb"], on=date(2026, 3, 2))
    published(nd, drafter=drafter, on=date(2026, 3, 5))
    filed(nd, drafter=drafter, on=date(2026, 3, 6))
    with at(date(2026, 3, 9)), pytest.raises(WorkflowError):
        ns.normative_accept(actor=drafter, document=nd)


def test_fault_is_corrected_by_amendment_and_the_platform_gets_the_new_text(
    org, people
):
    drafter, office = people["scj_handler"], people["fzb"]
    nd = draft(drafter=drafter, agency=org["420200-SCJ"], on=date(2026, 1, 5))
    reviewed(nd, drafter=drafter, reviewer=office, on=date(2026, 1, 5))
    published(nd, drafter=drafter, on=date(2026, 1, 5))
    filed(nd, drafter=drafter, on=date(2026, 1, 5))
    with at(date(2026, 1, 5)):
        ns.normative_find_fault(
            actor=office,
            document=nd,
            result="unlawful",
            text="第三条增设许可条件，违反《行政许可法》第十六条。",
        )
    assert clock(nd, "correction").due_date == date(2026, 2, 4)
    with at(date(2026, 1, 20)):
        with pytest.raises(ValidationError):  # 修改 needs the amended text
            ns.normative_correct(
                actor=drafter, document=nd, method="amend", text="已修改"
            )
        ns.normative_correct(
            actor=drafter,
            document=nd,
            method="amend",
            text="已删除第三条新增条件。",
            new_text=nd.text.replace("依法办理许可手续", "依法办理手续"),
        )
    nd.refresh_from_db()
    assert nd.case.state == "corrected" and nd.corrected_on == date(2026, 1, 20)
    assert "依法办理手续" in nd.law_document.text
    assert Document.objects.count() == 1  # refreshed, not duplicated
    assert nd.law_document.history[-1] == {
        "date": "2026-01-20",
        "event": "按备案审查意见修改",
    }
    stages = list(nd.opinions.values_list("stage", "verdict"))
    assert stages[-2:] == [("filing", "unlawful"), ("correction", "corrected")]


def test_correction_by_repeal_ends_validity_in_the_platform(org, people):
    drafter, office = people["scj_handler"], people["fzb"]
    nd = draft(drafter=drafter, agency=org["420200-SCJ"], on=date(2026, 1, 5))
    reviewed(nd, drafter=drafter, reviewer=office, on=date(2026, 1, 5))
    published(nd, drafter=drafter, on=date(2026, 1, 6))
    filed(nd, drafter=drafter, on=date(2026, 1, 7))
    with at(date(2026, 1, 8)):
        ns.normative_find_fault(
            actor=office, document=nd, result="inappropriate", text="明显不适当。"
        )
        ns.normative_correct(
            actor=drafter, document=nd, method="repeal", text="已废止。"
        )
    nd.refresh_from_db()
    assert nd.validity == Validity.REPEALED
    # Repealed by the drafter's correction: 已废止, not 失效 (an expiry).
    assert nd.law_document.status == Status.REPEALED
    assert nd.law_document.source_status == "已废止"
    assert nd.law_document.history[-1] == {
        "date": "2026-01-08",
        "event": "纠错废止",
        "status": "已废止",
        "reason": "纠错废止",
        "day": "2026年1月8日",
    }
    relations_rebuild()  # the next import keeps it
    nd.law_document.refresh_from_db()
    assert nd.law_document.status == Status.REPEALED


def test_every_step_is_in_the_case_record(org, people):
    drafter, office = people["scj_handler"], people["fzb"]
    nd = draft(drafter=drafter, agency=org["420200-SCJ"], on=date(2026, 3, 2))
    reviewed(nd, drafter=drafter, reviewer=office, on=date(2026, 3, 2))
    published(nd, drafter=drafter, on=date(2026, 3, 3))
    filed(nd, drafter=drafter, on=date(2026, 3, 4))
    with at(date(2026, 3, 5)):
        ns.normative_accept(actor=office, document=nd)
    actions = set(
        AuditEvent.objects.filter(record_type="case", record_id=str(nd.pk)).values_list(
            "action", flat=True
        )
    )
    assert {
        "normative.register",
        "case.submit_review",
        "case.review_pass",
        "case.publish",
        "normative.publish",
        "case.file",
        "case.accept",
        "clock.start",
        "clock.stop",
    } <= actions
    assert NormativeOpinion.objects.filter(document=nd).count() == 2

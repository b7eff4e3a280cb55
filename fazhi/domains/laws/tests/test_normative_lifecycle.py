"""Documents in force over time: 有效期 warnings and expiry (command),
cleanup and post-evaluation, and the indicators of 有件必备、有备必审、有错必纠."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from fazhi.domains.laws import normative_indicators as ind
from fazhi.domains.laws.models import CleanupItem, Document, Status, Validity
from fazhi.domains.laws.normative_testing import at, draft, filed, published, reviewed
from fazhi.domains.laws.services import normative as ns
from fazhi.domains.laws.services import normative_cleanup as nc
from fazhi.domains.laws.services.versions import relations_rebuild
from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.indicators.registry import registered
from fazhi.kernel.notices.models import Notice

pytestmark = pytest.mark.django_db


def in_force(people, org, *, on, years=5, title="文件", agency="420200-SCJ"):
    drafter = people["scj_handler"] if agency == "420200-SCJ" else people["dy_handler"]
    nd = draft(drafter=drafter, agency=org[agency], on=on, title=title)
    reviewed(nd, drafter=drafter, reviewer=people["fzb"], on=on)
    return published(nd, drafter=drafter, on=on, years=years)


def test_expiry_sweep_warns_once_then_expires_and_is_safe_to_repeat(people, org):
    nd = in_force(people, org, on=date(2021, 3, 1))  # 有效期至 2026-03-01
    out = StringIO()
    with at(date(2025, 12, 15)):
        call_command("normative", "sweep", stdout=out)
    assert "提醒 1 件" in out.getvalue()
    notice = Notice.objects.get(recipient=people["scj_handler"])
    assert "有效期即将届满" in notice.subject
    with at(date(2025, 12, 20)):
        assert nc.normative_expiry_sweep(actor=None).warned == 0  # told once
    with at(date(2026, 3, 2)):
        result = nc.normative_expiry_sweep(actor=None)
        assert (result.warned, result.expired) == (0, 1)
        assert nc.normative_expiry_sweep(actor=None).expired == 0
    nd.refresh_from_db()
    assert nd.validity == Validity.EXPIRED
    # The 有效期 ran out: 失效, not 已废止 (no decision repealed it).
    assert nd.law_document.status == Status.EXPIRED
    assert nd.law_document.source_status == "失效"
    assert nd.law_document.history[-1]["event"] == "有效期届满失效"
    relations_rebuild()
    nd.law_document.refresh_from_db()
    assert nd.law_document.status == Status.EXPIRED
    assert AuditEvent.objects.filter(action="normative.expire").count() == 1


def test_warning_horizon_is_the_configured_rule(people, org):
    from fazhi.kernel.deadlines.services import period_rule_override_set

    nd = in_force(people, org, on=date(2021, 6, 1))  # ends 2026-06-01
    with at(date(2026, 4, 1)):
        assert nc.normative_expiry_sweep(actor=None).warned == 1
    nd.refresh_from_db()
    # 90 days by default: on 1 April the 1 June expiry is within it.
    assert nd.expiry_notified_on == date(2026, 4, 1)
    with at(date(2026, 4, 1)):
        period_rule_override_set(
            actor=people["fzb"],
            rule_id="normative.expiry_notice",
            days=30,
            citation="黄石市规范性文件管理规定（示例）",
        )
        assert nc.expiry_horizon() == date(2026, 5, 6)  # 1 May holiday week


def test_cleanup_lists_only_documents_in_force_of_the_subtree(people, org):
    city = in_force(people, org, on=date(2026, 1, 5), title="市级文件")
    dy = in_force(people, org, on=date(2026, 1, 5), title="大冶文件", agency="420281")
    with at(date(2026, 2, 2)):
        campaign = nc.cleanup_campaign_create(
            actor=people["fzb"],
            agency=org["420281"],
            name="大冶市清理",
            due_on=date(2026, 3, 31),
        )
        assert [i.document_id for i in campaign.items.all()] == [dy.pk]
        item = campaign.items.get()
        with pytest.raises(PermissionDenied):  # only the drafting agency decides
            nc.cleanup_item_decide(
                actor=people["scj_handler"], item=item, decision="keep"
            )
        with pytest.raises(ValidationError):  # 修改 / 废止 need a reason
            nc.cleanup_item_decide(
                actor=people["dy_handler"], item=item, decision="amend"
            )
        with pytest.raises(ValidationError):
            nc.cleanup_campaign_close(actor=people["fzb"], campaign=campaign)
        nc.cleanup_item_decide(actor=people["dy_handler"], item=item, decision="keep")
        nc.cleanup_campaign_close(actor=people["fzb"], campaign=campaign)
    assert CleanupItem.objects.get().decision == "keep"
    city.refresh_from_db()
    assert city.validity == Validity.IN_FORCE


def test_post_evaluation_repeal_ends_validity(people, org):
    nd = in_force(people, org, on=date(2026, 1, 5))
    with at(date(2026, 6, 1)):
        nc.post_evaluation_record(
            actor=people["scj_handler"],
            document=nd,
            conclusion="repeal",
            summary="上位法修改后本办法已无必要。",
        )
    nd.refresh_from_db()
    assert nd.validity == Validity.REPEALED and nd.evaluations.count() == 1
    assert nd.law_document.status == Status.REPEALED
    assert nd.law_document.history[-1] == {
        "date": "2026-06-01",
        "event": "废止：后评估结论：废止",
        "status": "已废止",
        "reason": "后评估结论：废止",
        "day": "2026年6月1日",
    }


def test_repeal_decision_shows_repealed_in_the_platform_after_a_rebuild(people, org):
    nd = in_force(people, org, on=date(2026, 1, 5))
    with at(date(2026, 3, 2)):
        ns.normative_repeal(
            actor=people["scj_handler"], document=nd, reason="政策调整", on=None
        )
    nd.refresh_from_db()
    doc = nd.law_document
    assert (nd.validity, doc.status, doc.source_status) == (
        Validity.REPEALED,
        Status.REPEALED,
        "已废止",
    )
    relations_rebuild()
    doc.refresh_from_db()
    assert doc.status == Status.REPEALED
    hits = Document.objects.filter(level="规范性文件", status=Status.REPEALED)
    assert list(hits) == [doc]


def test_indicators_are_registered_and_count_the_subtree(people, org):
    codes = set(registered())
    assert {
        ind.FILING_RATE,
        ind.FILING_ON_TIME,
        ind.LEGALITY_ON_TIME,
        ind.REVIEW_ON_TIME,
        ind.CORRECTION_RATE,
    } <= codes
    drafter, office = people["scj_handler"], people["fzb"]
    # On time: published 1 Sep, filed 10 Sep (due 8 Oct).
    a = in_force(people, org, on=date(2026, 9, 1), title="按时")
    filed(a, drafter=drafter, on=date(2026, 9, 10))
    # Late: published 1 Sep, filed 9 Oct (a day after the due date).
    b = in_force(people, org, on=date(2026, 9, 1), title="逾期")
    filed(b, drafter=drafter, on=date(2026, 10, 9))
    # Not filed and overdue by November.
    in_force(people, org, on=date(2026, 9, 1), title="未报备")
    with at(date(2026, 10, 12)):
        ns.normative_find_fault(
            actor=office, document=a, result="unlawful", text="违法。"
        )
        ns.normative_accept(actor=office, document=b)
    city = org["420200"]
    with at(date(2026, 11, 30)):
        assert ind.filing_rate(city, "2026") == Decimal("66.67")
        # As of the end of Q3 nothing was late yet (due 8 October).
        assert ind.filing_rate(city, "2026-Q3") == Decimal("100.00")
        assert ind.filing_on_time_rate(city, "2026") == Decimal("50.00")
        assert ind.legality_on_time_rate(city, "2026") == Decimal("100.00")
        # a's review was due Saturday 10 October (a 调休 working day) and
        # was decided on the 12th: late; b's (due 8 November) on time.
        assert ind.review_on_time_rate(city, "2026") == Decimal("50.00")
        # Found at fault 12 Oct, 30 days to correct: overdue by 30 November.
        assert ind.correction_rate(city, "2026") == Decimal("0.00")
        ns.normative_correct(
            actor=drafter, document=a, method="suspend", text="已停止执行第三条。"
        )
        assert ind.correction_rate(city, "2026") == Decimal("100.00")
        assert ind.filing_rate(org["420281"], "2026") is None  # nothing there


def test_demo_covers_every_stage_and_is_idempotent(people, org):
    from fazhi.domains.laws.models import NormativeDocument
    from fazhi.domains.laws.normative_demo import load_normative_demo

    with at(date(2026, 11, 16)):
        assert load_normative_demo() == 8
        assert load_normative_demo() == 0
        states = set(NormativeDocument.objects.values_list("case__state", flat=True))
        assert states == {
            "drafting",
            "reviewing",
            "published",
            "supplementing",
            "accepted",
            "correcting",
            "corrected",
        }
        assert nc.normative_expiry_sweep(actor=None).warned == 1
    assert NormativeDocument.objects.filter(law_document__isnull=False).count() == 6


def test_report_command_writes_the_docx_and_the_quarter_catalogue(
    people, org, tmp_path
):
    from docx import Document as Docx
    from openpyxl import load_workbook

    nd = in_force(people, org, on=date(2026, 7, 1), title="三季度文件")
    filed(nd, drafter=people["scj_handler"], on=date(2026, 7, 2))
    out = StringIO()
    with at(date(2026, 10, 9)):
        call_command(
            "report_normative",
            "--agency",
            "420200",
            "--year",
            "2026",
            "--quarter",
            "3",
            "--out",
            str(tmp_path),
            stdout=out,
        )
    docx = tmp_path / "规范性文件备案审查年度报告-420200-2026.docx"
    text = "\n".join(p.text for p in Docx(str(docx)).paragraphs)
    assert "报送备案1件，其中按时报送1件" in text
    ws = load_workbook(tmp_path / "规范性文件备案目录-420200-2026-Q3.xlsx").active
    assert [row[1] for row in ws.values] == ["文件名称", "三季度文件"]
    assert "目录 1 件" in out.getvalue()

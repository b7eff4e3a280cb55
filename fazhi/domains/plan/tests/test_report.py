"""The annual report: entered texts, versions, finalise/publish, data, command."""

import hashlib
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from fazhi.domains.plan import services
from fazhi.domains.plan.models import AnnualReportVersion, ProgressReport, Target
from fazhi.domains.plan.queries.report import build_annual_report_data
from fazhi.domains.plan.reports import render
from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.indicators.models import Indicator
from fazhi.kernel.indicators.services import indicator_value_report

from .test_services import parsed_plan

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def plan(people):
    return services.plan_import(
        actor=people["fzb"],
        parsed=parsed_plan(),
        source_name="plan.txt",
        source_text="原文",
    ).plan


@pytest.fixture
def report(plan, people):
    return services.annual_report_get_or_create(
        actor=people["fzb"], plan=plan, year=2026
    )


@pytest.fixture
def quick_render(monkeypatch):
    """Stand-in documents for tests about versions rather than their contents
    (a real PDF with embedded fonts takes seconds)."""
    monkeypatch.setattr(
        render, "render_annual_docx", lambda d: f"PK\x03\x04v{d.version}".encode()
    )
    monkeypatch.setattr(render, "render_annual_pdf", lambda d: b"%PDF-1.7 stand-in")


def texts_events(report):
    return AuditEvent.objects.filter(
        action="plan.report_texts", record_id=str(report.pk)
    )


def test_texts_saved_and_audited_only_when_changed(report, people):
    fzb = people["fzb"]
    texts = {
        "shortcomings": "基层执法力量薄弱",
        "leaders_duties": "市长主持召开常务会议4次",
        "next_year_plan": "",
    }
    services.annual_report_texts_save(actor=fzb, report=report, **texts)
    assert texts_events(report).count() == 1
    assert texts_events(report).get().payload["changed"] == [
        "shortcomings",
        "leaders_duties",
    ]
    # The same words again (spaces around them do not count): nothing to record.
    services.annual_report_texts_save(
        actor=fzb, report=report, **{**texts, "shortcomings": " 基层执法力量薄弱\n"}
    )
    assert texts_events(report).count() == 1
    services.annual_report_texts_save(
        actor=fzb, report=report, **{**texts, "next_year_plan": "推进数字法治政府"}
    )
    assert texts_events(report).count() == 2
    assert texts_events(report).order_by("pk").last().payload["changed"] == [
        "next_year_plan"
    ]
    report.refresh_from_db()
    assert report.next_year_plan == "推进数字法治政府"
    with pytest.raises(ValidationError) as err:
        services.annual_report_texts_save(
            actor=fzb, report=report, **{**texts, "leaders_duties": "字" * 20001}
        )
    assert "leaders_duties" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        services.annual_report_texts_save(
            actor=people["scj_handler"], report=report, **texts
        )
    assert texts_events(report).count() == 2


def test_report_year_checked(plan, people):
    with pytest.raises(ValidationError) as err:
        services.annual_report_get_or_create(actor=people["fzb"], plan=plan, year=1999)
    assert "year" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        services.annual_report_get_or_create(
            actor=people["scj_handler"], plan=plan, year=2026
        )


def test_generate_stores_both_documents(report, people):
    v1 = services.annual_report_generate(actor=people["fzb"], report=report)
    assert (v1.version, v1.state, v1.error) == (1, "done", "")
    docx, pdf = bytes(v1.docx), bytes(v1.pdf)
    assert docx.startswith(b"PK\x03\x04") and pdf.startswith(b"%PDF")
    assert v1.sha256 == hashlib.sha256(docx).hexdigest()
    assert v1.seconds > 0 and v1.created_by == people["fzb"]
    event = AuditEvent.objects.get(action="plan.report_generate")
    assert event.payload["sha256"] == v1.sha256 and event.payload["version"] == 1


def test_versions_numbered_and_kept(report, people, quick_render):
    v1 = services.annual_report_generate(actor=people["fzb"], report=report)
    v2 = services.annual_report_generate(actor=people["fzb"], report=report)
    assert (v1.version, v2.version) == (1, 2)
    assert bytes(report.versions.get(version=1).docx) == b"PK\x03\x04v1"
    assert bytes(report.versions.get(version=2).docx) == b"PK\x03\x04v2"


def test_a_pending_version_blocks_the_next(report, people, quick_render):
    pending = services.annual_report_version_start(actor=people["fzb"], report=report)
    assert pending.state == "pending" and pending.version == 1
    with pytest.raises(ValidationError) as err:
        services.annual_report_version_start(actor=people["fzb"], report=report)
    assert "version" in err.value.message_dict
    done = services.annual_report_version_render(actor=people["fzb"], version=pending)
    assert done.state == "done"
    assert services.annual_report_generate(actor=None, report=report).version == 2


def test_failing_render_leaves_failed_with_the_error(report, people, monkeypatch):
    def broken(data):
        raise RuntimeError("字体文件缺失")

    monkeypatch.setattr(render, "render_annual_docx", lambda d: b"PK\x03\x04")
    monkeypatch.setattr(render, "render_annual_pdf", broken)
    version = services.annual_report_generate(actor=people["fzb"], report=report)
    assert version.state == "failed" and "字体文件缺失" in version.error
    stored = AnnualReportVersion.objects.get(pk=version.pk)
    assert (stored.state, stored.error) == ("failed", "字体文件缺失")
    assert bytes(stored.docx) == b"" and stored.sha256 == ""
    assert not AuditEvent.objects.filter(action="plan.report_generate").exists()
    monkeypatch.setattr(render, "render_annual_pdf", lambda d: b"%PDF-1.7")
    # A failed version does not block the next; numbering goes on.
    again = services.annual_report_generate(actor=people["fzb"], report=report)
    assert (again.version, again.state) == (2, "done")
    with pytest.raises(ValidationError):  # only a generated version can be final
        services.annual_report_finalise(actor=people["fzb"], report=report, version=1)


def test_finalise_then_publish(report, people, quick_render):
    fzb = people["fzb"]
    with pytest.raises(ValidationError) as err:  # nothing final yet
        services.annual_report_publish(actor=fzb, report=report)
    assert "version" in err.value.message_dict
    services.annual_report_generate(actor=fzb, report=report)
    services.annual_report_generate(actor=fzb, report=report)
    with pytest.raises(ValidationError) as err:
        services.annual_report_finalise(actor=fzb, report=report, version=3)
    assert "version" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        services.annual_report_finalise(
            actor=people["scj_handler"], report=report, version=1
        )
    services.annual_report_finalise(
        actor=fzb, report=report, version=1, on=date(2027, 2, 20)
    )
    services.annual_report_finalise(
        actor=fzb, report=report, version=2, on=date(2027, 2, 25)
    )
    # Each finalisation renders the settled text as a new version (3, then 4);
    # only the latest is final, and the drafts stay as they were.
    assert list(
        report.versions.filter(final=True).values_list("version", flat=True)
    ) == [4]
    assert report.versions.count() == 4
    report.refresh_from_db()
    assert (report.status, report.submitted_on) == ("submitted", date(2027, 2, 25))
    services.annual_report_publish(actor=fzb, report=report, on=date(2027, 3, 15))
    report.refresh_from_db()
    assert (report.status, report.published_on, report.published_version) == (
        "published",
        date(2027, 3, 15),
        4,
    )
    actions = list(
        AuditEvent.objects.filter(record_type="plan_report")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[-5:] == [
        "plan.report_generate",  # the settled text of draft 1 as version 3
        "plan.report_submit",
        "plan.report_generate",  # draft 2 settled as version 4
        "plan.report_submit",
        "plan.report_publish",
    ]


# --- the data the documents are built from --------------------------------------------


def _submit(people, m, text, progress, when, decision):
    r = services.progress_report_submit(
        actor=people["scj_handler"], milestone=m, text=text, progress=progress
    )
    ProgressReport.objects.filter(pk=r.pk).update(
        submitted_at=datetime(*when, 10, tzinfo=SHANGHAI)
    )
    if decision:
        services.progress_report_review(
            actor=people["fzb"], report=r, decision=decision, note="审核"
        )
    return r


def test_build_data_parts_results_and_indicators(report, plan, people, org):
    fzb = people["fzb"]
    t16 = plan.nodes.get(kind="task", number="16")
    services.task_assign(actor=fzb, node=t16, agency=org["420200-SCJ"], role="co")
    m = services.milestone_create(
        actor=fzb,
        node=t16,
        agency=org["420200-SCJ"],
        title="出庭应诉统计",
        due_date=date(2027, 6, 30),
        opened_on=date(2025, 12, 1),
    )
    _submit(people, m, "去年的成果", 10, (2025, 12, 20), "accept")
    _submit(people, m, "被退回的报告", 20, (2026, 3, 1), "send_back")
    _submit(people, m, "今年的成果一", 40, (2026, 5, 1), "accept")
    _submit(people, m, "今年的成果二", 60, (2026, 9, 1), "accept")
    _submit(people, m, "尚未审核的报告", 70, (2026, 10, 1), None)
    rate = Target.objects.get(kind="rate")
    ind = Indicator.objects.get(code=rate.own_indicator_code)
    for code, value, period in [
        ("420200-SCJ", "60", "2026"),
        ("420281", "100", "2026"),
        ("420222", "100", "2025"),  # another year: not in the 2026 table
    ]:
        indicator_value_report(
            actor=fzb,
            indicator=ind,
            agency=org[code],
            period=period,
            value=value,
            evidence="统计表",
        )
    services.annual_report_texts_save(
        actor=fzb,
        report=report,
        shortcomings="不足",
        leaders_duties="职责",
        next_year_plan="安排",
    )
    report.refresh_from_db()

    data = build_annual_report_data(report, version=3)
    assert data.title == "黄石市人民政府2026年法治政府建设年度报告"
    assert (data.year, data.version, data.draft) == (2026, 3, True)
    assert (data.submit_due, data.publish_due) == (date(2027, 3, 1), date(2027, 4, 1))
    assert (data.shortcomings, data.leaders_duties, data.next_year_plan) == (
        "不足",
        "职责",
        "安排",
    )
    (part,) = data.parts  # the part has no task of its own; its section has two
    assert (part.number, part.title) == ("（六）", "加强社会矛盾纠纷行政预防调处化解")
    s16, s18 = part.tasks
    assert (s16.number, s18.number) == ("16", "18")
    assert s16.lead_units == ["市司法局"]
    assert sorted(s16.co_units) == sorted(["市公安局", "市市场监管局"])
    assert s16.results == ["市市场监管局：今年的成果二", "市市场监管局：今年的成果一"]
    assert (s16.status_label, s16.progress_percent) == ("按期推进", 60)
    assert (s18.status_label, s18.results) == ("未设节点任务", [])

    rows = [(r.name, r.agency_name, r.actual, r.status_label) for r in data.indicators]
    assert ("行政机关负责人出庭应诉率", "市市场监管局", "60", "未达标") in rows
    assert ("行政机关负责人出庭应诉率", "大冶市", "100", "达标") in rows
    assert not [r for r in rows if r[1] == "阳新县"]  # 2025's value left out
    (deadline,) = [r for r in data.indicators if r.name == "建成行政执法监督工作体系"]
    assert (deadline.actual, deadline.status, deadline.status_label) == (
        "",
        "none",
        "未填报",
    )
    assert deadline.agency_name == "黄石市人民政府"
    assert deadline.basis == "实施方案 18. 强化行政执法制约监督"
    first = data.indicators[0]
    assert (first.comparator_label, first.target, first.unit) == ("不低于", "100", "%")


def test_overdue_task_status(report, plan, people, org):
    t18 = plan.nodes.get(kind="task", number="18")
    services.task_assign(
        actor=people["fzb"], node=t18, agency=org["420200-SCJ"], role="lead"
    )
    services.milestone_create(
        actor=people["fzb"],
        node=t18,
        agency=org["420200-SCJ"],
        title="体系建设",
        due_date=date(2026, 6, 30),
        opened_on=date(2026, 1, 5),
    )
    data = build_annual_report_data(report, version=1)
    s18 = data.parts[0].tasks[1]
    expected = "存在逾期" if today() > date(2026, 6, 30) else "按期推进"
    assert s18.status_label == expected and s18.lead_units == ["市市场监管局"]


# --- fazhi report annual --------------------------------------------------------------


def test_command_writes_both_files(plan, people, tmp_path, monkeypatch):
    out = io.StringIO()
    call_command("report_annual", year=2026, out=str(tmp_path), stdout=out)
    docx = tmp_path / "法治政府建设年度报告-2026-v1.docx"
    pdf = tmp_path / "法治政府建设年度报告-2026-v1.pdf"
    assert docx.read_bytes().startswith(b"PK\x03\x04")
    assert pdf.read_bytes().startswith(b"%PDF")
    version = AnnualReportVersion.objects.get()
    assert version.sha256 == hashlib.sha256(docx.read_bytes()).hexdigest()
    text = out.getvalue()
    assert "第 1 版" in text and "用时" in text
    assert str(docx) in text and str(pdf) in text
    left = (date(2027, 3, 1) - today()).days
    assert f"还有 {left} 天" in text and "2027年3月1日" in text
    assert "年度报告向社会公开" in text and "第二十五条" in text
    exports = AuditEvent.objects.filter(
        action="data.export", record_id="plan.annual_report"
    )
    assert exports.count() == 2
    monkeypatch.setattr(render, "render_annual_pdf", lambda d: b"%PDF-1.7")
    call_command(
        "report_annual", year=2026, plan=plan.pk, out=str(tmp_path), stdout=out
    )
    assert (tmp_path / "法治政府建设年度报告-2026-v2.pdf").exists()


def test_command_says_clearly_what_is_wrong(db, org, tmp_path):
    with pytest.raises(CommandError, match="fazhi plan import"):
        call_command("report_annual", year=2026, out=str(tmp_path))
    with pytest.raises(CommandError, match="--plan"):
        call_command("report_annual", year=2026, plan=4242, out=str(tmp_path))


def test_command_refuses_a_bad_year(plan, tmp_path):
    with pytest.raises(CommandError, match="--year"):
        call_command("report_annual", year=1888, out=str(tmp_path))
    assert not list(tmp_path.iterdir())


def test_command_reports_a_failed_render(plan, tmp_path, monkeypatch):
    def broken(data):
        raise RuntimeError("找不到中文字体")

    monkeypatch.setattr(render, "render_annual_docx", broken)
    with pytest.raises(CommandError, match="第 1 版生成失败：找不到中文字体"):
        call_command("report_annual", year=2026, out=str(tmp_path))
    assert not list(tmp_path.iterdir())
    assert AnnualReportVersion.objects.get().state == "failed"

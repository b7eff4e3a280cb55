"""The plan pages through the test client: access, forms, errors, downloads."""

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.domains.plan import services
from fazhi.domains.plan.models import (
    AnnualReportVersion,
    Milestone,
    Plan,
    PlanNode,
    ProgressReport,
    Supervision,
    Target,
)
from fazhi.kernel.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PLAN = Path(__file__).parent / "fixtures" / "plans" / "huangshi-2021-2025.txt"


@pytest.fixture
def office(client, people):
    client.force_login(people["fzb"])
    return client


def upload(client, data: bytes, name="plan.txt", title="黄石市实施方案"):
    return client.post(
        "/staff/plan/",
        {"file": SimpleUploadedFile(name, data), "title": title},
    )


@pytest.fixture
def plan(office):
    response = upload(office, PLAN.read_bytes())
    assert response.status_code == 302
    return Plan.objects.get()


def test_upload_imports_the_reference_plan(office, plan):
    assert plan.nodes.filter(kind="task", is_active=True).count() == 25
    page = office.get(f"/staff/plan/{plan.pk}/").content.decode()
    assert 'data-stat="tasks">25<' in page
    assert "提升行政應訴工作" in page  # shown in the plan's own script
    again = upload(office, PLAN.read_bytes())  # the same text: no second plan
    assert again.status_code == 302 and Plan.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "空"),
        (b"\x00\x01\x02\x03" * 50, "二进制"),
        ("今天天气很好，我们去公园散步。".encode(), "实施方案"),
    ],
)
def test_bad_plan_files_get_a_clear_message(office, data, message):
    response = upload(office, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "has-error" in page or "field-errors" in page
    assert message in page
    assert Plan.objects.count() == 0


def test_gbk_plan_is_read(office):
    text = (
        "一、总体要求\n坚持依法行政。\n二、主要任务\n"
        "（一）健全制度\n1.完善立法。加强审查。\n"
    )
    response = upload(office, text.encode("gbk"), name="gbk.txt")
    assert response.status_code == 302
    assert Plan.objects.get().nodes.filter(kind="task").count() == 1


def test_handler_sees_plan_but_not_office_tools(client, people, plan):
    client.force_login(people["scj_handler"])
    listing = client.get("/staff/plan/").content.decode()
    assert "导入方案" not in listing and plan.title in listing
    assert client.get(f"/staff/plan/{plan.pk}/").status_code == 200
    assert client.get(f"/staff/plan/{plan.pk}/campaigns/").status_code == 404
    assert client.get(f"/staff/plan/{plan.pk}/report/2026/").status_code == 404
    task = plan.nodes.get(kind="task", number="16")
    response = client.post(
        f"/staff/plan/{plan.pk}/nodes/{task.pk}/edit/",
        {"title": "改", "text": "改"},
    )
    assert response.status_code == 422
    task.refresh_from_db()
    assert task.version == 1


def test_outsider_gets_no_plan_pages(client, people, plan):
    client.force_login(people["outsider"])
    assert client.get("/staff/plan/").status_code == 403
    assert client.get(f"/staff/plan/{plan.pk}/").status_code == 403


def test_assign_milestone_report_review_through_pages(
    office, client, people, org, plan
):
    task = plan.nodes.get(kind="task", number="16")
    base = f"/staff/plan/{plan.pk}/nodes/{task.pk}"
    bad = office.post(f"{base}/milestone/", {"title": "x", "due_date": "2030-01-01"})
    assert bad.status_code == 422
    scj = org["420200-SCJ"]
    assert (
        office.post(f"{base}/assign/", {"agency": scj.pk, "role": "lead"}).status_code
        == 302
    )
    past = office.post(
        f"{base}/milestone/",
        {"agency": scj.pk, "title": "统计", "due_date": "2000-01-01"},
    )
    assert past.status_code == 422 and "完成时限" in past.content.decode()
    ok = office.post(
        f"{base}/milestone/",
        {"agency": scj.pk, "title": "出庭应诉统计", "due_date": "2030-01-01"},
    )
    assert ok.status_code == 302
    m = Milestone.objects.get()
    detail = office.get(f"/staff/plan/milestones/{m.pk}/").content.decode()
    assert "完成时限，到期日" in detail and "due，" not in detail  # clock named
    handler = type(office)()
    handler.force_login(people["scj_handler"])
    refused = handler.post(
        f"/staff/plan/milestones/{m.pk}/report/",
        {
            "text": "完成",
            "progress": 100,
            "files": SimpleUploadedFile("virus.exe", b"MZ\x90\x00"),
        },
    )
    assert refused.status_code == 422 and "文件内容不是" in refused.content.decode()
    assert ProgressReport.objects.count() == 0
    sent = handler.post(
        f"/staff/plan/milestones/{m.pk}/report/",
        {
            "text": "完成",
            "progress": 100,
            "files": SimpleUploadedFile("统计.pdf", b"%PDF-1.4 demo"),
        },
    )
    assert sent.status_code == 302
    evidence = ProgressReport.objects.get().evidence.get()
    download = office.get(f"/staff/plan/milestones/{m.pk}/evidence/{evidence.pk}/")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert handler.post(
        f"/staff/plan/milestones/{m.pk}/review/", {"decision": "complete"}
    ).status_code in (403, 422)
    done = office.post(
        f"/staff/plan/milestones/{m.pk}/review/", {"decision": "complete", "score": 90}
    )
    assert done.status_code == 302
    m.refresh_from_db()
    assert m.completed_on is not None and m.progress == 100
    dash = office.get(f"/staff/plan/{plan.pk}/dashboard/").content.decode()
    assert 'id="plan-charts"' in dash and "市市场监管局" in dash
    unit = office.get(f"/staff/plan/{plan.pk}/units/{scj.pk}/").content.decode()
    assert "出庭应诉统计" in unit and "按时" in unit


def test_milestone_out_of_scope_is_404(client, people, org, plan):
    task = plan.nodes.get(kind="task", number="16")
    services.task_assign(actor=None, node=task, agency=org["420281"], role="lead")
    m = services.milestone_create(
        actor=None,
        node=task,
        agency=org["420281"],
        title="大冶市统计",
        due_date=date(2030, 1, 1),
    )
    client.force_login(people["scj_handler"])
    assert client.get(f"/staff/plan/milestones/{m.pk}/").status_code == 404
    client.force_login(people["dy_handler"])
    assert client.get(f"/staff/plan/milestones/{m.pk}/").status_code == 200


def test_supervision_notice_docx_is_audited(office, org, plan):
    task = plan.nodes.get(kind="task", number="19")
    services.task_assign(actor=None, node=task, agency=org["420200-ZWJ"], role="lead")
    m = services.milestone_create(
        actor=None,
        node=task,
        agency=org["420200-ZWJ"],
        title="答复率统计",
        due_date=date(2030, 1, 1),
    )
    response = office.post(
        f"/staff/plan/milestones/{m.pk}/supervise/",
        {"problem": "进展滞后", "requirement": "限期报送"},
    )
    notice = Supervision.objects.get()
    assert response.status_code == 302
    assert notice.number.startswith("法治督办〔")
    docx = office.get(f"/staff/plan/supervisions/{notice.pk}/notice.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert AuditEvent.objects.filter(
        action="data.export", record_id="plan.supervision_notice"
    ).exists()


def test_target_value_entry_and_link(office, org, plan):
    target = Target.objects.filter(kind="rate", subject__contains="出庭").get()
    page = f"/staff/plan/{plan.pk}/targets/{target.pk}/"
    bad = office.post(
        page,
        {"agency": org["420200"].pk, "period": "2026", "value": "x", "evidence": "表"},
    )
    assert bad.status_code == 422
    ok = office.post(
        page,
        {"agency": org["420200"].pk, "period": "2026", "value": "96", "evidence": "表"},
    )
    assert ok.status_code == 302
    assert "96" in office.get(page).content.decode()


@pytest.mark.parametrize("background", ["inline"])
def test_annual_report_generate_download_publish(office, settings, plan, background):
    settings.FAZHI_BACKGROUND = background
    base = f"/staff/plan/{plan.pk}/report/2026"
    saved = office.post(
        f"{base}/", {"leaders_duties": "市长主持专题会议4次。", "shortcomings": ""}
    )
    assert saved.status_code == 302
    assert office.post(f"{base}/generate/").status_code == 302
    version = AnnualReportVersion.objects.get()
    assert version.state == "done", version.error
    pdf = office.get(f"{base}/v1.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert office.get(f"{base}/v1.docx").content[:2] == b"PK"
    assert office.get(f"{base}/v9.pdf").status_code == 404
    published = office.post(f"{base}/state/", {"action": "publish"}, follow=True)
    assert "请先确定" in published.content.decode()  # must be finalised first
    office.post(f"{base}/state/", {"version": "1"})
    final = AnnualReportVersion.objects.get(final=True)
    assert final.version == 2 and final.state == "done"
    draft_xml = _docx_text(office.get(f"{base}/v1.docx").content)
    final_xml = _docx_text(office.get(f"{base}/v2.docx").content)
    assert "征求意见稿" in draft_xml and "征求意见稿" not in final_xml
    assert "报送提示" not in final_xml  # the office's reminder box is gone
    office.post(f"{base}/state/", {"action": "publish"})
    public = type(office)()
    listing = public.get("/fazhi-baogao/").content.decode()
    assert "2026年法治政府建设年度报告" in listing
    report_pk = plan.reports.get(year=2026).pk
    assert public.get(f"/fazhi-baogao/{report_pk}.pdf").content.startswith(b"%PDF")
    versions = office.get(f"{base}/versions/").content.decode()
    assert "定稿" in versions


def _docx_text(data: bytes) -> str:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(
            z.read(n).decode()
            for n in z.namelist()
            if n.startswith("word/") and n.endswith(".xml")
        )


def test_node_split_and_merge_pages(office, plan):
    task = plan.nodes.get(kind="task", number="1")
    base = f"/staff/plan/{plan.pk}/nodes/{task.pk}"
    response = office.post(
        f"{base}/split/",
        {
            "first_title": "甲",
            "first_text": "甲文",
            "second_title": "乙",
            "second_text": "乙文",
        },
    )
    assert response.status_code == 302
    second = plan.nodes.get(title="乙")
    merged = office.post(
        f"/staff/plan/{plan.pk}/nodes/{second.pk}/merge/", {"into": task.pk}
    )
    assert merged.status_code == 302
    second.refresh_from_db()
    assert not second.is_active
    assert PlanNode.objects.get(pk=task.pk).revs.count() == 3

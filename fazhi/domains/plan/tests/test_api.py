"""The plan REST API: scope (404 outside it), field-named errors, the whole cycle."""

import io
from datetime import date, timedelta
from pathlib import Path

import pytest

from fazhi.domains.plan import services
from fazhi.domains.plan.models import AnnualReportVersion, Milestone, Plan, Target
from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.indicators.models import Indicator
from fazhi.kernel.indicators.services import indicator_value_report

from .test_services import PNG, parsed_plan

pytestmark = pytest.mark.django_db

REFERENCE = (
    Path(__file__).resolve().parents[4] / "../shared/plans/huangshi-2021-2025.txt"
)
SMALL_PLAN = """黄石市测试实施方案（2026-2027年）

为推进法治政府建设，制定本方案。

一、主要任务
（一）提升行政应诉工作
1. 提升行政应诉质量。行政机关负责人出庭应诉率达到100%。（市司法局牵头）
2. 加强行政执法培训。每名执法人员每年参加法律知识培训不少于60学时。
"""


@pytest.fixture
def plan(people):
    return services.plan_import(
        actor=people["fzb"],
        parsed=parsed_plan(),
        source_name="plan.txt",
        source_text="原文",
    ).plan


def task(plan, number):
    return plan.nodes.get(kind="task", number=number)


def upload(name, data):
    f = io.BytesIO(data)
    f.name = name
    return f


@pytest.fixture
def milestone(plan, people, org):
    t16 = task(plan, "16")
    services.task_assign(
        actor=people["fzb"], node=t16, agency=org["420200-SCJ"], role="co"
    )
    return services.milestone_create(
        actor=people["fzb"],
        node=t16,
        agency=org["420200-SCJ"],
        title="完成年度出庭应诉统计",
        due_date=today() + timedelta(days=60),
    )


# --- plans -------------------------------------------------------------------


def test_anonymous_is_refused(client, plan):
    assert client.get("/api/plan/plans").status_code == 401


def test_plans_list_and_tree(client, people, plan):
    client.force_login(people["scj_handler"])  # staff read the published plan
    rows = client.get("/api/plan/plans").json()
    assert [(r["id"], r["can_manage"]) for r in rows] == [(plan.pk, False)]
    client.force_login(people["fzb"])
    body = client.get(f"/api/plan/plans/{plan.pk}").json()
    assert body["can_manage"] and (body["year_from"], body["year_to"]) == (2021, 2025)
    (part,) = body["nodes"]
    (section,) = part["children"]
    t16, t18 = section["children"]
    assert (part["kind"], section["kind"], t16["kind"]) == ("part", "section", "task")
    assert t16["targets"][0]["comparator"] == ">=" and t16["targets"][0]["value"]
    code = Target.objects.get(kind="rate").own_indicator_code
    assert t16["targets"][0]["indicator_code"] == code
    assert {(a["agency_code"], a["role"]) for a in t16["assignments"]} == {
        ("420200-SFJ", "lead"),
        ("420200-GAJ", "co"),
    }
    assert t18["targets"][0]["deadline_year"] == 2024


def test_outsider_sees_no_plan(client, people, plan):
    client.force_login(people["outsider"])
    assert client.get("/api/plan/plans").json() == []
    assert client.get(f"/api/plan/plans/{plan.pk}").status_code == 404
    assert client.get("/api/plan/plans/999999").status_code == 404


def test_parse_returns_the_contract_and_stores_nothing(client, people):
    client.force_login(people["fzb"])
    r = client.post(
        "/api/plan/plans/parse",
        {"file": upload("plan.txt", SMALL_PLAN.encode("gb18030"))},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["title"] == "黄石市测试实施方案（2026-2027年）"
    (part,) = body["nodes"]
    assert part["kind"] == "part"
    tasks = part["children"][0]["children"]
    assert [t["number"] for t in tasks] == ["1", "2"]
    assert set(tasks[0]) >= {"kind", "number", "title", "text", "targets", "units"}
    assert tasks[0]["targets"][0]["kind"] == "rate"
    assert tasks[0]["units"][0]["name"] == "市司法局"
    assert Plan.objects.count() == 0


@pytest.mark.skipif(not REFERENCE.exists(), reason="reference plan not available")
def test_parse_reference_plan_finds_every_task(client, people):
    client.force_login(people["fzb"])
    r = client.post(
        "/api/plan/plans/parse",
        {"file": upload("huangshi.txt", REFERENCE.read_bytes())},
    )
    assert r.status_code == 200

    def walk(nodes):
        for n in nodes:
            yield n
            yield from walk(n["children"])

    assert sum(n["kind"] == "task" for n in walk(r.json()["nodes"])) == 25


def test_parse_refuses_bad_files_naming_the_file(client, people):
    client.force_login(people["fzb"])
    for name, data in [
        ("empty.txt", b""),
        ("plan.pdf", b"%PDF-1.7\n" + bytes(range(256))),
        ("plan.docx", b"PK\x03\x04" + b"\x00" * 64),
    ]:
        r = client.post("/api/plan/plans/parse", {"file": upload(name, data)})
        assert r.status_code == 422, name
        assert r.json()["detail"]["file"][0], name
    r = client.post("/api/plan/plans/parse", {})  # no file at all
    assert r.status_code == 422
    client.force_login(people["scj_handler"])
    r = client.post("/api/plan/plans/parse", {"file": upload("p.txt", b"x")})
    assert r.status_code == 403


def test_import_through_the_api(client, people, org):
    client.force_login(people["fzb"])
    data = SMALL_PLAN.replace("市司法局牵头", "市不存在局牵头").encode("utf-8-sig")
    r = client.post("/api/plan/plans", {"file": upload("测试方案.txt", data)})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["created"] and body["nodes"] >= 4 and body["targets"] >= 2
    assert body["unmatched_units"] == ["市不存在局"]
    assert isinstance(body["problems"], list)
    stored = Plan.objects.get(pk=body["id"])
    assert (stored.source_name, stored.year_from, stored.year_to) == (
        "测试方案.txt",
        2026,
        2027,
    )
    again = client.post("/api/plan/plans", {"file": upload("again.txt", data)})
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert not again.json()["created"] and Plan.objects.count() == 1
    client.force_login(people["scj_handler"])
    r = client.post("/api/plan/plans", {"file": upload("x.txt", data)})
    assert r.status_code == 403


# --- assignment ----------------------------------------------------------------


def test_assign_and_bad_input_names_the_field(client, people, plan):
    t16 = task(plan, "16")
    url = f"/api/plan/nodes/{t16.pk}/assign"
    client.force_login(people["fzb"])
    r = client.post(
        url, {"agency": "420200-SCJ", "role": "co"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["agency_name"] == "黄石市市场监督管理局"
    assert t16.assignments.filter(agency__code="420200-SCJ", role="co").exists()
    for payload, field in [
        ({"agency": "420200-SCJ", "role": "boss"}, "role"),
        ({"agency": "NOPE", "role": "lead"}, "agency"),
    ]:
        r = client.post(url, payload, content_type="application/json")
        assert r.status_code == 422 and field in r.json()["detail"], payload
    section = t16.parent
    r = client.post(
        f"/api/plan/nodes/{section.pk}/assign",
        {"agency": "420200-SCJ", "role": "lead"},
        content_type="application/json",
    )
    assert r.status_code == 422 and "node" in r.json()["detail"]
    r = client.post(url, {"role": "lead"}, content_type="application/json")
    assert r.status_code == 422  # schema: agency missing
    client.force_login(people["scj_handler"])
    r = client.post(
        url, {"agency": "420200-SCJ", "role": "lead"}, content_type="application/json"
    )
    assert r.status_code == 403
    client.force_login(people["outsider"])
    assert client.post(url, {}, content_type="application/json").status_code in (
        404,
        422,
    )
    r = client.post(
        url, {"agency": "420200-SCJ", "role": "lead"}, content_type="application/json"
    )
    assert r.status_code == 404
    assert (
        client.post(
            "/api/plan/nodes/999999/assign",
            {"agency": "420200-SCJ", "role": "lead"},
            content_type="application/json",
        ).status_code
        == 404
    )


# --- milestones, progress, review ------------------------------------------------


def test_milestone_create_and_list_by_scope(client, people, plan, org):
    t16 = task(plan, "16")
    client.force_login(people["fzb"])
    services.task_assign(actor=people["fzb"], node=t16, agency=org["420281"], role="co")
    due = today() + timedelta(days=90)
    r = client.post(
        "/api/plan/milestones",
        {
            "node": t16.pk,
            "agency": "420281",
            "title": "大冶应诉统计",
            "due_date": str(due),
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["state"] == "open" and body["agency_code"] == "420281"
    assert body["node_label"] == "16. 提升行政应诉工作" and not body["overdue"]
    for payload, field in [
        ({"agency": "420200-SCJ"}, "agency"),  # not assigned to that unit
        ({"due_date": str(today() - timedelta(days=1))}, "due_date"),
        ({"title": " "}, "title"),
        ({"node": 999999}, "node"),
    ]:
        base = {"node": t16.pk, "agency": "420281", "title": "x", "due_date": str(due)}
        r = client.post(
            "/api/plan/milestones",
            {**base, **payload},
            content_type="application/json",
        )
        assert r.status_code == 422 and field in r.json()["detail"], payload
    r = client.post(
        "/api/plan/milestones",
        {"node": t16.pk, "agency": "420281", "title": "x", "due_date": "明天"},
        content_type="application/json",
    )
    assert r.status_code == 422
    # An old milestone, opened a year ago, now overdue.
    late = services.milestone_create(
        actor=people["fzb"],
        node=t16,
        agency=org["420281"],
        title="逾期的任务",
        due_date=today() - timedelta(days=10),
        opened_on=today() - timedelta(days=365),
    )
    client.force_login(people["dy_handler"])
    page = client.get("/api/plan/milestones").json()
    assert page["count"] == 2
    overdue = client.get("/api/plan/milestones", {"overdue": "true"}).json()
    assert [m["id"] for m in overdue["items"]] == [late.pk]
    assert overdue["items"][0]["overdue"]
    not_overdue = client.get("/api/plan/milestones", {"overdue": "false"}).json()
    assert [m["title"] for m in not_overdue["items"]] == ["大冶应诉统计"]
    assert client.get("/api/plan/milestones", {"state": "done"}).json()["count"] == 0
    assert client.get("/api/plan/milestones", {"limit": 0}).status_code == 422
    client.force_login(people["scj_handler"])  # another unit sees none of them
    assert client.get("/api/plan/milestones").json()["count"] == 0
    client.force_login(people["dy_handler"])
    r = client.post(
        "/api/plan/milestones",
        {"node": t16.pk, "agency": "420281", "title": "x", "due_date": str(due)},
        content_type="application/json",
    )
    assert r.status_code == 403  # units do not set their own milestones


def test_report_with_evidence_and_review(client, people, milestone):
    url = f"/api/plan/milestones/{milestone.pk}/reports"
    client.force_login(people["dy_handler"])  # another unit: as if absent
    r = client.post(url, {"text": "x", "progress": "10"})
    assert r.status_code == 404
    client.force_login(people["scj_handler"])
    r = client.post(
        url, {"text": "exe", "progress": "10", "files": [upload("a.exe", b"MZ\x90")]}
    )
    assert r.status_code == 422 and "files" in r.json()["detail"]
    r = client.post(url, {"text": "统计中", "progress": "很多"})
    assert r.status_code == 422 and "progress" in r.json()["detail"]
    r = client.post(
        url,
        {
            "text": "已完成上半年统计",
            "progress": "50",
            "files": [upload("统计表.png", PNG), upload("说明.pdf", b"%PDF-1.4 x")],
        },
    )
    assert r.status_code == 201, r.content
    report = r.json()
    assert [e["content_type"] for e in report["evidence"]] == [
        "image/png",
        "application/pdf",
    ]
    assert report["status"] == "submitted"
    r = client.post(url, {"text": "再报一次", "progress": "60"})
    assert r.status_code == 409  # one report at a time: it waits for review
    review = f"/api/plan/reports/{report['id']}/review"
    r = client.post(review, {"decision": "accept"}, content_type="application/json")
    assert r.status_code == 403  # a unit cannot review its own report
    client.force_login(people["dy_handler"])
    r = client.post(review, {"decision": "accept"}, content_type="application/json")
    assert r.status_code == 404
    client.force_login(people["fzb"])
    for payload, field in [
        ({"decision": "send_back"}, "note"),
        ({"decision": "maybe"}, "decision"),
        ({"decision": "accept", "score": 120}, "score"),
    ]:
        r = client.post(review, payload, content_type="application/json")
        assert r.status_code == 422 and field in r.json()["detail"], payload
    r = client.post(
        review,
        {"decision": "complete", "score": 95, "note": "材料齐全"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    milestone.refresh_from_db()
    assert (milestone.case.state, milestone.progress) == ("done", 100)
    assert milestone.completed_on == today()
    r = client.post(review, {"decision": "accept"}, content_type="application/json")
    assert r.status_code == 422  # reviewed once only
    assert (
        client.post(
            "/api/plan/reports/999999/review",
            {"decision": "accept"},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_open_milestones_listed_before_completed_ones(client, people, milestone):
    fzb, scj = people["fzb"], people["scj_handler"]
    later = services.milestone_create(
        actor=fzb,
        node=milestone.node,
        agency=milestone.agency,
        title="下半年统计",
        due_date=today() + timedelta(days=120),
    )
    report = services.progress_report_submit(
        actor=scj, milestone=milestone, text="完成", progress=100
    )
    services.progress_report_review(actor=fzb, report=report, decision="complete")
    client.force_login(scj)
    items = client.get("/api/plan/milestones").json()["items"]
    # The same order on PostgreSQL (NULL sorts last) and SQLite (NULL first).
    assert [m["id"] for m in items] == [later.pk, milestone.pk]
    assert items[1]["state"] == "done" and items[1]["completed_on"] == str(today())


# --- dashboard -------------------------------------------------------------------


def test_dashboard_targets_cells_and_units(client, people, plan, milestone, org):
    rate = Target.objects.get(kind="rate")
    ind = Indicator.objects.get(code=rate.own_indicator_code)
    for code, value in [("420200-SCJ", "60"), ("420281", "100")]:
        indicator_value_report(
            actor=people["fzb"],
            indicator=ind,
            agency=org[code],
            period="2026",
            value=value,
            evidence="统计表",
        )
    client.force_login(people["fzb"])
    body = client.get(f"/api/plan/plans/{plan.pk}/dashboard", {"year": 2026}).json()
    assert body["year"] == 2026
    rows = {r["target"]["kind"]: r for r in body["targets"]}
    assert rows["rate"]["status"] == "red"  # 60 is far below 100: worst cell decides
    cells = {float(c["value"]): c["status"] for c in rows["rate"]["cells"]}
    assert cells == {60.0: "red", 100.0: "green"}
    assert rows["date"]["status"] == "none" and rows["date"]["status_label"] == "未填报"
    assert body["counts"]["red"] == 1 and body["counts"]["none"] == 1
    assert ("2026", None) not in [
        (t["period"], t["value"]) for t in rows["rate"]["trend"]
    ]
    units = {u["agency_code"]: u for u in body["units"]}
    assert units["420200-SCJ"]["milestones"] == 1 and units["420200-SFJ"]["tasks"] == 1
    client.force_login(people["scj_handler"])  # its own cell and unit row only
    body = client.get(f"/api/plan/plans/{plan.pk}/dashboard", {"year": 2026}).json()
    cells = [c for r in body["targets"] for c in r["cells"]]
    assert [c["agency_id"] for c in cells] == [org["420200-SCJ"].pk]
    assert [u["agency_code"] for u in body["units"]] == ["420200-SCJ"]
    r = client.get(f"/api/plan/plans/{plan.pk}/dashboard", {"year": 1999})
    assert r.status_code == 422 and "year" in r.json()["detail"]
    client.force_login(people["outsider"])
    assert client.get(f"/api/plan/plans/{plan.pk}/dashboard").status_code == 404


# --- 督办 --------------------------------------------------------------------------


def test_supervision_issue_answer_close(client, people, milestone):
    client.force_login(people["scj_handler"])
    r = client.post(
        "/api/plan/supervisions",
        {"milestone": milestone.pk, "problem": "逾期", "requirement": "尽快"},
        content_type="application/json",
    )
    assert r.status_code == 403  # units do not supervise
    client.force_login(people["fzb"])
    r = client.post(
        "/api/plan/supervisions",
        {"milestone": milestone.pk, "problem": " ", "requirement": "尽快"},
        content_type="application/json",
    )
    assert r.status_code == 422 and "problem" in r.json()["detail"]
    r = client.post(
        "/api/plan/supervisions",
        {
            "milestone": milestone.pk,
            "problem": "进展滞后",
            "requirement": "十个工作日内反馈",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    notice = r.json()
    assert notice["state"] == "issued" and notice["agency_code"] == "420200-SCJ"
    assert notice["number"].startswith("法治督办〔") and notice["reply_due"]
    answer = f"/api/plan/supervisions/{notice['id']}/answer"
    client.force_login(people["dy_handler"])
    r = client.post(answer, {"answer": "x"}, content_type="application/json")
    assert r.status_code == 404
    client.force_login(people["scj_handler"])
    r = client.post(answer, {"answer": ""}, content_type="application/json")
    assert r.status_code == 422 and "answer" in r.json()["detail"]
    r = client.post(answer, {"answer": "已整改"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "answered"
    assert r.json()["answered_on"] == str(today())
    close = f"/api/plan/supervisions/{notice['id']}/close"
    r = client.post(close, {}, content_type="application/json")
    assert r.status_code == 403
    client.force_login(people["fzb"])
    r = client.post(close, {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "closed"
    r = client.post(close, {}, content_type="application/json")
    assert r.status_code == 409  # nothing left to close


# --- annual report -------------------------------------------------------------------


def test_annual_report_generate_and_download(client, people, plan):
    base = f"/api/plan/plans/{plan.pk}/report/2026"
    client.force_login(people["scj_handler"])
    assert client.get(base).status_code == 404  # the office's draft
    assert client.post(f"{base}/versions").status_code == 404
    client.force_login(people["fzb"])
    body = client.get(base).json()
    assert not body["exists"] and body["versions"] == []
    assert (body["submit_due"], body["publish_due"]) == ("2027-03-01", "2027-04-01")
    assert body["days_to_submit"] == (date(2027, 3, 1) - today()).days
    r = client.put(
        base, {"shortcomings": "基层力量薄弱"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["shortcomings"] == "基层力量薄弱"
    r = client.post(f"{base}/versions")
    assert r.status_code == 201, r.content
    v = r.json()
    assert (v["version"], v["state"]) == (1, "done") and len(v["sha256"]) == 64
    assert (
        client.get(base).json()["versions"][0]["docx_url"] == f"{base}/versions/1.docx"
    )
    before = AuditEvent.objects.filter(action="data.export").count()
    docx = client.get(f"{base}/versions/1.docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK\x03\x04")
    assert "filename*=utf-8''" in docx["Content-Disposition"].lower()
    pdf = client.get(f"{base}/versions/1.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    events = AuditEvent.objects.filter(action="data.export").order_by("pk")
    assert events.count() == before + 2
    assert events.last().payload["filters"] == {
        "plan": plan.pk,
        "year": 2026,
        "version": 1,
        "format": "pdf",
    }
    assert client.get(f"{base}/versions/2.docx").status_code == 404
    AnnualReportVersion.objects.update(state="failed")
    assert client.get(f"{base}/versions/1.docx").status_code == 404
    assert client.get(f"/api/plan/plans/{plan.pk}/report/1999").status_code == 422
    assert Milestone.objects.count() == 0

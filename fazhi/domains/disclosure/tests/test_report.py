"""The annual report tables balance, and the check names the cell that does not."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document
from openpyxl import load_workbook

from fazhi.domains.disclosure import services
from fazhi.domains.disclosure.report import build_tables, check_balance
from fazhi.kernel.org.models import Agency

from .conftest import at, company

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_of_requests(file_app, people):
    h = people["scj_handler"]
    # Carried in from 2025: received in December, replied in January.
    old = file_app(date(2025, 12, 22), content="2025年抽检计划")
    with at(date(2026, 1, 9)):
        services.reply_issue(actor=h, application=old, result_code="disclose")
    # Concluded in 2025: neither carried in nor counted.
    done = file_app(date(2025, 11, 3), content="2024年抽检计划")
    with at(date(2025, 11, 10)):
        services.reply_issue(actor=h, application=done, result_code="disclose")
    a = file_app(date(2026, 3, 2), content="甲")
    b = file_app(date(2026, 3, 3), content="乙", **company("research"))
    c = file_app(date(2026, 3, 4), content="丙", **company("commercial"))
    d = file_app(date(2026, 11, 20), content="丁", **company("legal_service"))
    with at(date(2026, 3, 20)):
        r = services.reply_issue(actor=h, application=a, result_code="unable.not_held")
        services.reply_issue(
            actor=h, application=b, result_code="partial", body="涉及商业秘密"
        )
        services.followup_record(
            actor=h,
            reply=r,
            kind="litigation_direct",
            number="(2026)鄂0202行初1号",
            filed_on=date(2026, 3, 20),
        )
    with at(date(2026, 3, 5)):
        services.correction_request(actor=h, application=c, text="请写明", days=3)
    with at(date(2026, 3, 20)):
        services.application_abandon(actor=h, application=c)
    return {"old": old, "a": a, "b": b, "c": c, "d": d}


def test_annual_table_balances_and_counts_each_row(year_of_requests, scj):
    t = build_tables(scj, 2026)
    assert check_balance(t) == []
    assert t.cell("new", "total") == 4
    assert t.cell("carried_in", "natural") == 1
    assert t.cell("disclose", "natural") == 1
    assert t.cell("partial", "research") == 1
    assert t.cell("unable.not_held", "natural") == 1
    assert t.cell("other.abandoned", "commercial") == 1
    assert t.cell("results_total", "total") == 4
    assert t.cell("carried_out", "legal_service") == 1
    assert t.followups["litigation_direct"]["pending"] == 1
    # The city government's table includes its departments.
    city = build_tables(Agency.objects.get(code="420200"), 2026)
    assert city.cell("new", "total") == 4


def test_balance_check_names_the_cell(year_of_requests, scj):
    t = build_tables(scj, 2026)
    t.requests["partial"]["research"] = 0  # a hand edit that breaks the table
    problems = check_balance(t)
    assert any("部分公开" in p and "总计列为 1" in p for p in problems)
    assert any(p.startswith("科研机构列：各项办理结果之和 0") for p in problems)


def test_report_command_writes_xlsx_and_docx(year_of_requests, tmp_path):
    call_command("report_disclosure", agency="420200-SCJ", year=2026, out=str(tmp_path))
    xlsx = next(tmp_path.glob("*.xlsx"))
    wb = load_workbook(xlsx)
    ws = wb["三、收到和处理政府信息公开申请情况"]
    rows = {r[0]: r[1:] for r in ws.iter_rows(values_only=True) if r[0]}
    assert rows["一、本年新收政府信息公开申请数量"][-1] == 4
    assert rows["（七）总计"][-1] == 4
    assert next(iter(wb["校验"].values)) == ("平衡校验", "通过")
    doc = Document(io.BytesIO(next(tmp_path.glob("*.docx")).read_bytes()))
    assert len(doc.tables) == 3
    # The national layout: table 三's org columns sit under a merged
    # "法人或其他组织" header, and table 四 is one row of fifteen numbers.
    requests = doc.tables[1]
    assert requests.rows[1].cells[3].text == "法人或其他组织"
    assert requests.rows[2].cells[2].text == "商业企业"
    followups = doc.tables[2]
    assert len(followups.rows) == 4 and len(followups.columns) == 15
    assert followups.rows[0].cells[0].text == "行政复议"
    assert followups.rows[0].cells[5].text == "行政诉讼"
    assert followups.rows[1].cells[10].text == "复议后起诉"
    values = [c.text for c in followups.rows[3].cells]
    assert values[4] == "0" and values[9] == "1"  # 复议 / 直接起诉 总计
    proactive = doc.tables[0]
    labels = [r.cells[0].text for r in proactive.rows]
    assert labels[:4] == ["第二十条第（一）项", "信息内容", "规章", "行政规范性文件"]
    assert [c.text for c in proactive.rows[1].cells][1:] == [
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
    ]
    assert wb["四、政府信息公开行政复议、行政诉讼情况"].merged_cells.ranges


def test_report_command_refuses_unknown_agency(db):
    with pytest.raises(CommandError, match="--agency"):
        call_command("report_disclosure", agency="NOPE", year=2026)


def test_demo_year_tables_balance_for_every_agency(people):
    from fazhi.domains.disclosure.demo import AGENCIES, load_disclosure_demo

    with at(date(2026, 11, 25)):
        assert load_disclosure_demo(per_agency=12) == 12 * len(AGENCIES)
        assert load_disclosure_demo(per_agency=12) == 0  # idempotent
    for code in (*AGENCIES, "420200"):
        for year in (2025, 2026):
            t = build_tables(Agency.objects.get(code=code), year)
            assert check_balance(t) == [], (code, year)
    city = build_tables(Agency.objects.get(code="420200"), 2025)
    assert city.cell("new", "total") > 0
    assert city.cell("carried_out", "total") == build_tables(
        Agency.objects.get(code="420200"), 2026
    ).cell("carried_in", "total")


def test_queue_reminds_of_the_31_january_deadline(client, people):
    from django.urls import reverse

    from fazhi.domains.disclosure.views import annual_report_reminder

    assert annual_report_reminder(date(2026, 11, 25)) is None  # too early
    december = annual_report_reminder(date(2026, 12, 1))
    assert december and december["year"] == 2026 and december["left"] == 61
    assert annual_report_reminder(date(2027, 2, 1)) is None  # past, next is far
    with at(date(2027, 1, 25)):
        client.force_login(people["scj_handler"])
        page = client.get(reverse("disclosure:queue")).content.decode()
    assert "data-report-due" in page and "还有 6 天" in page
    assert "2027年1月31日" in page and "第四十九条" in page


def test_scope_keeps_lower_governments_out_of_a_governments_own_report(
    file_app, client, people
):
    city = Agency.objects.get(code="420200")
    file_app(date(2026, 3, 2), content="市场监管")  # a city department (SCJ)
    file_app(
        date(2026, 3, 2),
        content="大冶市",
        agency=Agency.objects.get(code="420281"),
        actor=people["dy_handler"],
    )
    own = build_tables(city, 2026, "own")
    with_depts = build_tables(city, 2026, "departments")
    area = build_tables(city, 2026, "subtree")
    assert own.cell("new", "total") == 0
    assert with_depts.cell("new", "total") == 1  # SCJ, not 大冶市
    assert area.cell("new", "total") == 2
    client.force_login(people["fzb"])
    page = client.get("/staff/disclosure/report/?agency=420200&year=2026")
    assert 'option value="own" selected' in page.content.decode()
    r = client.get(
        "/staff/disclosure/report/?agency=420200&year=2026&scope=subtree&format=xlsx"
    )
    assert r.status_code == 200 and "subtree" in r["Content-Disposition"]

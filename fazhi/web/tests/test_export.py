"""XLSX export of list pages: exactly the filtered rows, formulas neutralised,
every export in the audit record."""

from datetime import UTC, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from fazhi.kernel.audit.models import AuditEvent
from fazhi.web.tables import excel_value, neutralise_formula
from fazhi.web.testing import open_case

LIST = "/staff/cases/"


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x"])
def test_formula_prefixes_get_an_apostrophe(text):
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["普通文本", "1+1=2", "a=b", ""])
def test_plain_text_is_left_alone(text):
    assert neutralise_formula(text) == text


def test_excel_values_keep_types_and_local_time():
    assert excel_value(3) == 3
    assert excel_value(None) is None
    # 06:05 UTC is 14:05 in Asia/Shanghai; spreadsheets get the wall time.
    assert excel_value(datetime(2026, 11, 25, 6, 5, tzinfo=UTC)) == datetime(
        2026, 11, 25, 14, 5
    )


def _rows(response):
    wb = load_workbook(BytesIO(response.content))
    return [list(r) for r in wb.active.iter_rows(values_only=True)]


@pytest.mark.django_db
def test_export_holds_exactly_the_filtered_rows(login_as, cases, org, people):
    open_case(people["fzb"], org["420281002"], '=HYPERLINK("http://evil","点我")')
    response = login_as("fzb").get(LIST, {"agency": "420281", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    rows = _rows(response)
    assert rows[0][:3] == ["编号", "事由", "类型"]
    numbers = {r[0] for r in rows[1:]}
    assert cases["dy"].number in numbers and cases["jinhu"].number in numbers
    assert cases["scj"].number not in numbers
    assert len(rows) == 1 + 3
    titles = [r[1] for r in rows[1:]]
    assert '\'=HYPERLINK("http://evil","点我")' in titles


@pytest.mark.django_db
def test_export_ignores_pagination(login_as, cases, org, people):
    for i in range(12):
        open_case(people["fzb"], org["420200-SCJ"], f"批量{i}")
    response = login_as("fzb").get(
        LIST, {"per_page": "10", "page": "2", "format": "xlsx"}
    )
    assert len(_rows(response)) == 1 + 15


@pytest.mark.django_db
def test_export_writes_an_audit_event(login_as, cases, people):
    login_as("fzb").get(LIST, {"agency": "420281", "format": "xlsx"})
    event = AuditEvent.objects.get(record_type="export", action="data.export")
    assert event.record_id == "workflow:case_list"
    assert event.actor_id == people["fzb"].pk
    assert event.payload["filters"] == {"agency": "420281"}
    assert event.payload["rows"] == 2


@pytest.mark.django_db
def test_export_needs_the_export_permission(login_as, cases):
    # A township clerk may view cases but not take data away.
    c = login_as("jinhu_clerk")
    assert c.get(LIST).status_code == 200
    assert "导出 XLSX" not in c.get(LIST).content.decode()
    assert c.get(LIST, {"format": "xlsx"}).status_code == 403
    assert not AuditEvent.objects.filter(record_type="export").exists()

"""The 权责清单: versions, scope, XLSX round trip and per-row errors."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook, load_workbook

from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.org import queries
from fazhi.kernel.org.models import ResponsibilityItem
from fazhi.kernel.org.responsibility import (
    responsibility_item_create,
    responsibility_item_revise,
)
from fazhi.kernel.org.responsibility_xlsx import HEADERS, export_items, import_items


@pytest.fixture
def item(people, org):
    return responsibility_item_create(
        actor=people["qz_editor"],
        code="SCJ-CF-001",
        name="对未经许可从事食品生产经营活动的行政处罚",
        item_type="行政处罚",
        legal_basis="《中华人民共和国食品安全法》第一百二十二条",
        agency=org["420200-SCJ"],
        effective_from=date(2024, 1, 1),
    )


def test_revision_adds_a_version_and_keeps_the_old(people, org, item):
    new = responsibility_item_revise(
        actor=people["qz_editor"], item=item, name="对未取得食品生产经营许可的处罚"
    )
    assert (new.version, new.is_current) == (2, True)
    old = ResponsibilityItem.objects.get(code=item.code, version=1)
    assert old.is_current is False and old.name == item.name
    event = AuditEvent.objects.filter(
        record_type="responsibility", record_id=item.code
    ).last()
    assert event is not None
    assert event.action == "responsibility.revise" and event.payload["changed"] == [
        "name"
    ]


def test_unchanged_revision_writes_nothing(people, item):
    same = responsibility_item_revise(
        actor=people["qz_editor"], item=item, name=item.name
    )
    assert same.pk == item.pk
    assert ResponsibilityItem.objects.filter(code=item.code).count() == 1


def test_revision_rejects_unknown_fields_and_bad_dates(people, item):
    with pytest.raises(ValidationError) as exc:
        responsibility_item_revise(actor=people["qz_editor"], item=item, code="X")
    assert "code" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        responsibility_item_revise(
            actor=people["qz_editor"], item=item, effective_to=date(2023, 1, 1)
        )
    assert "effective_to" in exc.value.message_dict


def test_editor_cannot_touch_another_agency(people, org, item):
    with pytest.raises(PermissionDenied):
        responsibility_item_create(
            actor=people["qz_editor"],
            code="HBJ-1",
            name="某",
            item_type="行政检查",
            legal_basis="某法",
            agency=org["420200-HBJ"],
            effective_from=date(2024, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        responsibility_item_revise(
            actor=people["qz_editor"], item=item, agency=org["420200-HBJ"]
        )


def test_create_names_every_bad_field(people, org):
    with pytest.raises(ValidationError) as exc:
        responsibility_item_create(
            actor=people["qz_editor"],
            code=" ",
            name="",
            item_type="行政罚款",
            legal_basis="",
            agency=org["420200-SCJ"],
            effective_from=None,
        )
    assert set(exc.value.message_dict) == {
        "code",
        "name",
        "item_type",
        "legal_basis",
        "effective_from",
    }


def test_duplicate_code_is_refused(people, org, item):
    with pytest.raises(ValidationError) as exc:
        responsibility_item_create(
            actor=people["qz_editor"],
            code=item.code,
            name="另一",
            item_type="其他",
            legal_basis="某法",
            agency=org["420200-SCJ"],
            effective_from=date(2024, 1, 1),
        )
    assert "code" in exc.value.message_dict


def test_list_is_scoped_searchable_in_both_scripts_and_dated(people, org, item):
    responsibility_item_revise(
        actor=people["qz_editor"], item=item, effective_to=date(2025, 12, 31)
    )
    editor = people["qz_editor"]
    assert [i.code for i in queries.responsibility_items(editor, q="食品生產")] == [
        item.code
    ]
    assert queries.responsibility_items(editor, q="ＳＣＪ－ＣＦ").count() == 1
    assert queries.responsibility_items(editor, history=True).count() == 2
    assert queries.responsibility_items(editor, on_date=date(2026, 3, 1)).count() == 0
    assert queries.responsibility_items(editor, on_date=date(2025, 3, 1)).count() == 1
    assert queries.responsibility_items(people["dy_handler"]).count() == 0
    assert queries.responsibility_items(people["outsider"]).count() == 0
    assert (
        queries.responsibility_items(people["fzb"], item_type="行政处罚").count() == 1
    )


def _sheet(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_export_then_import_round_trips_without_change(people, org, item):
    data = export_items(
        actor=people["fzb"],
        items=queries.responsibility_items(people["fzb"]),
        filters={},
    )
    report = import_items(actor=people["qz_editor"], file=io.BytesIO(data))
    assert (report.created, report.revised, report.unchanged, report.errors) == (
        0,
        0,
        1,
        [],
    )
    assert AuditEvent.objects.filter(
        action="data.export", record_id="responsibility"
    ).exists()


def test_import_reports_bad_rows_by_number_and_stores_good_ones(people, org):
    rows = [
        [
            "A-1",
            "好的事项",
            "行政许可",
            "某法第1条",
            "420200-SCJ",
            "",
            "2024-01-01",
            None,
        ],
        ["A-2", "", "行政许可", "某法", "420200-SCJ", "", "2024-01-01", None],
        ["A-3", "机构不明", "行政许可", "某法", "NOPE", "", "2024-01-01", None],
        ["A-4", "日期坏", "行政许可", "某法", "420200-SCJ", "", "2024-13-45", None],
        ["A-1", "重复", "行政许可", "某法", "420200-SCJ", "", "2024-01-01", None],
        ["A-5", "越权", "行政许可", "某法", "420200-HBJ", "", "2024年1月1日", None],
        [None, None, None, None, None, None, None, None],
    ]
    report = import_items(actor=people["qz_editor"], file=_sheet(rows))
    assert report.created == 1
    got = {(e.row, e.field) for e in report.errors}
    assert got == {
        (3, "name"),
        (4, "agency"),
        (5, "effective_from"),
        (6, "code"),
        (7, "agency"),
    }
    # Importing the same sheet again doubles nothing.
    again = import_items(actor=people["qz_editor"], file=_sheet(rows))
    assert (again.created, again.unchanged) == (0, 1)
    assert ResponsibilityItem.objects.filter(code="A-1").count() == 1


def test_dry_run_validates_without_writing(people, org):
    rows = [
        ["B-1", "事项", "行政确认", "某法", "420200-SCJ", "", "2024-01-01", None],
        ["B-2", "事项", "不存在的类型", "某法", "420200-SCJ", "", "2024-01-01", None],
    ]
    report = import_items(actor=people["qz_editor"], file=_sheet(rows), dry_run=True)
    assert report.created == 1 and [e.field for e in report.errors] == ["item_type"]
    assert not ResponsibilityItem.objects.exists()


def test_import_of_a_changed_row_revises(people, org, item):
    row = [
        item.code,
        "新名称",
        item.item_type,
        item.legal_basis,
        "420200-SCJ",
        "",
        item.effective_from,
        None,
    ]
    dry = import_items(actor=people["qz_editor"], file=_sheet([row]), dry_run=True)
    assert dry.revised == 1
    report = import_items(actor=people["qz_editor"], file=_sheet([row]))
    assert report.revised == 1
    assert ResponsibilityItem.objects.get(code=item.code, is_current=True).version == 2


def test_formula_injection_is_neutralised_and_round_trips(people, org):
    responsibility_item_create(
        actor=people["qz_editor"],
        code="F-1",
        name='=HYPERLINK("http://x")',
        item_type="其他",
        legal_basis="+cmd",
        agency=org["420200-SCJ"],
        effective_from=date(2024, 1, 1),
    )
    data = export_items(
        actor=people["fzb"],
        items=queries.responsibility_items(people["fzb"]),
        filters={},
    )
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["B2"].value.startswith("'=") and ws["D2"].value.startswith("'+")
    report = import_items(actor=people["qz_editor"], file=io.BytesIO(data))
    assert report.unchanged == 1 and not report.errors


def test_not_an_xlsx_and_missing_columns_get_clear_messages(people):
    bad = import_items(actor=people["qz_editor"], file=io.BytesIO(b"not a workbook"))
    assert bad.errors[0].field == "file" and "XLSX" in bad.errors[0].message
    wb = Workbook()
    wb.active.append(["事项编码", "事项名称"])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    missing = import_items(actor=people["qz_editor"], file=out)
    assert "缺少列" in missing.errors[0].message

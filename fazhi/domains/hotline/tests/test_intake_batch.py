"""tickets_import: an operator's batch gets what one-by-one intake gives."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.domains.hotline.models import Ticket
from fazhi.domains.hotline.services.intake import CITIZEN
from fazhi.domains.hotline.services.intake_batch import tickets_import
from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.audit.verify import verify

from .conftest import FOOD, PHONE


def _row(**over):
    row = {"ticket_type": "complaint", "content": FOOD, "phone": PHONE}
    row.update(over)
    return row


def test_batch_numbers_suggests_flags_and_audits_each_ticket(dispatcher, food_item):
    rows = [
        _row(idempotency_key="sheet-1"),
        _row(content=FOOD + "请尽快处理"),  # same caller, same matter
        _row(idempotency_key="sheet-1"),  # the same row twice
        _row(content="小区路灯坏了一个月没人修", phone="13900001111"),
    ]
    out = tickets_import(actor=dispatcher, rows=rows)
    assert [t.pk for t in out][2] == out[0].pk
    assert Ticket.objects.count() == 3
    numbers = [int(t.case.number[-6:]) for t in (out[0], out[1], out[3])]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]
    assert out[1].possible_duplicate_of_id == out[0].pk
    assert out[0].suggestion["agencies"][0]["agency"] == "黄石市市场监督管理局"
    assert all(t.channel == "phone" for t in out)
    for t in (out[0], out[1], out[3]):
        actions = AuditEvent.objects.filter(
            record_type="case", record_id=str(t.pk)
        ).values_list("action", flat=True)
        assert sorted(actions) == ["case.open", "hotline.submit"]
    assert verify().ok
    # Sent again (a retry after a timeout): the keyed row makes nothing new.
    again = tickets_import(actor=dispatcher, rows=[_row(idempotency_key="sheet-1")])
    assert again[0].pk == out[0].pk and Ticket.objects.count() == 3


def test_a_bad_row_fails_the_batch_and_names_its_row(dispatcher):
    rows = [_row(), _row(phone="12"), _row()]
    with pytest.raises(ValidationError) as exc:
        tickets_import(actor=dispatcher, rows=rows)
    assert any(k.startswith("row 2") for k in exc.value.message_dict)
    assert Ticket.objects.count() == 0


def test_only_operators_and_api_clients_import(org):
    with pytest.raises(PermissionDenied):
        tickets_import(actor=CITIZEN, rows=[_row()])
    with pytest.raises(PermissionDenied):
        tickets_import(actor=CITIZEN, rows=[_row()], channel="portal")
    with pytest.raises(PermissionDenied):
        tickets_import(actor=CITIZEN, rows=[_row()], channel="api")


# -- the batch over the API and from a file ------------------------------------


def test_api_batch_is_all_or_none_and_idempotent_by_row(client, dispatcher, people):
    url = "/api/hotline/tickets/batch"
    body = {
        "rows": [
            {**_row(), "idempotency_key": "a-1"},
            {**_row(content="小区路灯坏了一个月没人修"), "idempotency_key": "a-2"},
        ]
    }
    client.force_login(dispatcher)
    r = client.post(url, body, content_type="application/json")
    assert r.status_code == 201, r.content
    numbers = [x["number"] for x in r.json()]
    assert len(set(numbers)) == 2 and Ticket.objects.count() == 2
    again = client.post(url, body, content_type="application/json")
    assert [x["number"] for x in again.json()] == numbers
    assert Ticket.objects.count() == 2
    bad = {"rows": [_row(), {**_row(), "phone": "12345"}]}
    r = client.post(url, bad, content_type="application/json")
    assert r.status_code == 422
    assert "row 2: phone" in r.content.decode()
    assert Ticket.objects.count() == 2  # the good first row was not kept
    client.force_login(people["dy_handler"])  # no hotline.dispatch at the centre
    r = client.post(url, {"rows": [_row()]}, content_type="application/json")
    assert r.status_code == 403 and Ticket.objects.count() == 2


def _sheet(tmp_path, rows, name="calls.csv", encoding="gb18030"):
    import csv

    path = tmp_path / name
    header = ["编号", "诉求类型", "紧急程度", "诉求内容", "联系电话", "受理日期"]
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_cli_imports_a_sheet_by_labels_and_reports_lines(tmp_path, dispatcher):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from fazhi.kernel.deadlines.calendar import today

    day = today().isoformat()
    path = _sheet(
        tmp_path,
        [
            ["H-1", "投诉", "紧急", FOOD, PHONE, day],
            ["", "", "", "", "", ""],  # a blank line is skipped
            ["", "咨询", "一般", "请问𠀀居民医保怎么办理转移接续", "13900001111", day],
        ],
    )
    out = StringIO()
    call_command("hotline_import", str(path), "--user", dispatcher.username, stdout=out)
    assert "新登记 2 件" in out.getvalue()
    food = Ticket.objects.get(content=FOOD)
    assert (food.ticket_type, food.urgency, food.channel) == (
        "complaint",
        "urgent",
        "phone",
    )
    assert Ticket.objects.filter(ticket_type="consult").count() == 1
    # Run again: every row has a key, nothing is made twice.
    out = StringIO()
    call_command("hotline_import", str(path), "--user", dispatcher.username, stdout=out)
    assert "新登记 0 件，2 行此前已登记" in out.getvalue()
    bad = _sheet(
        tmp_path,
        [
            ["H-2", "投诉", "一般", FOOD, PHONE, day],
            ["H-3", "投诉", "一般", FOOD, "123", day],
        ],
        name="bad.csv",
        encoding="utf-8-sig",
    )
    with pytest.raises(CommandError, match="第 3 行 phone"):
        call_command("hotline_import", str(bad), "--user", dispatcher.username)
    assert Ticket.objects.count() == 2


def test_cli_reads_xlsx_and_refuses_what_it_cannot_use(tmp_path, dispatcher):
    from django.core.management import CommandError, call_command
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["诉求内容", "联系电话", "诉求类型"])
    book.active.append([FOOD, 13812345678, "举报"])  # a phone Excel kept as a number
    path = tmp_path / "calls.xlsx"
    book.save(path)
    call_command(
        "hotline_import", str(path), "--user", dispatcher.username, verbosity=0
    )
    assert Ticket.objects.get().ticket_type == "report"
    nophone = tmp_path / "x.csv"
    nophone.write_text("诉求内容\n路灯坏了\n", encoding="utf-8")
    with pytest.raises(CommandError, match="缺少列：联系电话"):
        call_command("hotline_import", str(nophone), "--user", dispatcher.username)
    (tmp_path / "calls.txt").write_text("x")
    with pytest.raises(CommandError, match="只能导入"):
        call_command(
            "hotline_import", str(tmp_path / "calls.txt"), "--user", dispatcher.username
        )
    with pytest.raises(CommandError, match="没有这个用户"):
        call_command("hotline_import", str(path), "--user", "nobody")
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("hotline_import", str(tmp_path / "no.csv"), "--user", "x")

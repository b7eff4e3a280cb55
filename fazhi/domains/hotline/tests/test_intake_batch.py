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
    assert "新登记 0 件，其余 2 行此前已登记" in out.getvalue()
    bad = _sheet(
        tmp_path,
        [
            ["H-2", "投诉", "一般", FOOD, PHONE, day],
            ["H-3", "投诉", "一般", FOOD, "123", day],
        ],
        name="bad.csv",
        encoding="utf-8-sig",
    )
    with pytest.raises(CommandError, match="第 3 行“联系电话”"):
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


def test_a_key_reused_for_another_request_is_refused_not_dropped(dispatcher):
    first = tickets_import(actor=dispatcher, rows=[_row(idempotency_key="k-1")])
    with pytest.raises(ValidationError) as exc:
        tickets_import(
            actor=dispatcher,
            rows=[
                _row(content="小区路灯坏了一个月没人修", idempotency_key="k-2"),
                _row(content="井盖丢失很危险", idempotency_key="k-1"),
            ],
        )
    assert list(exc.value.message_dict) == ["row 2: idempotency_key"]
    # Inside one batch, too.
    with pytest.raises(ValidationError) as exc:
        tickets_import(
            actor=dispatcher,
            rows=[
                _row(content="井盖丢失很危险", idempotency_key="k-3"),
                _row(content="路面塌陷", idempotency_key="k-3"),
            ],
        )
    assert list(exc.value.message_dict) == ["row 2: idempotency_key"]
    assert Ticket.objects.count() == 1
    # The same request again is a replay, as before.
    again = tickets_import(actor=dispatcher, rows=[_row(idempotency_key="k-1")])
    assert again[0].pk == first[0].pk


def test_every_bad_row_is_reported_at_once(dispatcher):
    rows = [_row(), _row(phone="123"), _row(), _row(ticket_type="x", service_code="")]
    with pytest.raises(ValidationError) as exc:
        tickets_import(actor=dispatcher, rows=rows)
    assert set(exc.value.message_dict) == {"row 2: phone", "row 4: ticket_type"}
    assert not Ticket.objects.exists()


def test_a_row_filed_by_type_alone_is_other_and_not_suggested_by_category(
    dispatcher, food_item
):
    made = tickets_import(
        actor=dispatcher,
        rows=[
            {
                "ticket_type": "complaint",
                "content": "花湖街道某路段路灯连续三天不亮",
                "phone": PHONE,
            }
        ],
    )
    t = Ticket.objects.get(pk=made[0].pk)
    assert t.service_code == "other-complaint"
    # 消费与食品安全 was never said: no "所选类别" suggestion from it.
    assert not any(
        "所选类别" in r for a in t.suggestion["agencies"] for r in a["reasons"]
    )


def test_cli_keeps_calls_whose_numbers_restart_and_reads_excel_dates(
    tmp_path, dispatcher
):
    from django.core.management import CommandError, call_command

    from fazhi.kernel.deadlines.calendar import today

    d = today()
    slash = f"{d.year}/{d.month}/{d.day}"
    day1 = _sheet(tmp_path, [["1", "投诉", "一般", FOOD, PHONE, slash]], name="d1.csv")
    day2 = _sheet(
        tmp_path,
        [
            [
                "1",
                "求助",
                "一般",
                "老人走失请帮忙寻找",
                "13900001111",
                f"{d.year}年{d.month}月{d.day}日",
            ]
        ],
        name="d2.csv",
    )
    call_command(
        "hotline_import", str(day1), "--user", dispatcher.username, verbosity=0
    )
    call_command(
        "hotline_import", str(day2), "--user", dispatcher.username, verbosity=0
    )
    assert Ticket.objects.count() == 2
    assert set(Ticket.objects.values_list("received_on", flat=True)) == {d}
    notype = tmp_path / "n.csv"
    notype.write_text("诉求内容,联系电话\n路灯坏了,13800138000\n", encoding="utf-8")
    with pytest.raises(CommandError, match="缺少列：诉求类型"):
        call_command("hotline_import", str(notype), "--user", dispatcher.username)
    bad = _sheet(
        tmp_path, [["9", "投诉举报", "一般", FOOD, PHONE, slash]], name="b.csv"
    )
    with pytest.raises(CommandError, match=r"第 2 行“诉求类型”.*可填：咨询、求助"):
        call_command("hotline_import", str(bad), "--user", dispatcher.username)

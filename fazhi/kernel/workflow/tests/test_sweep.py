"""`fazhi sweep`: alert colours, one supervision notice per change, checkpoints."""

from datetime import date

import time_machine
from django.core.management import call_command

from fazhi.kernel.audit.models import Checkpoint
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.notices.models import Notice
from fazhi.kernel.workflow.alerts import alert_notices_send
from fazhi.kernel.workflow.engine import case_open
from fazhi.kernel.workflow.management.commands.sweep import run_sweep


def _open(people, org, opened):
    return case_open(
        actor=people["dy_handler"],
        case_type="demo",
        agency=org["420281"],
        title="化工厂排放异味",
        opened_on=opened,
    )


@time_machine.travel("2026-03-30 10:00 +0800", tick=False)
def test_overdue_clock_notifies_the_agency_handlers_once(people, org):
    case = _open(people, org, date(2026, 3, 2))  # 15 working days: due 23 March
    result = run_sweep()
    assert result["alerts"]["red"] == 1 and result["notified"] == 1
    notice = Notice.objects.get(case=case)
    assert notice.recipient == people["dy_handler"] and "超期" in notice.subject
    assert "2026年3月23日" in notice.body
    # A second sweep (or one running at the same time) sends nothing more.
    assert run_sweep()["notified"] == 0
    assert alert_notices_send() == 0
    assert Notice.objects.filter(case=case).count() == 1
    assert Checkpoint.objects.exists()


@time_machine.travel("2026-03-20 10:00 +0800", tick=False)
def test_due_soon_then_overdue_sends_two_notices(people, org):
    case = _open(people, org, date(2026, 3, 2))
    run_sweep()
    assert Clock.objects.get(case=case).alert == "yellow"
    assert "临期" in Notice.objects.get(case=case).subject
    with time_machine.travel("2026-03-24 10:00 +0800", tick=False):
        run_sweep()
    assert [n.subject[:4] for n in Notice.objects.filter(case=case).order_by("pk")] == [
        "【临期】",
        "【超期】",
    ]


@time_machine.travel("2026-03-30 10:00 +0800", tick=False)
def test_agency_without_handlers_is_marked_without_notices(people, org):
    case = case_open(
        actor=people["fzb"],
        case_type="demo",
        agency=org["420205"],
        title="路灯不亮",
        opened_on=date(2026, 3, 2),
    )
    assert alert_notices_send() == 0  # not yet coloured
    run_sweep()
    assert not Notice.objects.filter(case=case).exists()
    assert Clock.objects.get(case=case).notified_alert == "red"


@time_machine.travel("2026-03-30 10:00 +0800", tick=False)
def test_sweep_command_reports_in_chinese(people, org, capsys):
    _open(people, org, date(2026, 3, 2))
    call_command("sweep")
    out = capsys.readouterr().out
    assert "新超期 1 项" in out and "督办提醒 1 件" in out


def test_sweep_delivers_an_sms_left_pending(people, org):
    from fazhi.kernel.notices.gateways import RecordingSmsGateway, get_sms_gateway

    # As if the process ended between commit and delivery.
    pending = Notice.objects.create(
        recipient=people["dy_handler"],
        address="13800138000",
        channel="sms",
        subject="提醒",
        body="请办理",
    )
    result = run_sweep()
    pending.refresh_from_db()
    assert result["delivered"] == 1 and pending.status == "sent"
    assert run_sweep()["delivered"] == 0
    gateway = get_sms_gateway()
    assert isinstance(gateway, RecordingSmsGateway)
    assert any("请办理" in m for m in map(str, gateway.outbox))


@time_machine.travel("2026-03-30 10:00 +0800", tick=False)
def test_notices_go_to_the_nearest_responsible_handlers(people, org):
    def notified(code):
        case = case_open(
            actor=people["fzb"],
            case_type="demo",
            agency=org[code],
            title="测试",
            opened_on=date(2026, 3, 2),
        )
        run_sweep()
        return set(
            Notice.objects.filter(case=case).values_list(
                "recipient__username", flat=True
            )
        )

    assert notified("420281002") == {"jinhu_clerk"}  # the township's own clerk
    assert notified("420281-SFJ") == {"dy_sfj"}
    assert notified("420281100") == {"dy_handler"}  # no one there: the county
    assert notified("420200-SCJ") == {"scj_handler"}
    assert "fzb" not in notified("420222")  # city-wide grants are not paged

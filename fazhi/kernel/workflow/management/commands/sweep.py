"""`fazhi sweep`: the periodic work — clock alerts, supervision notices,
undelivered e-mail/SMS, and audit checkpoints.

Run it from cron or a systemd timer every few minutes in production (see the
README); the served demo runs it on a timer. Every step claims its rows with a
guarded UPDATE, so two sweeps running at once do the work once.
"""

from typing import Any

from django.core.management.base import BaseCommand

from fazhi.kernel.audit.services import checkpoint_seal
from fazhi.kernel.deadlines.sweep import sweep_alerts
from fazhi.kernel.notices.services import notice_deliver_pending
from fazhi.kernel.workflow.alerts import alert_notices_send


def run_sweep() -> dict[str, Any]:
    alerts = sweep_alerts()
    notified = alert_notices_send()
    sent, failed = notice_deliver_pending()
    checkpoint = checkpoint_seal(actor=None)
    return {
        "alerts": alerts,
        "notified": notified,
        "delivered": sent,
        "delivery_failed": failed,
        "checkpoint": checkpoint.last_event_id if checkpoint else None,
    }


class Command(BaseCommand):
    help = "Run the periodic sweep: deadline alerts and audit checkpoints."

    def handle(self, *args: Any, **options: Any) -> None:
        r = run_sweep()
        a = r["alerts"]
        sealed = (
            f"已封存至事件 {r['checkpoint']}" if r["checkpoint"] else "无新事件需封存"
        )
        self.stdout.write(
            f"期限巡查：新超期 {a['red']} 项，新临期 {a['yellow']} 项，"
            f"恢复正常 {a['cleared']} 项；发出督办提醒 {r['notified']} 件；"
            f"补发邮件/短信 {r['delivered']} 件（失败 {r['delivery_failed']} 件）；"
            f"审计检查点：{sealed}。"
        )

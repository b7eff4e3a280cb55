"""`fazhi sweep`: the periodic work — clock alerts and audit checkpoints.

Run it from cron or a systemd timer every few minutes in production (see the
README); the served demo runs it on a timer. Every step claims its rows with a
guarded UPDATE, so two sweeps running at once do the work once.
"""

from typing import Any

from django.core.management.base import BaseCommand

from fazhi.kernel.audit.services import checkpoint_seal
from fazhi.kernel.deadlines.sweep import sweep_alerts


def run_sweep() -> dict[str, Any]:
    alerts = sweep_alerts()
    checkpoint = checkpoint_seal(actor=None)
    return {
        "alerts": alerts,
        "checkpoint": checkpoint.last_event_id if checkpoint else None,
    }


class Command(BaseCommand):
    help = "Run the periodic sweep: deadline alerts and audit checkpoints."

    def handle(self, *args: Any, **options: Any) -> None:
        result = run_sweep()
        self.stdout.write(f"sweep: {result}")

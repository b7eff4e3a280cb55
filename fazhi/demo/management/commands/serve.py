"""`fazhi serve [ADDR]`: the development server plus the periodic sweep on a timer.

For the demo only; production runs a WSGI server and `fazhi sweep` from cron.
"""

import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections


def _sweep_forever(interval: float, stop: threading.Event) -> None:
    from fazhi.kernel.workflow.management.commands.sweep import run_sweep

    while not stop.wait(interval):
        try:
            run_sweep()
        except Exception as exc:  # keep the demo serving; report and go on
            print(f"sweep failed: {exc}")
        finally:
            close_old_connections()


class Command(BaseCommand):
    help = "Serve fazhi for the demo, running `fazhi sweep` every minute."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--sweep-interval", type=float, default=60.0)

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        threading.Thread(
            target=_sweep_forever, args=(options["sweep_interval"], stop), daemon=True
        ).start()
        host = options["addrport"]
        self.stdout.write(
            f"fazhi 演示平台: http://{host}/  工作人员入口: http://{host}/staff/"
        )
        try:
            call_command("runserver", host, use_reloader=False)
        finally:
            stop.set()

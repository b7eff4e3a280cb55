"""Django's `flush`, taught that the audit tables refuse DELETE / TRUNCATE.

Django's TransactionTestCase empties every table with `flush` between tests.
In a test database the append-only triggers let this one command through; in
any other database they still refuse, so `fazhi flush` cannot erase the
full-process record.
"""

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from fazhi.kernel.audit.guard import flush_unlocked


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        with flush_unlocked(connection):
            super().handle(**options)

"""Helpers for the audit tests: deliberate tampering that bypasses the
append-only triggers the way someone with database access would."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection

from fazhi.kernel.audit.guard import HEAD_TABLE, TABLES
from fazhi.kernel.audit.services import audit_record


@contextmanager
def tampering() -> Iterator[None]:
    """Switch the append-only triggers off for the block, on purpose.

    PostgreSQL: `ALTER TABLE ... DISABLE TRIGGER USER` (the table owner may).
    SQLite: the triggers are dropped. Either way the test's transaction rolls
    the change back afterwards.
    """
    tables = [*TABLES, HEAD_TABLE]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks are pending trigger events, which
            # ALTER TABLE refuses to run over: settle them first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            try:
                yield
            finally:
                for table in tables:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER "{name}"')
            yield


def sql(statement: str, params: list | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.rowcount


@pytest.fixture
def chains(db):
    """case:1 with 4 events, case:2 with 3, user:9 with 2."""
    for seq in range(1, 5):
        audit_record(
            actor=None,
            action=f"case.step{seq}",
            record_type="case",
            record_id=1,
            payload={"step": seq, "note": "办理"},
        )
    for seq in range(1, 4):
        audit_record(
            actor=None,
            action=f"case.step{seq}",
            record_type="case",
            record_id=2,
            payload={"step": seq},
        )
    for _ in range(2):
        audit_record(
            actor=None,
            action="auth.login",
            record_type="user",
            record_id=9,
            payload={"ip": "10.0.0.1"},
        )

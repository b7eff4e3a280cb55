"""Helpers for the audit tests: deliberate tampering that bypasses the
append-only triggers the way someone with database access would."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection

from fazhi.kernel.audit.services import audit_record


@contextmanager
def tampering() -> Iterator[None]:
    """Switch the append-only triggers off for the block, on purpose.

    PostgreSQL: `session_replication_role = replica` (superuser) stops ordinary
    triggers. SQLite: the triggers are dropped; the test's transaction rolls
    the DROP back afterwards.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            try:
                yield
            finally:
                cursor.execute("SET session_replication_role = DEFAULT")
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

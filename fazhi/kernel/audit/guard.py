"""The database-side guard of the append-only tables, seen from Python.

Migration 0003 installs triggers that refuse UPDATE / DELETE / TRUNCATE. Their
single escape is for Django's test flush (TransactionTestCase empties every
table between tests): `flush_unlocked` opens it, and only on a test database.
On SQLite the triggers ask `fazhi_audit_flushing()`, a function registered on
every connection here; on PostgreSQL they read the `fazhi.audit_flush`
setting and also insist that the database name starts with ``test_``.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

_state = threading.local()

TABLES = ["audit_auditevent", "audit_checkpoint", "audit_checkpointrecord"]
HEAD_TABLE = "audit_audithead"


def _flushing() -> int:
    return 1 if getattr(_state, "flushing", False) else 0


def register_sqlite_functions(
    sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any
) -> None:
    """`connection_created` receiver: give SQLite the function the triggers ask."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("fazhi_audit_flushing", 0, _flushing)


def is_test_database(connection: BaseDatabaseWrapper) -> bool:
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor == "sqlite":
        in_memory: bool = connection.is_in_memory_db()  # type: ignore[attr-defined]
        return in_memory or name.rsplit("/", 1)[-1].startswith("test_")
    return name.startswith("test_")


@contextmanager
def flush_unlocked(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Let Django's flush empty the audit tables of a *test* database."""
    if not is_test_database(connection):
        yield
        return
    _state.flushing = True
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET fazhi.audit_flush = 'on'")
            try:
                yield
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("RESET fazhi.audit_flush")
        else:
            yield
    finally:
        _state.flushing = False


def missing_triggers(connection: BaseDatabaseWrapper) -> list[str]:
    """Names of the append-only triggers that are absent or disabled."""
    if connection.vendor == "postgresql":
        expected = [f"{t}_append_only" for t in [*TABLES, HEAD_TABLE]] + [
            f"{t}_no_truncate" for t in [*TABLES, HEAD_TABLE]
        ]
        sql = (
            "SELECT tgname FROM pg_trigger WHERE tgenabled <> 'D' AND tgname = ANY(%s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [expected])
            present = {row[0] for row in cursor.fetchall()}
    elif connection.vendor == "sqlite":
        expected = [f"{t}_no_update" for t in TABLES] + [
            f"{t}_no_delete" for t in [*TABLES, HEAD_TABLE]
        ]
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            present = {row[0] for row in cursor.fetchall()}
    else:  # pragma: no cover - only the two supported databases
        return []
    return [name for name in expected if name not in present]

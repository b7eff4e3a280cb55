# The full-process record is append-only at the database level: whatever the
# application (or an operator with a SQL prompt and the application's account)
# does, UPDATE / DELETE / TRUNCATE on the record's tables is refused by a
# trigger. Only the head table accepts UPDATE (it is the moving tip of each
# chain); it still refuses DELETE.
#
# One escape exists, for Django's test flush only (TransactionTestCase empties
# every table between tests): the `flush` command of this app switches it on,
# and only in a test database. On PostgreSQL the trigger also checks the
# database name, so a production database never honours it.
#
# NOTE for later migrations: on SQLite, Django rebuilds a table to alter it
# (create new, copy, drop old, rename), which drops its triggers. A migration
# that alters one of these tables on SQLite must run `install` again.

from django.db import migrations

APPEND_ONLY = ["audit_auditevent", "audit_checkpoint", "audit_checkpointrecord"]
NO_DELETE = ["audit_audithead"]

PG_FUNCTION = r"""
CREATE OR REPLACE FUNCTION fazhi_audit_refuse() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE'
     AND current_database() LIKE 'test\_%'
     AND current_setting('fazhi.audit_flush', true) = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'fazhi audit record is append-only: % on % refused',
    TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


def _pg_sql() -> list[str]:
    sql = [PG_FUNCTION]
    for table in APPEND_ONLY + NO_DELETE:
        ops = "UPDATE OR DELETE" if table in APPEND_ONLY else "DELETE"
        sql.append(
            f"CREATE TRIGGER {table}_append_only BEFORE {ops} ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION fazhi_audit_refuse();"
        )
        sql.append(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION fazhi_audit_refuse();"
        )
    return sql


def _sqlite_sql() -> list[str]:
    # fazhi_audit_flushing() is registered on every connection by the app
    # config; where it is missing (a bare sqlite3 shell) the DELETE fails with
    # "no such function", which refuses it just the same.
    sql = []
    for table in APPEND_ONLY + NO_DELETE:
        if table in APPEND_ONLY:
            sql.append(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'fazhi audit record is append-only: "
                f"UPDATE on {table} refused'); END;"
            )
        sql.append(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            "WHEN NOT fazhi_audit_flushing() "
            "BEGIN SELECT RAISE(ABORT, 'fazhi audit record is append-only: "
            f"DELETE on {table} refused'); END;"
        )
    return sql


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = _pg_sql()
    elif vendor == "sqlite":
        statements = _sqlite_sql()
    else:  # pragma: no cover - only the two supported databases
        return
    for statement in statements:
        # params=None: no client-side interpolation of the '%' in the SQL.
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in APPEND_ONLY + NO_DELETE:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete;")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS fazhi_audit_refuse();")


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_checkpoint_manifest"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]

"""Make the audit table append-only in the database itself (raw SQL cannot rewrite history)."""

from django.conf import settings
from django.db import migrations


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        # The test runner empties tables with DELETE on SQLite (PostgreSQL uses TRUNCATE, which
        # row triggers do not see), so the test database blocks updates only there.
        ops = ("UPDATE",) if settings.MINWON_MODE == "test" else ("UPDATE", "DELETE")
        for op in ops:
            schema_editor.execute(
                f"CREATE TRIGGER core_auditevent_no_{op.lower()} BEFORE {op} ON core_auditevent "
                "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
            )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;"
        )
        schema_editor.execute(
            "CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE OR DELETE ON core_auditevent "
            "FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();"
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for op in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS core_auditevent_no_{op}")
    elif vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent"
        )
        schema_editor.execute("DROP FUNCTION IF EXISTS core_auditevent_append_only()")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

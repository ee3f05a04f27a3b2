"""Append-only at the database level (PostgreSQL): the database itself refuses to change or
remove audit entries, and the chain head may only move forward to the entry appended after it.

On other databases this migration does nothing; the model and its queryset refuse changes there.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only: % of entry % refused', TG_OP, OLD.id
        USING ERRCODE = 'restrict_violation';
END
$$;

DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
CREATE TRIGGER audit_entry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change();

CREATE OR REPLACE FUNCTION audit_head_only_advances() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'the audit chain head cannot be removed'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.id <> OLD.id
       OR NEW.last_entry_id IS NULL
       OR (OLD.last_entry_id IS NOT NULL AND NEW.last_entry_id <= OLD.last_entry_id)
       OR NOT EXISTS (
           SELECT 1 FROM audit_auditentry e
           WHERE e.id = NEW.last_entry_id
             AND e.entry_hash = NEW.last_hash
             AND e.prev_hash = OLD.last_hash
       )
    THEN
        RAISE EXCEPTION 'the audit chain head may only advance to the entry appended after it'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS audit_head_append_only ON audit_auditchainhead;
CREATE TRIGGER audit_head_append_only
    BEFORE UPDATE OR DELETE ON audit_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION audit_head_only_advances();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_head_append_only ON audit_auditchainhead;
DROP FUNCTION IF EXISTS audit_head_only_advances();
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_refuse_change();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers, elidable=False)]

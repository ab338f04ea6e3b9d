"""The audit trail is append-only in the database itself: no UPDATE or DELETE, whoever connects.

TRUNCATE is left alone: it needs table ownership, and test teardown (flush) relies on it.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION audit_auditlog_refuser_modification() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Le journal d''accès est en ajout seul : % refusé.', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_auditlog_ajout_seul
    BEFORE UPDATE OR DELETE ON audit_auditlog
    FOR EACH ROW EXECUTE FUNCTION audit_auditlog_refuser_modification();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_auditlog_ajout_seul ON audit_auditlog;
DROP FUNCTION IF EXISTS audit_auditlog_refuser_modification();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_journal"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]

"""The audit trail refuses TRUNCATE too (a statement-level trigger), closing the last way to empty it by SQL.

The test suite empties every table between transactional tests (Django's flush is one TRUNCATE); the
test settings alone open the session with `guichet.vider_journal=oui`, the one setting this trigger
honours. Production never sets it: emptying the trail there would need the table owner to drop the
trigger, an act visible in the schema and in PostgreSQL's logs.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION audit_auditlog_refuser_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('guichet.vider_journal', true), '') = 'oui' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'Le journal d''accès est en ajout seul : % refusé.', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_auditlog_sans_truncate
    BEFORE TRUNCATE ON audit_auditlog
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditlog_refuser_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_auditlog_sans_truncate ON audit_auditlog;
DROP FUNCTION IF EXISTS audit_auditlog_refuser_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_journal_en_ajout_seul"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]

"""Audit entries can only be added, and each is sealed in a hash chain by the database."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


SEAL_SQL = """
-- The digest of an entry chained to the previous seal: the columns named one by one (a
-- column django-auditlog adds later must not change old digests), in UTC so that every
-- session agrees.
CREATE FUNCTION audit_entry_digest(previous text, entry auditlog_logentry) RETURNS text
LANGUAGE sql STABLE SET timezone TO 'UTC' AS $$
    SELECT encode(sha256(convert_to(previous || json_build_array(
        entry.id, entry.content_type_id, entry.object_pk, entry.object_id, entry.object_repr,
        entry.serialized_data, entry.action, entry.changes_text, entry.changes,
        entry.actor_id, entry.cid, entry.remote_addr, entry.remote_port, entry.timestamp,
        entry.additional_data, entry.actor_email
    )::text, 'UTF8')), 'hex')
$$;

-- Seals are written one at a time (a lock held until the transaction ends), so that each
-- one follows the last committed seal.
CREATE FUNCTION audit_seal_entry() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('approdo_audit_chain'));
    SELECT hash INTO last_hash FROM audit_logseal ORDER BY position DESC LIMIT 1;
    last_hash := coalesce(last_hash, '');
    INSERT INTO audit_logseal (entry_id, previous, hash)
    VALUES (NEW.id, last_hash, audit_entry_digest(last_hash, NEW));
    RETURN NEW;
END
$$;

CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Il registro attività si può solo accrescere: % rifiutato.', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_logentry_seal AFTER INSERT ON auditlog_logentry
    FOR EACH ROW EXECUTE FUNCTION audit_seal_entry();
CREATE TRIGGER audit_logentry_append_only BEFORE UPDATE OR DELETE ON auditlog_logentry
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_logseal_append_only BEFORE UPDATE OR DELETE ON audit_logseal
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();

-- Entries written before this migration are sealed now, in their order.
DO $$
DECLARE
    entry auditlog_logentry;
    last_hash text := '';
BEGIN
    FOR entry IN SELECT * FROM auditlog_logentry ORDER BY id LOOP
        INSERT INTO audit_logseal (entry_id, previous, hash)
        VALUES (entry.id, last_hash, audit_entry_digest(last_hash, entry));
        last_hash := audit_entry_digest(last_hash, entry);
    END LOOP;
END
$$;
"""

UNSEAL_SQL = """
DROP TRIGGER audit_logseal_append_only ON audit_logseal;
DROP TRIGGER audit_logentry_append_only ON auditlog_logentry;
DROP TRIGGER audit_logentry_seal ON auditlog_logentry;
DROP FUNCTION audit_refuse_change();
DROP FUNCTION audit_seal_entry();
DROP FUNCTION audit_entry_digest(text, auditlog_logentry);
"""


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUDITLOG_LOGENTRY_MODEL),
        ("auditlog", "0017_add_actor_email"),  # the columns the digest names
    ]

    operations = [
        migrations.CreateModel(
            name='LogSeal',
            fields=[
                ('position', models.BigAutoField(primary_key=True, serialize=False)),
                ('previous', models.CharField(max_length=64)),
                ('hash', models.CharField(max_length=64)),
                ('entry', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUDITLOG_LOGENTRY_MODEL)),
            ],
        ),
        migrations.RunSQL(SEAL_SQL, reverse_sql=UNSEAL_SQL),
]

"""The audit log only grows, and its hash chain shows any entry changed or removed."""

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from approdo.audit.models import LogSeal
from approdo.audit.services import verify_chain
from approdo.people.services import update_person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _entries(count: int) -> list[LogEntry]:
    person = PersonFactory()
    for number in range(count):
        update_person(person=person, data={"phone": f"34700000{number:02d}"})
    return list(LogEntry.objects.order_by("id"))


def test_every_entry_is_sealed_in_order_and_the_chain_verifies(capsys):
    entries = _entries(3)
    seals = list(LogSeal.objects.order_by("position"))
    assert [seal.entry_id for seal in seals] == [entry.pk for entry in entries]
    assert all(b.previous == a.hash for a, b in zip(seals, seals[1:], strict=False))
    assert verify_chain() == (len(entries), [])
    call_command("verify_audit")
    assert f"integro: {len(entries)} voci verificate" in capsys.readouterr().out


@pytest.mark.parametrize(
    "change",
    [
        lambda entry: LogEntry.objects.filter(pk=entry.pk).update(changes_text="nulla"),
        lambda entry: LogEntry.objects.filter(pk=entry.pk).delete(),
        lambda entry: LogSeal.objects.filter(entry_id=entry.pk).update(hash="0" * 64),
    ],
    ids=["update", "delete", "seal"],
)
def test_entries_and_seals_cannot_be_changed_or_removed(change):
    [entry, *_] = _entries(1)
    with pytest.raises((DatabaseError, IntegrityError), match="si può solo accrescere"):
        with transaction.atomic():
            change(entry)


def test_a_change_made_past_the_guard_is_found(capsys):
    first, second, *_ = _entries(3)
    with connection.cursor() as cursor:  # what only the database's owner could do
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # Django's foreign keys wait otherwise
        cursor.execute("ALTER TABLE auditlog_logentry DISABLE TRIGGER audit_logentry_append_only")
        cursor.execute(
            "UPDATE auditlog_logentry SET object_repr = 'altro' WHERE id = %s", [second.pk]
        )
        cursor.execute("DELETE FROM auditlog_logentry WHERE id = %s", [first.pk])
        cursor.execute("ALTER TABLE auditlog_logentry ENABLE TRIGGER audit_logentry_append_only")
    _, problems = verify_chain()
    assert (
        f"voce {first.pk}: cancellata (il sigillo 1 resta)".replace(
            "sigillo 1", f"sigillo {LogSeal.objects.get(entry_id=first.pk).position}"
        )
        in problems
    )
    assert f"voce {second.pk}: modificata dopo la registrazione" in problems
    with pytest.raises(CommandError, match="NON integro"):
        call_command("verify_audit")

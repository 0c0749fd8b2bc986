"""Audit entries for reads: who opened a person's file or downloaded a document.

Changes (create, update, delete) are written by django-auditlog for the
registered models; both end up in the same `LogEntry` table.
"""

from datetime import timedelta

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from approdo.accounts import mail
from approdo.accounts.roles import MANAGE_USERS, roles_with

from .models import SecurityAlert


def record_access(*, request, instance, detail: str, person_id: int | None = None) -> LogEntry:
    """Log that the current user read `instance` (a person's file, a document...)."""
    entry = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(instance),
        object_pk=str(instance.pk),
        object_id=instance.pk if isinstance(instance.pk, int) else None,
        object_repr=str(instance)[:200],
        action=LogEntry.Action.ACCESS,
        actor=request.user if request.user.is_authenticated else None,
        remote_addr=request.META.get("REMOTE_ADDR"),
        additional_data={"detail": detail, "person_id": person_id},
        changes_text=detail,
    )
    if entry.actor is not None:
        check_read_volume(entry.actor)
    return entry


def check_read_volume(user) -> SecurityAlert | None:
    """Raise an alert when `user` has read more than READ_ALERT_COUNT files or documents in
    the last READ_ALERT_MINUTES (once per window)."""
    minutes = settings.READ_ALERT_MINUTES
    since = timezone.now() - timedelta(minutes=minutes)
    reads = LogEntry.objects.filter(
        actor=user, action=LogEntry.Action.ACCESS, timestamp__gte=since
    )[: settings.READ_ALERT_COUNT + 1].count()
    if reads <= settings.READ_ALERT_COUNT:
        return None
    return raise_alert(
        kind=SecurityAlert.Kind.READS,
        user=user,
        detail=f"{user} ha letto più di {settings.READ_ALERT_COUNT} schede o documenti "
        f"in {minutes} minuti.",
        quiet_for=timedelta(minutes=minutes),
    )


def raise_alert(*, kind: str, user, detail: str, quiet_for=timedelta(0)) -> SecurityAlert | None:
    """Record the alert and e-mail it to the administrators; not twice for the same user and
    kind within `quiet_for`."""
    since = timezone.now() - quiet_for
    if (
        quiet_for
        and SecurityAlert.objects.filter(kind=kind, user=user, raised_at__gte=since).exists()
    ):
        return None
    alert = SecurityAlert.objects.create(kind=kind, user=user, detail=detail[:300])
    for admin in administrators():
        mail.send(
            to=admin.email,
            template="security_alert",
            context={"alert": alert, "admin": admin},
        )
    return alert


def administrators():
    """Active accounts that manage users (who receive security alerts), with an address."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, role__in=roles_with(MANAGE_USERS))
        .exclude(email="")
    )


def record_bulk_change(*, actor, model, object_pk: str, object_repr: str, detail: str) -> LogEntry:
    """One entry for work that writes many rows at once (an import), with its summary."""
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk=object_pk,
        object_repr=object_repr[:200],
        action=LogEntry.Action.CREATE,
        actor=actor,
        additional_data={"detail": detail},
        changes_text=detail,
    )


def verify_chain() -> tuple[int, list[str]]:
    """Check the seals of the audit log (migration 0001): every entry sealed once, each seal
    following the previous one, each digest matching its entry as it is now. Returns how
    many entries were checked and the problems found, in Italian."""
    problems: list[str] = []
    checked = 0
    last_hash = ""
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            """
            SELECT s.position, s.entry_id, s.previous, s.hash,
                   CASE WHEN e.id IS NULL THEN NULL ELSE audit_entry_digest(s.previous, e) END
            FROM audit_logseal s LEFT JOIN auditlog_logentry e ON e.id = s.entry_id
            ORDER BY s.position
            """
        )
        while rows := cursor.fetchmany(5000):
            for position, entry_id, previous, sealed, computed in rows:
                checked += 1
                if previous != last_hash:
                    problems.append(
                        f"sigillo {position} (voce {entry_id}): non segue il sigillo precedente"
                    )
                if computed is None:
                    problems.append(f"voce {entry_id}: cancellata (il sigillo {position} resta)")
                elif computed != sealed:
                    problems.append(f"voce {entry_id}: modificata dopo la registrazione")
                last_hash = sealed
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.id FROM auditlog_logentry e "
            "WHERE NOT EXISTS (SELECT 1 FROM audit_logseal s WHERE s.entry_id = e.id) "
            "ORDER BY e.id LIMIT 1000"
        )
        problems += [f"voce {entry_id}: senza sigillo" for (entry_id,) in cursor.fetchall()]
    return checked, problems

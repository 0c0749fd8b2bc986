"""The IPS path: opened on a referral with the person's consent, moved through the model's
phases, closed with a reason. The person's IPS flag follows the open path."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from approdo.accounts.roles import VIEW_SENSITIVE_NOTES
from approdo.people.models import Person
from approdo.placements.services import refresh_ips_placements

from .models import (
    EmployerContact,
    IPSPhase,
    PathPhaseChange,
    ProgrammePath,
)

IPS = ProgrammePath.Programme.IPS
PHASE_ORDER = list(IPSPhase.values)


def sync_ips_flag(person_ids=None) -> int:
    """Set `in_ips_path` from the open IPS paths (of everyone, or of these people): the
    flag decides who reads the file, so it must never disagree with the paths."""
    people = Person.objects.all()
    if person_ids is not None:
        people = people.filter(pk__in=list(person_ids))
    open_path = Exists(
        ProgrammePath.objects.filter(person=OuterRef("pk"), programme=IPS, end_on__isnull=True)
    )
    changed = people.filter(open_path, in_ips_path=False).update(in_ips_path=True)
    return changed + people.filter(~open_path, in_ips_path=True).update(in_ips_path=False)


def open_path(person: Person):
    return ProgrammePath.objects.filter(person=person, programme=IPS, end_on__isnull=True).first()


@transaction.atomic
def open_ips_path(
    *,
    person: Person,
    specialist,
    referred_by: str,
    referred_on: date,
    referral_reason: str = "",
    consent_given: bool,
    start_on: date | None = None,
    by,
) -> ProgrammePath:
    """Open an IPS path on the mental-health service's referral, with the person's consent."""
    start_on = start_on or timezone.localdate()
    person = Person.objects.select_for_update().get(pk=person.pk)
    errors = {}
    if not consent_given:
        errors["consent_given"] = (
            "Senza il consenso della persona al percorso IPS (dati sulla salute) il percorso "
            "non si apre."
        )
    if not referred_by.strip():
        errors["referred_by"] = "Indichi il servizio che invia la persona."
    if referred_on > start_on:
        errors["referred_on"] = "L'invio non può essere successivo all'inizio del percorso."
    if start_on > timezone.localdate():
        errors["start_on"] = "Il percorso si apre dal giorno in cui inizia: non nel futuro."
    if specialist is not None and not specialist.can(VIEW_SENSITIVE_NOTES):
        errors["specialist"] = f"{specialist} non è uno specialista IPS."
    if open_path(person) is not None:
        errors["__all__"] = "La persona ha già un percorso IPS aperto."
    if person.anonymised_at or person.processing_restricted_at:
        errors["__all__"] = "La scheda è anonimizzata o con trattamento limitato."
    if errors:
        raise ValidationError(errors)
    path = ProgrammePath.objects.create(
        person=person,
        programme=IPS,
        start_on=start_on,
        specialist=specialist,
        referred_by=referred_by.strip(),
        referred_on=referred_on,
        referral_reason=referral_reason.strip(),
        consent_at=timezone.now(),
        opened_by=by,
    )
    PathPhaseChange.objects.create(
        path=path, phase=path.phase, changed_on=start_on, note="Apertura del percorso", by=by
    )
    sync_ips_flag([person.pk])
    refresh_ips_placements([person.pk])
    return path


def _locked_open(path: ProgrammePath) -> ProgrammePath:
    path = ProgrammePath.objects.select_for_update().get(pk=path.pk)
    if not path.is_open:
        raise ValidationError(f"Il percorso è chiuso dal {path.end_on:%d/%m/%Y}.")
    return path


@transaction.atomic
def move_phase(
    *, path: ProgrammePath, phase: str, on: date | None = None, note: str = "", by
) -> PathPhaseChange:
    """Move the path to a phase (forwards or back: the model lets a person return to job
    search after a job ends); each move is kept with who, when and why."""
    path = _locked_open(path)
    on = on or timezone.localdate()
    if phase not in PHASE_ORDER:
        raise ValidationError({"phase": "Fase sconosciuta."})
    if phase == path.phase:
        current = path.get_phase_display()
        raise ValidationError({"phase": f"Il percorso è già nella fase «{current}»."})
    latest = path.phase_changes.order_by("-changed_on", "-pk").first()
    if on < path.start_on or (latest and on < latest.changed_on):
        raise ValidationError(
            {"on": "La data precede l'ultimo cambio di fase o l'inizio del percorso."}
        )
    if on > timezone.localdate():
        raise ValidationError({"on": "La data del cambio di fase è nel futuro."})
    if PHASE_ORDER.index(phase) < PHASE_ORDER.index(path.phase) and not note.strip():
        raise ValidationError({"note": "Per tornare a una fase precedente scriva il perché."})
    path.phase = phase
    path.save(update_fields=["phase"])
    return PathPhaseChange.objects.create(
        path=path, phase=phase, changed_on=on, note=note.strip(), by=by
    )


@transaction.atomic
def record_employer_contact(*, path: ProgrammePath, data: dict, by) -> EmployerContact:
    path = _locked_open(path)
    contact = EmployerContact(path=path, by=by, **data)
    if contact.contacted_on and contact.contacted_on > timezone.localdate():
        raise ValidationError({"contacted_on": "La data del contatto è nel futuro."})
    if contact.contacted_on and contact.contacted_on < path.start_on:
        raise ValidationError({"contacted_on": "La data precede l'inizio del percorso."})
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def close_path(
    *, path: ProgrammePath, end_on: date, reason: str, note: str = "", by
) -> ProgrammePath:
    """Close the path: the person leaves the IPS caseload (and the IPS service's reading of
    the file returns to the person's team)."""
    path = _locked_open(path)
    errors = {}
    if end_on < path.start_on:
        errors["end_on"] = "La chiusura non può precedere l'inizio del percorso."
    if end_on > timezone.localdate():
        errors["end_on"] = "La chiusura non può essere nel futuro."
    if not reason:
        errors["reason"] = "Indichi il motivo della chiusura."
    if errors:
        raise ValidationError(errors)
    path.end_on, path.end_reason, path.end_note = end_on, reason, note.strip()
    path.full_clean()
    path.save(update_fields=["end_on", "end_reason", "end_note"])
    sync_ips_flag([path.person_id])
    refresh_ips_placements([path.person_id])
    return path

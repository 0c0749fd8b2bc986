"""Erasure and retention: what anonymising a person's file removes, and the nightly job that
anonymises the files inactive for longer than the privacy notice promises.

What stays is what the figures count (sex, date of birth, citizenship, comune of residence,
education, the dates and outcomes of the path, placements without the tutor's name), so a
past year's report gives the same numbers before and after. Everything that names or
reaches the person goes: names, fiscal code, contacts, documents (files included), the CV,
notes, the e-mails' text, what the portal received.
"""

from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone

from approdo.audit.services import record_bulk_change
from approdo.comms.models import OutboundEmail

from .models import (
    ContactAttempt,
    CurriculumText,
    DocumentVersion,
    Person,
    Reassessment,
    RightsRequest,
    SensitiveNote,
    StatusChange,
    WorkExperience,
)

# Rows of other apps that mention the person: (model, person lookup, fields emptied).
# Upper apps are read by name (the layers: people does not import them).
BLANKED_ELSEWHERE = (
    ("intake.Interview", "person", {"notes": "", "location": ""}),
    ("matching.Candidacy", "person", {"override_reason": "", "refusal_reason": ""}),
    ("placements.Placement", "person", {"tutor": "", "end_note": ""}),
    ("portal.PortalRegistration", "person", {"submitted_data": {}}),
    ("placements.StipendPayment", "placement__person", {"note": ""}),
    (
        "training.ProgrammePath",
        "person",
        {"referred_by": "", "referring_partner": None, "referral_reason": "", "end_note": ""},
    ),
    ("training.PathPhaseChange", "path__person", {"note": ""}),
    ("training.EmployerContact", "path__person", {"outcome": ""}),
    ("training.Participation", "person", {"withdrawal_reason": "", "support_note": ""}),
    ("partners.Referral", "person", {"reason": ""}),
    ("projects.Project", "person", {"description": ""}),
    ("projects.ProjectStateChange", "project__person", {"reason": ""}),
    ("projects.ProjectMeeting", "project__person", {"notes": ""}),
    ("projects.GrantApplication", "person", {"fiscal_code": "", "decision_reason": ""}),
    ("surveys.Invitation", "person", {"answers": {}}),
    (
        "events.Registration",
        "person",
        {"first_name": "", "last_name": "", "email": "", "organisation": ""},
    ),
    ("jobfair.Booking", "person", {"first_name": "", "last_name": "", "email": "", "note": ""}),
    ("area.AreaMessage", "person", {"text": ""}),
    ("area.ProfileChange", "person", {"proposed": {}, "previous": {}}),
    ("area.AreaSession", "person", {"ip_address": None, "user_agent": ""}),
    # E-mails to others about the person (a proposal to a company, naming several people).
    (
        "comms.OutboundEmail",
        "about_people",
        {"subject": "", "body": "", "attachment_name": "", "attachment_content": ""},
    ),
)

# Rows of other apps about the person that go altogether (notes and tasks on the file).
DELETED_ELSEWHERE = ("casework.Note", "casework.Task")


def _files_of(person: Person) -> list[Path]:
    """The files on disk of the person's documents and of what the portal still holds."""
    paths = [
        settings.DOCUMENTS_DIR / path
        for path in DocumentVersion.objects.filter(document__person=person).values_list(
            "storage_path", flat=True
        )
    ]
    pending = apps.get_model("portal", "PendingDocument")
    paths += [
        settings.DOCUMENTS_DIR / path
        for path in pending.objects.filter(registration__person=person)
        .exclude(storage_path="")
        .values_list("storage_path", flat=True)
    ]
    return paths


def _remove_files(paths: list[Path]) -> None:
    root = settings.DOCUMENTS_DIR.resolve()
    for path in paths:
        resolved = path.resolve()
        if root in resolved.parents:
            resolved.unlink(missing_ok=True)


@transaction.atomic
def anonymise_person(person: Person, *, now: datetime | None = None) -> None:
    """Remove from the file, and from the rows that mention the person, everything that
    identifies them; files are deleted once the change is committed."""
    now = now or timezone.now()
    files = _files_of(person)
    Person.objects.filter(pk=person.pk).update(
        first_name="Persona",
        last_name=f"anonimizzata n. {person.pk}",
        search_name="",
        fiscal_code=None,
        birth_comune=None,
        domicile_comune=None,
        address="",
        postcode="",
        email="",
        phone="",
        desired_jobs=[],
        skills=[],
        processing_restriction_reason="",
        consent_proposal_at=None,
        consent_cv_at=None,
        needs_review=False,
        anonymised_at=now,
        updated_at=now,
    )
    WorkExperience.objects.filter(person=person).delete()
    SensitiveNote.objects.filter(person=person).delete()
    CurriculumText.objects.filter(person=person).delete()
    person.documents.all().delete()
    StatusChange.objects.filter(person=person).update(note="")
    ContactAttempt.objects.filter(person=person).update(note="")
    RightsRequest.objects.filter(person=person).update(detail="")
    Reassessment.objects.filter(person=person).update(reason="")
    OutboundEmail.objects.filter(person=person).update(
        to="", subject="", body="", attachment_name="", attachment_content=""
    )
    for label, lookup, blanks in BLANKED_ELSEWHERE:
        apps.get_model(label).objects.filter(**{lookup: person}).update(**blanks)
    for label in DELETED_ELSEWHERE:
        apps.get_model(label).objects.filter(person=person).delete()
    apps.get_model("portal", "PendingDocument").objects.filter(registration__person=person).delete()
    transaction.on_commit(lambda: _remove_files(files))


def last_activity_expression():
    """When the person last did something in the programme: the latest of registration,
    change of state, first interview, and the start or end of a placement."""
    placement = apps.get_model("placements", "Placement")
    latest_placement = (
        placement.objects.filter(person=OuterRef("pk"))
        .values("person")
        .annotate(last=Max(Coalesce("end_on", "start_on")))
        .values("last")
    )
    # GREATEST skips NULLs; registration is never one.
    return Greatest(
        F("registered_at"),
        F("status_changed_at"),
        F("first_interview_at"),
        Cast(Subquery(latest_placement), DateTimeField()),
        output_field=DateTimeField(),
    )


def due_for_anonymisation(*, now: datetime | None = None):
    """Files inactive for more than RETENTION_YEARS, not yet anonymised."""
    now = now or timezone.now()
    cutoff = now.replace(year=now.year - settings.RETENTION_YEARS)
    return (
        Person.objects.filter(anonymised_at__isnull=True, registered_at__lt=cutoff)
        .annotate(last_activity=last_activity_expression())
        .filter(Q(last_activity__lt=cutoff))
    )


def apply_retention(*, now: datetime | None = None, batch_size: int = 500) -> int:
    """Anonymise every file that is due, a batch per transaction (a crash keeps what was
    done); log the count. Returns how many files were anonymised."""
    now = now or timezone.now()
    count = 0
    while True:
        batch = list(due_for_anonymisation(now=now).order_by("pk")[:batch_size])
        if not batch:
            break
        with transaction.atomic():
            for person in batch:
                anonymise_person(person, now=now)
        count += len(batch)
    if count:
        record_bulk_change(
            actor=None,
            model=Person,
            object_pk="conservazione",
            object_repr="Anonimizzazione per decorrenza dei termini",
            detail=f"Schede anonimizzate dopo {settings.RETENTION_YEARS} anni senza "
            f"attività: {count}",
        )
    return count

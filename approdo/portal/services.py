"""Online self-registration: one person per human, whatever they submit twice."""

from datetime import date

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from approdo.comms.services import queue_email
from approdo.occupations.services import occupations_in_text
from approdo.people.choices import Channel, DocumentKind
from approdo.people.models import Person
from approdo.people.services import (
    PERSON_FIELDS,
    add_work_experience,
    create_person,
    store_document,
)

from .models import PortalRegistration


def _snapshot(cleaned: dict) -> dict:
    """What the person typed, as JSON, kept with the registration for operators to review."""
    snapshot = {}
    for field in PERSON_FIELDS + ("last_job_title", "last_employer"):
        value = cleaned.get(field)
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, models.Model):
            value = str(value)
        snapshot[field] = value
    return snapshot


def find_existing_person(*, fiscal_code: str | None, email: str) -> tuple[Person | None, str]:
    """The person a registration belongs to, by fiscal code first, then by e-mail."""
    if fiscal_code:
        person = Person.objects.filter(fiscal_code=fiscal_code).first()
        if person:
            return person, "codice fiscale"
    if email:
        person = Person.objects.filter(email__iexact=email).order_by("pk").first()
        if person:
            return person, "e-mail"
    return None, ""


def register_online(*, cleaned: dict) -> PortalRegistration:
    """Register from the portal; a repeat (same fiscal code or e-mail) is attached and flagged.

    A double submit of the same form returns the registration made the first time.
    """
    token = cleaned["submission_token"]
    if existing := PortalRegistration.objects.filter(submission_token=token).first():
        return existing
    try:
        return _register(cleaned)
    except IntegrityError:
        # Two submits of one form raced; the other one won.
        if existing := PortalRegistration.objects.filter(submission_token=token).first():
            return existing
        # The same person was just registered at the desk: attach to that file instead.
        if find_existing_person(fiscal_code=cleaned.get("fiscal_code"), email=cleaned["email"])[0]:
            return _register(cleaned)
        raise


def _lock_identity(*, fiscal_code: str | None, email: str) -> None:
    """Serialise registrations of the same fiscal code or e-mail until the transaction ends, so
    that simultaneous submissions of one person make one file (the others attach to it)."""
    keys = sorted(
        {f"codice fiscale:{fiscal_code}" if fiscal_code else "", f"e-mail:{email.lower()}"} - {""}
    )
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


@transaction.atomic
def _register(cleaned: dict) -> PortalRegistration:
    _lock_identity(fiscal_code=cleaned.get("fiscal_code"), email=cleaned["email"])
    now = timezone.now()
    person, matched_by = find_existing_person(
        fiscal_code=cleaned.get("fiscal_code"), email=cleaned["email"]
    )
    matched = person is not None
    if person is not None:
        person = Person.objects.select_for_update().get(pk=person.pk)
        person.needs_review = True
        person.save(update_fields=["needs_review", "updated_at"])
    else:
        data = {
            field: cleaned.get(field) for field in PERSON_FIELDS if cleaned.get(field) is not None
        }
        data["desired_occupations"] = [
            occupation.pk
            for occupation in occupations_in_text(", ".join(cleaned.get("desired_jobs") or []))
        ]
        person = create_person(
            data=data,
            channel=Channel.PORTALE,
            registered_at=now,
            privacy_accepted=True,
        )
        if cleaned.get("last_job_title"):
            add_work_experience(
                person=person,
                data={
                    "job_title": cleaned["last_job_title"],
                    "employer": cleaned.get("last_employer", ""),
                },
            )
    registration = PortalRegistration.objects.create(
        person=person,
        submission_token=cleaned["submission_token"],
        submitted_at=now,
        submitted_data=_snapshot(cleaned),
        privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
        privacy_accepted_at=now,
        matched_existing=matched,
        matched_by=matched_by,
    )
    store_document(
        person=person, kind=DocumentKind.IDENTITY, uploaded_file=cleaned["identity_document"]
    )
    if cleaned.get("cv"):
        store_document(person=person, kind=DocumentKind.CV, uploaded_file=cleaned["cv"])
    queue_email(
        to=cleaned["email"],
        kind="iscrizione",
        person=person,
        template="registration_again" if matched else "registration_confirmation",
        context={
            "person": person,
            "registered_at": now,
            "promise_days": settings.FIRST_INTERVIEW_PROMISE_DAYS,
            "privacy_version": settings.PRIVACY_NOTICE_VERSION,
        },
    )
    return registration

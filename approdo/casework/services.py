"""Writes of the daily work: notes, tasks, who follows whom."""

import calendar
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from approdo.accounts.models import User
from approdo.accounts.roles import EDIT_PEOPLE, VIEW_SENSITIVE_NOTES
from approdo.comms.services import queue_email
from approdo.matching.models import Candidacy, CandidacyEvent, CandidacyStage
from approdo.people.choices import Status
from approdo.people.models import Person
from approdo.vacancies.models import Vacancy
from approdo.vacancies.terms import PlacementType

from .models import Note, Task
from .selectors import NO_CONTACT_DAYS, day_in_numbers

# Automatic tasks: checks after a placement starts, a stage about to end, an open request
# with nobody proposed yet, an answer not received.
PLACEMENT_CHECK_MONTHS = (3, 6)
STAGE_ENDING_DAYS = 15
NO_CANDIDATE_DAYS = 10
# Days without an answer after which someone has to ask: the person, to a proposal; the
# company, to the CVs sent.
NO_ANSWER_DAYS = {CandidacyStage.PROPOSED: 5, CandidacyStage.CV_SENT: 10}


# What a note or task can be about, by model, and the field that points to it.
SUBJECT_FIELDS = {
    "people.Person": "person",
    "companies.Company": "company",
    "vacancies.Vacancy": "vacancy",
}


def about(subject) -> dict:
    """The field of a note or task that points to `subject` (a person, company, request)."""
    return {SUBJECT_FIELDS[subject._meta.label]: subject}


def add_note(*, subject, text: str, restricted: bool, by) -> Note:
    if restricted and not by.can(VIEW_SENSITIVE_NOTES):
        raise ValidationError("Solo gli specialisti IPS scrivono note riservate.")
    if restricted and not isinstance(subject, Person):
        raise ValidationError("Solo le note sulla scheda di una persona possono essere riservate.")
    note = Note(**about(subject), text=text.strip(), is_restricted=restricted, author=by)
    note.full_clean()
    note.save()
    return note


def correct_note(*, note: Note, text: str, by) -> Note:
    """The author corrects a note within NOTE_EDIT_MINUTES; later it is locked."""
    if not note.editable_by(by):
        raise ValidationError(
            "Questa nota non si può più correggere: aggiunga una nuova nota con la correzione."
        )
    note.text, note.edited_at = text.strip(), timezone.now()
    note.full_clean()
    note.save(update_fields=["text", "edited_at"])
    return note


def add_task(*, subject, title: str, due_on: date, assignee, by) -> Task:
    if due_on < timezone.localdate() - timedelta(days=1):
        raise ValidationError({"due_on": "La scadenza è già passata: indichi una data da oggi."})
    if assignee is not None and not assignee.can(EDIT_PEOPLE):
        raise ValidationError({"assignee": "Questa persona dello staff non lavora sulle schede."})
    task = Task(
        **about(subject),
        title=title.strip(),
        due_on=due_on,
        assignee=assignee or by,
        origin=Task.Origin.MANUAL,
        created_by=by,
    )
    task.full_clean()
    task.save()
    return task


def complete_task(*, task: Task, by) -> Task:
    if task.done_at is None:
        task.done_at, task.done_by = timezone.now(), by
        task.save(update_fields=["done_at", "done_by"])
    return task


def raise_task(
    *, subject, key: str, title: str, due_on: date, origin: str, assignee_id: int | None
) -> bool:
    """An automatic task, once per `key`; True if new."""
    try:
        with transaction.atomic():
            Task.objects.create(
                **about(subject),
                title=title,
                due_on=due_on,
                assignee_id=assignee_id,
                origin=origin,
                source_key=key,
            )
    except IntegrityError:
        return False
    return True


def raise_registration_review(*, registration) -> bool:
    """A repeated online registration waits to be compared with the file: a task for the
    person's case manager (done by itself when someone marks it reviewed)."""
    person = registration.person
    return raise_task(
        subject=person,
        assignee_id=person.case_manager_id,
        key=f"registration:{registration.pk}:review",
        title="Nuova iscrizione online di una persona già iscritta: confrontarla con la scheda",
        due_on=timezone.localdate() + timedelta(days=2),
        origin=Task.Origin.REGISTRATION,
    )


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when it has fewer days)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def raise_due_tasks(*, today: date | None = None) -> int:
    """Raise the automatic tasks that are due (run nightly): a check 3 and 6 months after a
    placement starts, a stage ending within STAGE_ENDING_DAYS, an open request with nobody
    proposed after NO_CANDIDATE_DAYS, an answer not received (NO_ANSWER_DAYS). Returns how
    many were new."""
    today = today or timezone.localdate()
    placement = apps.get_model("placements", "Placement")
    raised = 0
    for months in PLACEMENT_CHECK_MONTHS:
        started = months_before(today, months)
        for item in placement.objects.filter(
            start_on__range=(started - timedelta(days=7), started), person__anonymised_at=None
        ).select_related("person", "company"):
            raised += raise_task(
                subject=item.person,
                assignee_id=item.person.case_manager_id,
                key=f"placement:{item.pk}:{months}m",
                title=f"Verifica a {months} mesi dell'inserimento presso {item.company}",
                due_on=today + timedelta(days=7),
                origin=Task.Origin.PLACEMENT_CHECK,
            )
    for item in placement.objects.filter(
        placement_type__in=[PlacementType.STAGE, PlacementType.TIROCINIO],
        end_on__range=(today, today + timedelta(days=STAGE_ENDING_DAYS)),
        stage_outcome__in=["", "in corso"],
        person__anonymised_at=None,
    ).select_related("person", "company"):
        raised += raise_task(
            subject=item.person,
            assignee_id=item.person.case_manager_id,
            key=f"placement:{item.pk}:end",
            title=f"Lo stage presso {item.company} finisce il {item.end_on:%d/%m/%Y}: "
            "prepararne l'esito",
            due_on=item.end_on,
            origin=Task.Origin.STAGE_ENDING,
        )
    return raised + _raise_requests_without_candidates(today) + _raise_answers_not_received(today)


def _raise_requests_without_candidates(today: date) -> int:
    """An open request that has had no candidate proposed for NO_CANDIDATE_DAYS: a task for
    whoever registered it, to look for candidates or talk to the company."""
    # A candidacy past the shortlist means someone was proposed.
    proposed = Candidacy.objects.filter(vacancy=OuterRef("pk")).exclude(
        stage=CandidacyStage.SHORTLISTED
    )
    raised = 0
    for item in (
        Vacancy.objects.filter(
            status=Vacancy.OPEN_STATUS,
            requested_on__lte=today - timedelta(days=NO_CANDIDATE_DAYS),
            requested_on__gte=today - timedelta(days=NO_CANDIDATE_DAYS + 30),
        )
        .exclude(Exists(proposed))
        .select_related("company")
    ):
        raised += raise_task(
            subject=item,
            assignee_id=item.created_by_id,
            key=f"vacancy:{item.pk}:no-candidate",
            title=f"Nessun candidato proposto per «{item.job_title}» dal "
            f"{item.requested_on:%d/%m/%Y}: cercare candidati o sentire l'azienda",
            due_on=today + timedelta(days=3),
            origin=Task.Origin.NO_CANDIDATE,
        )
    return raised


def _raise_answers_not_received(today: date) -> int:
    """A proposal the person has not answered, or CVs the company has not answered, for
    NO_ANSWER_DAYS: a task on the person's file for whoever made the move (else the case
    manager)."""
    raised = 0
    for stage, days in NO_ANSWER_DAYS.items():
        moved_by = (
            CandidacyEvent.objects.filter(candidacy=OuterRef("pk"), stage=stage)
            .order_by("-at")
            .values("by")[:1]
        )
        waiting = (
            Candidacy.objects.filter(
                stage=stage,
                updated_at__date__lte=today - timedelta(days=days),
                updated_at__date__gte=today - timedelta(days=days + 30),
                vacancy__status=Vacancy.OPEN_STATUS,
                person__anonymised_at=None,
            )
            .annotate(moved_by=Subquery(moved_by))
            .select_related("person", "vacancy__company")
        )
        for candidacy in waiting:
            job = f"«{candidacy.vacancy.job_title}» ({candidacy.vacancy.company})"
            since = timezone.localtime(candidacy.updated_at).date()
            title = (
                f"Nessuna risposta alla proposta {job} del {since:%d/%m/%Y}: richiamare la persona"
                if stage == CandidacyStage.PROPOSED
                else f"Nessun riscontro dall'azienda sul CV inviato il {since:%d/%m/%Y} per "
                f"{job}: sentire l'azienda"
            )
            raised += raise_task(
                subject=candidacy.person,
                assignee_id=candidacy.moved_by or candidacy.person.case_manager_id,
                key=f"candidacy:{candidacy.pk}:{stage}:no-answer",
                title=title[:200],
                due_on=today + timedelta(days=2),
                origin=Task.Origin.NO_ANSWER,
            )
    return raised


@transaction.atomic
def assign_case_manager(*, people: list[Person], operator, by) -> int:
    """Give `people` to `operator` (each change in the audit log); they hear of it by
    e-mail with the list. Returns how many changed hands."""
    if not operator.is_active or not operator.can(EDIT_PEOPLE):
        raise ValidationError("Si può assegnare solo a chi lavora sulle schede.")
    moved = []
    for person in people:
        if person.case_manager_id != operator.pk:
            person.case_manager = operator
            person.save(update_fields=["case_manager", "updated_at"])
            moved.append(person)
    if moved and operator.email:
        queue_email(
            to=operator.email,
            kind="assegnazione",
            template="caseload_assigned",
            context={"operator": operator, "people": moved, "by": by},
            requested_by=by,
        )
    return len(moved)


def in_charge(people):
    """Of `people`, those still followed (not out of the programme)."""
    return people.exclude(status=Status.FUORI_PROTOCOLLO)


def send_daily_digests(*, today: date | None = None) -> int:
    """E-mail the day's counts to each active member of staff who asked for them, once a
    day whatever the times the job runs. Returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    for user in User.objects.filter(is_active=True, daily_digest=True).exclude(email=""):
        if not user.can(EDIT_PEOPLE):
            continue
        with transaction.atomic():
            # Claimed before sending: a second run the same day finds it taken.
            if (
                not User.objects.filter(pk=user.pk)
                .exclude(daily_digest_sent_on=today)
                .update(daily_digest_sent_on=today)
            ):
                continue
            queue_email(
                to=user.email,
                kind="riepilogo",
                template="daily_digest",
                context={
                    "user": user,
                    "today": today,
                    "day": day_in_numbers(user, today=today),
                    "no_contact_days": NO_CONTACT_DAYS,
                    "desk_url": settings.PUBLIC_BASE_URL.rstrip("/") + reverse("people:dashboard"),
                },
            )
        sent += 1
    return sent

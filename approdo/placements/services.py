"""Placements: validation of the terms, links to the vacancy and the selection, status effects."""

from datetime import date, datetime, time
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from approdo.core.services import assign_fields, model_update
from approdo.matching.models import CandidacyStage
from approdo.matching.services import advance_candidacy
from approdo.people.choices import ExitReason, Status
from approdo.people.models import Person
from approdo.people.services import change_status
from approdo.vacancies.models import Vacancy, VacancyStatus
from approdo.vacancies.services import change_vacancy_status, filled_positions
from approdo.vacancies.terms import Contract, PlacementType, terms_errors

from .choices import EndReason
from .models import Placement, StageOutcome, StipendPayment

# The placement's own terms, as the form shows them (after company, request, predecessor).
PLACEMENT_FIELDS = (
    "continuation",
    "placement_type",
    "contract",
    "start_on",
    "end_on",
    "weekly_hours",
    "job_title",
    "occupation",
    "monthly_stipend",
    "tutor",
    "stage_outcome",
)
STAGE_TYPES = (PlacementType.STAGE, PlacementType.TIROCINIO)


def _during_ips_path(person, start_on):
    """Open IPS paths of `person` on `start_on` (expressions, or values): the training
    app's paths, read by name since it sits above this one."""
    return apps.get_model("training", "ProgrammePath").objects.filter(
        Q(end_on__isnull=True) | Q(end_on__gte=start_on),
        person=person,
        programme="IPS",
        start_on__lte=start_on,
    )


def started_in_ips_path(person_id: int, start_on: date | None) -> bool:
    """An IPS placement is a job that starts while the person's IPS path is open."""
    return start_on is not None and _during_ips_path(person_id, start_on).exists()


def refresh_ips_placements(person_ids) -> int:
    """Re-derive `is_ips` of these people's placements after their IPS paths changed (a
    path opened from an earlier date, or closed). Returns how many changed."""
    during = Exists(_during_ips_path(OuterRef("person"), OuterRef("start_on")))
    placements = Placement.objects.filter(person__in=list(person_ids))
    changed = placements.filter(during, is_ips=False).update(is_ips=True)
    return changed + placements.filter(~during, is_ips=True).update(is_ips=False)


def check_placement_terms(data: dict, *, continues: Placement | None) -> None:
    """Refuse contradictory terms before anything is written."""
    errors = {}
    placement_type = data.get("placement_type")
    start, end = data.get("start_on"), data.get("end_on")
    hours = data.get("weekly_hours")
    if start and end and end < start:
        errors["end_on"] = "La fine dell'inserimento non può precedere l'inizio."
    errors.update(
        terms_errors(
            placement_type=placement_type or "",
            contract=data.get("contract") or "",
            weekly_hours=hours,
        )
    )
    if data.get("monthly_stipend") is not None and placement_type not in STAGE_TYPES:
        errors["monthly_stipend"] = "L'indennità si indica solo per stage e tirocini."
    if continues is not None:
        if not data.get("continuation"):
            errors["continuation"] = "Indichi se è un rinnovo, una proroga o una trasformazione."
        if start and start < continues.start_on:
            errors["start_on"] = (
                "Il nuovo inserimento non può iniziare prima di quello che continua."
            )
    elif data.get("continuation"):
        errors["continuation"] = "Rinnovo, proroga o trasformazione di quale inserimento?"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_placement(
    *,
    person: Person,
    company,
    data: dict,
    by,
    vacancy=None,
    candidacy=None,
    continues: Placement | None = None,
    readmit: bool = False,
    move_out_as_working: bool = False,
) -> Placement:
    """Record a job start; it fills the request's positions and may close the person's path."""
    check_placement_terms(data, continues=continues)
    if vacancy is not None and continues is None:
        # Locked so that simultaneous placements cannot fill more positions than there are.
        vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        filled = filled_positions(vacancy)
        if filled >= vacancy.positions:
            raise ValidationError(
                {
                    "vacancy": f"La richiesta ha {vacancy.positions} posti, già tutti coperti "
                    f"({filled} inserimenti). Se l'azienda assume più persone del previsto, "
                    "aumenti prima i posti della richiesta."
                }
            )
    person = Person.objects.select_for_update().get(pk=person.pk)
    if continues is not None and continues.person_id != person.pk:
        raise ValidationError("L'inserimento da continuare è di un'altra persona.")
    if person.status == Status.REGISTRATO:
        raise ValidationError(
            "La persona non ha ancora fatto il primo colloquio: prima va presa in carico."
        )
    if person.status == Status.FUORI_PROTOCOLLO:
        if not readmit:
            raise ValidationError(
                {
                    "readmit": "La persona è fuori protocollo: per registrare "
                    "l'inserimento va prima riammessa (spunti "
                    "«Riammetti la persona»)."
                }
            )
        change_status(
            person=person, to_status=Status.IN_CARICO, by=by, note="Riammissione per un inserimento"
        )
    if move_out_as_working and data.get("contract") != Contract.TEMPO_INDETERMINATO:
        raise ValidationError(
            {
                "move_out_as_working": "Si esce come «lavora» in un passo solo con "
                "un contratto a tempo indeterminato."
            }
        )
    placement = Placement(
        person=person, company=company, vacancy=vacancy, continues=continues, created_by=by
    )
    assign_fields(instance=placement, fields=PLACEMENT_FIELDS, data=data)
    placement.is_ips = started_in_ips_path(person.pk, placement.start_on)
    placement.full_clean()
    placement.save()
    if candidacy is not None:
        advance_candidacy(
            candidacy=candidacy, stage=CandidacyStage.HIRED, by=by, note=str(placement)
        )
        placement.candidacy = candidacy
        placement.save(update_fields=["candidacy"])
    if (
        vacancy is not None
        and continues is None
        and vacancy.status == VacancyStatus.APERTA
        and filled_positions(vacancy) >= vacancy.positions
    ):
        change_vacancy_status(
            vacancy=vacancy,
            to_status=VacancyStatus.COPERTA,
            by=by,
            note="Tutti i posti sono stati coperti",
        )
    if move_out_as_working:
        if placement.start_on > timezone.localdate():
            # The person leaves as working when the contract starts, not when it is
            # recorded: the worker does it (with the e-mail) on the first day.
            from .tasks import move_out_when_started

            move_out_when_started.using(run_after=start_of_day(placement.start_on)).enqueue(
                placement_id=placement.pk
            )
        else:
            move_out_as_working_now(placement=placement, by=by)
    return placement


def start_of_day(day) -> datetime:
    return datetime.combine(day, time(7), tzinfo=timezone.get_current_timezone())


@transaction.atomic
def move_out_as_working_now(*, placement: Placement, by=None) -> bool:
    """The permanent contract has started: the person leaves the programme as working,
    unless they already left or the placement was ended early. True if they left now."""
    placement = Placement.objects.select_related("person", "company").get(pk=placement.pk)
    person = Person.objects.select_for_update().get(pk=placement.person_id)
    if person.status != Status.IN_CARICO or placement.ended_early_on is not None:
        return False
    change_status(
        person=person,
        to_status=Status.FUORI_PROTOCOLLO,
        by=by or placement.created_by,
        reason=ExitReason.LAVORA,
        note=f"Assunzione a tempo indeterminato: {placement.company}",
    )
    return True


@transaction.atomic
def update_placement(*, placement: Placement, data: dict, by) -> list[str]:
    """Correct a placement's terms (each change in the audit log): only what changed is
    written. Returns the names of the changed fields."""
    check_placement_terms(data, continues=placement.continues)
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    for name in PLACEMENT_FIELDS:
        if name in data:
            setattr(placement, name, data[name])
    placement.full_clean()
    data = {**data, "is_ips": started_in_ips_path(placement.person_id, placement.start_on)}
    return model_update(instance=placement, fields=(*PLACEMENT_FIELDS, "is_ips"), data=data)


@transaction.atomic
def end_early(*, placement: Placement, ended_on, reason: str, note: str, by) -> Placement:
    """The placement ended before its term (resignation, dismissal...): a stage in progress
    is then interrupted."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.ended_early_on is not None:
        raise ValidationError("La conclusione anticipata è già registrata.")
    if ended_on < placement.start_on:
        raise ValidationError({"ended_on": "La data è prima dell'inizio dell'inserimento."})
    if placement.end_on is not None and ended_on > placement.end_on:
        raise ValidationError(
            {"ended_on": f"L'inserimento finiva già il {placement.end_on:%d/%m/%Y}."}
        )
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": "La data non può essere futura."})
    if reason not in EndReason.values:
        raise ValidationError({"reason": "Scelga il motivo della conclusione."})
    placement.ended_early_on, placement.end_reason, placement.end_note = ended_on, reason, note
    fields = ["ended_early_on", "end_reason", "end_note"]
    if placement.placement_type in STAGE_TYPES and placement.stage_outcome in (
        "",
        StageOutcome.IN_CORSO,
    ):
        placement.stage_outcome = StageOutcome.INTERROTTO
        fields.append("stage_outcome")
    placement.save(update_fields=fields)
    return placement


def record_stage_outcome(*, placement: Placement, outcome: str, by) -> Placement:
    if placement.placement_type not in STAGE_TYPES:
        raise ValidationError("L'esito si registra per stage e tirocini.")
    if outcome not in StageOutcome.values:
        raise ValidationError({"outcome": "Scelga l'esito dello stage."})
    placement.stage_outcome = outcome
    placement.save(update_fields=["stage_outcome"])
    return placement


def record_stipend(
    *, placement: Placement, month: date, amount: Decimal, during_suspension: bool, note: str, by
) -> StipendPayment:
    """The stipend paid for a month of a stage or traineeship; recording a month again
    corrects it (the audit log keeps the previous amount)."""
    if placement.placement_type not in STAGE_TYPES:
        raise ValidationError("L'indennità si registra solo per stage e tirocini.")
    month = month.replace(day=1)
    first = placement.start_on.replace(day=1)
    last_day = placement.ended_early_on or placement.end_on
    if month < first:
        raise ValidationError(
            {
                "month": f"Lo stage inizia il {placement.start_on:%d/%m/%Y}: scelga un mese "
                f"da {first:%m/%Y} in poi."
            }
        )
    if last_day is not None and month > last_day.replace(day=1):
        raise ValidationError({"month": f"Lo stage è finito il {last_day:%d/%m/%Y}."})
    if month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": "Non si registra l'indennità di un mese futuro."})
    if amount < 0:
        raise ValidationError({"amount": "L'importo non può essere negativo."})
    payment, _ = StipendPayment.objects.update_or_create(
        placement=placement,
        month=month,
        defaults={
            "amount": amount,
            "during_suspension": during_suspension,
            "note": note.strip(),
            "recorded_by": by,
        },
    )
    return payment


def remove_stipend(*, payment: StipendPayment) -> None:
    payment.delete()


def placement_chain(placement: Placement) -> list[Placement]:
    """The whole chain the placement belongs to (stage → extension → fixed term →
    permanent), from its first placement, in order."""
    first = placement
    while first.continues_id is not None:
        first = Placement.objects.select_related("company").get(pk=first.continues_id)
    chain = [first]
    frontier = [first.pk]
    while frontier:
        nexts = list(
            Placement.objects.filter(continues_id__in=frontier)
            .select_related("company")
            .order_by("start_on", "pk")
        )
        chain += nexts
        frontier = [item.pk for item in nexts]
    return chain

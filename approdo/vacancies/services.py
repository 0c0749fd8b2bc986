"""Personnel requests: creation with requirements, and their status lifecycle."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from approdo.placements.choices import MINI_JOB_MAX_WEEKLY_HOURS, PlacementType

from .models import Requirement, RequirementKind, Vacancy, VacancyStatus, VacancyStatusChange

VACANCY_FIELDS = (
    "company",
    "occupation",
    "job_title",
    "description",
    "positions",
    "workplace",
    "placement_type",
    "contract",
    "weekly_hours",
    "shifts",
    "nights",
    "weekends",
    "start_on",
    "salary_band",
    "requested_on",
    "legacy_id",
)

ALLOWED_TRANSITIONS = {
    VacancyStatus.APERTA: {VacancyStatus.SOSPESA, VacancyStatus.COPERTA, VacancyStatus.ANNULLATA},
    VacancyStatus.SOSPESA: {VacancyStatus.APERTA, VacancyStatus.COPERTA, VacancyStatus.ANNULLATA},
    VacancyStatus.COPERTA: {VacancyStatus.APERTA},
    VacancyStatus.ANNULLATA: set(),
}


def check_vacancy_terms(data: dict) -> None:
    """Contradictions between type, contract and hours, in Italian."""
    placement_type = data.get("placement_type")
    hours = data.get("weekly_hours")
    errors = {}
    if placement_type == PlacementType.MINI_JOB and (
        hours is None or hours > MINI_JOB_MAX_WEEKLY_HOURS
    ):
        errors["weekly_hours"] = (
            "Un mini job è sotto le 20 ore settimanali: indichi al massimo "
            f"{MINI_JOB_MAX_WEEKLY_HOURS} ore o scelga un'altra tipologia."
        )
    if data.get("contract") and placement_type != PlacementType.ASSUNZIONE:
        errors["contract"] = "Il contratto si indica solo per le assunzioni."
    if placement_type == PlacementType.ASSUNZIONE and not data.get("contract"):
        errors["contract"] = "Per un'assunzione indichi il tipo di contratto."
    if errors:
        raise ValidationError(errors)


def check_requirements(requirements: list[dict]) -> None:
    seen = {}
    for requirement in requirements:
        key = (requirement["kind"], requirement.get("value", ""))
        if key in seen and seen[key] != requirement["is_must"]:
            raise ValidationError(
                f"«{requirement.get('value') or requirement['kind']}» è sia "
                "indispensabile sia gradito: scelga uno dei due."
            )
        seen[key] = requirement["is_must"]
        if (
            requirement["kind"] == RequirementKind.DISTANCE
            and not str(requirement.get("value", "")).isdigit()
        ):
            raise ValidationError("La distanza massima è un numero di chilometri.")


@transaction.atomic
def save_vacancy(
    *, vacancy: Vacancy | None = None, data: dict, requirements: list[dict], by
) -> Vacancy:
    """Create or change a request and replace its requirements, all or nothing."""
    check_vacancy_terms(data)
    check_requirements(requirements)
    creating = vacancy is None
    vacancy = vacancy or Vacancy(created_by=by, status=VacancyStatus.APERTA)
    for name in VACANCY_FIELDS:
        if name in data:
            setattr(vacancy, name, data[name])
    vacancy.full_clean()
    vacancy.save()
    vacancy.requirements.all().delete()
    Requirement.objects.bulk_create(
        Requirement(vacancy=vacancy, kind=r["kind"], value=r.get("value", ""), is_must=r["is_must"])
        for r in requirements
    )
    if creating:
        VacancyStatusChange.objects.create(
            vacancy=vacancy,
            to_status=VacancyStatus.APERTA,
            changed_by=by,
            changed_at=timezone.now(),
            note="Richiesta registrata",
        )
    return vacancy


@transaction.atomic
def change_vacancy_status(*, vacancy: Vacancy, to_status: str, by, note: str = "") -> Vacancy:
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if to_status not in ALLOWED_TRANSITIONS[vacancy.status]:
        raise ValidationError(
            f"Una richiesta «{vacancy.get_status_display().lower()}» non può "
            f"diventare «{VacancyStatus(to_status).label.lower()}»."
        )
    VacancyStatusChange.objects.create(
        vacancy=vacancy,
        from_status=vacancy.status,
        to_status=to_status,
        changed_by=by,
        note=note,
        changed_at=timezone.now(),
    )
    vacancy.status = to_status
    vacancy.save(update_fields=["status"])
    return vacancy


def filled_positions(vacancy: Vacancy) -> int:
    return vacancy.placements.filter(continues__isnull=True).count()

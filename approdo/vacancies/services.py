"""Personnel requests: creation with requirements, and their status lifecycle."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from approdo.core.services import assign_fields

from .models import (
    VACANCY_WORKFLOW,
    Requirement,
    RequirementKind,
    Vacancy,
    VacancyStatus,
    VacancyStatusChange,
)
from .terms import terms_errors

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


def check_vacancy_terms(data: dict) -> None:
    """Contradictions between type, contract and hours, in Italian."""
    errors = terms_errors(
        placement_type=data.get("placement_type", ""),
        contract=data.get("contract", ""),
        weekly_hours=data.get("weekly_hours"),
    )
    if errors:
        raise ValidationError(errors)


def check_requirements(requirements: list[dict]) -> None:
    seen: dict[tuple[str, str], bool] = {}
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
    assign_fields(instance=vacancy, fields=VACANCY_FIELDS, data=data)
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
    VACANCY_WORKFLOW.check(vacancy.status, to_status)
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

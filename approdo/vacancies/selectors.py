"""Reads of personnel requests: the filtered list (page and export)."""

from django.apps import apps
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import Vacancy


def filter_vacancies(
    *,
    q: str = "",
    status: str = "",
    occupation: int | str = "",
    placement_type: str = "",
    requested_from: str = "",
    requested_to: str = "",
) -> QuerySet[Vacancy]:
    """The requests matching the list's filters (days as ISO dates), newest first, with how
    many candidates each has and how many were placed."""
    vacancies = Vacancy.objects.select_related("company", "occupation", "workplace")
    if q := q.strip():
        vacancies = vacancies.filter(
            Q(job_title__icontains=q) | Q(company__name__icontains=q) | Q(company__vat_number=q)
        )
    if status:
        vacancies = vacancies.filter(status=status)
    if occupation:
        vacancies = vacancies.filter(occupation_id=occupation)
    if placement_type:
        vacancies = vacancies.filter(placement_type=placement_type)
    if requested_from:
        vacancies = vacancies.filter(requested_on__gte=requested_from)
    if requested_to:
        vacancies = vacancies.filter(requested_on__lte=requested_to)
    return vacancies.annotate(
        candidate_count=_count_of("matching", "Candidacy"),
        placement_count=_count_of("placements", "Placement"),
    ).order_by("-requested_on", "-pk")


def _count_of(app: str, model: str):
    """How many rows of an upper app's model point to the request (read by name: the
    layers), as a subquery that runs only for the rows shown."""
    rows = apps.get_model(app, model).objects.filter(vacancy=OuterRef("pk"))
    return Coalesce(
        Subquery(rows.order_by().values("vacancy").annotate(n=Count("pk")).values("n")), 0
    )

"""Reads of placements: the filtered list (page and export), the stipends paid."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum

from approdo.people.models import Person
from approdo.people.permissions import visible_people
from approdo.people.selectors import search_people

from .models import Placement, StipendPayment


def filter_placements(
    *,
    q: str = "",
    placement_type: str = "",
    contract: str = "",
    started_from: str = "",
    started_to: str = "",
    stage_outcome: str = "",
    ended_early: bool = False,
    end_reason: str = "",
) -> QuerySet[Placement]:
    """The placements matching the list's filters (days as ISO dates), latest start first.
    `q` finds the person (name or fiscal code), the company (name or VAT number) or the
    job title."""
    paid = (
        StipendPayment.objects.filter(placement=OuterRef("pk"))
        .values("placement")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    placements = Placement.objects.select_related("person", "company", "occupation").annotate(
        stipends_paid=Subquery(paid)
    )
    if q := q.strip():
        people = search_people(Person.objects.all(), q).values("pk")
        placements = placements.filter(
            Q(person__in=people)
            | Q(company__name__icontains=q)
            | Q(company__vat_number=q)
            | Q(job_title__icontains=q)
        )
    if placement_type:
        placements = placements.filter(placement_type=placement_type)
    if contract:
        placements = placements.filter(contract=contract)
    if started_from:
        placements = placements.filter(start_on__gte=started_from)
    if started_to:
        placements = placements.filter(start_on__lte=started_to)
    if stage_outcome:
        placements = placements.filter(stage_outcome=stage_outcome)
    if ended_early:
        placements = placements.exclude(ended_early_on=None)
    if end_reason:
        placements = placements.filter(end_reason=end_reason)
    return placements.order_by("-start_on", "-pk")


def visible_placements(user, placements: QuerySet[Placement]) -> QuerySet[Placement]:
    """Of `placements`, those of people `user` reads without a reason."""
    return placements.filter(person__in=visible_people(user).values("pk"))


@dataclass
class Stipends:
    payments: list[StipendPayment]
    total: Decimal
    during_suspension: Decimal


def stipends_of(placement: Placement) -> Stipends:
    """The stipends paid month by month, with the total and what was kept during a
    suspension as income support."""
    payments = list(placement.stipend_payments.all())
    return Stipends(
        payments=payments,
        total=sum((p.amount for p in payments), Decimal(0)),
        during_suspension=sum((p.amount for p in payments if p.during_suspension), Decimal(0)),
    )

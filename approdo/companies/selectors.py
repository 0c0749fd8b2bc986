from datetime import date

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from approdo.places.geography import normalise

from .models import BoardMembership, Company


def board_members_on(day: date) -> QuerySet[BoardMembership]:
    return BoardMembership.objects.filter(joined_on__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=day)
    )


def company_search_q(search: str) -> Q:
    """A company whose name contains the words typed, or whose VAT number starts with the
    digits typed (five at least)."""
    condition = Q(search_name__contains=normalise(search))
    digits = "".join(ch for ch in search if ch.isdigit())
    if len(digits) >= 5:
        condition |= Q(vat_number__startswith=digits)
    return condition


def filter_companies(
    *,
    search: str = "",
    sector: str = "",
    board: str = "",
    comune: str = "",
    open_requests: bool = False,
    placed_this_year: bool = False,
    year: int | None = None,
) -> QuerySet[Company]:
    """Companies with the filters of the list; annotated with open requests and placements."""
    # Requests live in an app above this one: looked up by name, not imported.
    vacancy = apps.get_model("vacancies", "Vacancy")
    today = date.today()
    year = year or today.year
    companies = Company.objects.select_related("comune").annotate(
        open_requests=Count(
            "vacancies", filter=Q(vacancies__status=vacancy.OPEN_STATUS), distinct=True
        ),
        placements_this_year=Count(
            "placements", filter=Q(placements__start_on__year=year), distinct=True
        ),
        in_board=Exists(board_members_on(today).filter(company=OuterRef("pk"))),
    )
    if search:
        companies = companies.filter(company_search_q(search))
    if sector:
        companies = companies.filter(sector=sector)
    if board == "si":
        companies = companies.filter(in_board=True)
    elif board == "no":
        companies = companies.filter(in_board=False)
    if comune:
        companies = companies.filter(comune_id=comune)
    if open_requests:
        companies = companies.filter(open_requests__gt=0)
    if placed_this_year:
        companies = companies.filter(placements_this_year__gt=0)
    return companies.order_by("name", "pk")

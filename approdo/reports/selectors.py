"""Reads about the figures themselves: which years have a report."""

from django.db.models import Min
from django.utils import timezone

from approdo.people.models import Person


def report_years() -> range:
    """From the year of the first registration on record (at the latest, last year: the
    last complete year always has its report) to this year."""
    this_year = timezone.localdate().year
    first = Person.objects.aggregate(first=Min("registered_at"))["first"]
    first_year = this_year - 1
    if first is not None:
        first_year = min(first_year, timezone.localtime(first).year)
    return range(first_year, this_year + 1)

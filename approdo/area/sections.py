"""What the person's area adds to their file: data they changed, waiting for confirmation,
what they wrote to the case manager, and when they last came in."""

from approdo.ui.sections import page_section

from . import profile
from .models import AreaMessage, AreaSession


@page_section("person", template="area/_person_area.html", order=6)
def person_area(request, person) -> dict:
    change = profile.waiting_change(person)
    return {
        "person": person,
        "area_change": change,
        "area_change_rows": profile.rows_of(change) if change else [],
        "area_messages": AreaMessage.objects.filter(person=person)[:5],
        "area_last_visit": AreaSession.objects.filter(person=person)
        .values_list("started_at", flat=True)
        .first(),
    }

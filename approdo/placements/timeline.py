"""Events of this app on the person's timeline."""

from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone

from approdo.people.timeline import TimelineEvent, timeline_source


@timeline_source()
def placement_events(person):
    zone = timezone.get_current_timezone()
    for placement in person.placements.select_related("company", "created_by"):
        title = f"Inserimento: {placement.get_placement_type_display().lower()}"
        if placement.contract:
            title += f" ({placement.get_contract_display().lower()})"
        if placement.continuation:
            title = f"{placement.get_continuation_display()}: " + title.lower()
        detail = f"{placement.job_title} presso {placement.company}"
        if placement.end_on:
            detail += f", fino al {placement.end_on:%d/%m/%Y}"
        url = reverse("placements:detail", args=[placement.pk])
        yield TimelineEvent(
            datetime.combine(placement.start_on, time(9), tzinfo=zone),
            "inserimento",
            title,
            detail,
            str(placement.created_by or ""),
            url,
        )
        if placement.ended_early_on:
            yield TimelineEvent(
                datetime.combine(placement.ended_early_on, time(18), tzinfo=zone),
                "inserimento",
                f"Inserimento concluso in anticipo: {placement.get_end_reason_display().lower()}",
                placement.end_note,
                "",
                url,
            )

"""Events of this app on the person's timeline."""

from approdo.people.timeline import TimelineEvent, timeline_source

from .models import CandidacyEvent


@timeline_source()
def candidacy_events(person):
    events = CandidacyEvent.objects.filter(candidacy__person=person).select_related(
        "candidacy__vacancy__company", "by"
    )
    for event in events:
        vacancy = event.candidacy.vacancy
        yield TimelineEvent(
            event.at,
            "selezione",
            f"Selezione «{vacancy.job_title}» ({vacancy.company}): "
            f"{event.get_stage_display().lower()}",
            event.note,
            str(event.by or ""),
        )

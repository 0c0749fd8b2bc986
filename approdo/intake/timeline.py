"""Events of this app on the person's timeline."""

from approdo.people.timeline import TimelineEvent, timeline_source


@timeline_source()
def interview_events(person):
    for interview in person.interviews.select_related("operator"):
        title = f"{interview.get_kind_display()} ({interview.get_mode_display().lower()}): "
        title += interview.get_status_display().lower()
        detail = ""
        if interview.outcome:
            detail = interview.get_outcome_display()
            if interview.readiness:
                detail += f" – {interview.get_readiness_display()}"
        if interview.notes:
            detail = f"{detail}. Note: {interview.notes}" if detail else interview.notes
        yield TimelineEvent(
            interview.scheduled_at, "colloquio", title, detail, str(interview.operator)
        )

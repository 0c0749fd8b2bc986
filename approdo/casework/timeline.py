"""Events of this app on the person's timeline: notes (restricted ones only for those who
read them)."""

from approdo.people.timeline import TimelineEvent, timeline_source


def _note_events(person, *, restricted: bool):
    for note in person.notes.filter(is_restricted=restricted).select_related("author"):
        yield TimelineEvent(
            note.created_at,
            "nota",
            "Nota riservata" if restricted else "Nota",
            note.text,
            str(note.author or ""),
        )


@timeline_source()
def notes(person):
    return _note_events(person, restricted=False)


@timeline_source(sensitive=True)
def restricted_notes(person):
    return _note_events(person, restricted=True)

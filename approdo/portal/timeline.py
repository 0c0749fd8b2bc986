"""Events of this app on the person's timeline."""

from approdo.people.timeline import TimelineEvent, timeline_source


@timeline_source()
def registration_events(person):
    for registration in person.portal_registrations.all():
        title = "Iscrizione online"
        detail = f"Informativa privacy accettata (versione {registration.privacy_notice_version})"
        if registration.matched_existing:
            title = "Nuova iscrizione online collegata a questa scheda"
            detail = f"Riconosciuta per {registration.matched_by}. " + detail
        yield TimelineEvent(registration.submitted_at, "iscrizione", title, detail)

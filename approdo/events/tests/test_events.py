from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from approdo.events import services
from approdo.events.models import Event, Registration, Session, Speaker
from approdo.events.platform_reports import read_platform_report
from approdo.events.selectors import event_figures
from approdo.people.retention import anonymise_person
from conftest import login
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _event(*, sessions=1, capacity=None, starts_in=timedelta(days=3), **fields) -> Event:
    event = Event.objects.create(
        title=fields.pop("title", "Lavorare nella logistica"),
        description="Un ciclo di incontri.",
        is_series=sessions > 1,
        published=fields.pop("published", True),
    )
    speaker = Speaker.objects.create(name="Maria Bianchi", organisation="Interporto")
    for number in range(sessions):
        start = timezone.now() + starts_in + timedelta(days=7 * number)
        session = Session(
            event=event,
            title=f"Incontro {number + 1}",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            mode=Session.Mode.ONLINE,
            room_url="https://video.example.org/stanza-logistica",
            capacity=capacity,
        )
        services.save_session(session, speakers=[speaker])
    return event


def _register(event, email="luca@example.org", sessions=None, **fields):
    return services.register(
        event=event,
        session_ids=sessions or [s.pk for s in event.sessions.all()],
        first_name=fields.pop("first_name", "Luca"),
        last_name="Verdi",
        email=email,
        **fields,
    )


def _held(session: Session) -> Session:
    """The session as if it had taken place an hour ago."""
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    return Session.objects.select_related("event").get(pk=session.pk)


def test_a_registration_is_confirmed_with_the_calendar_entries_of_its_sessions(mailbox, run_tasks):
    event = _event(sessions=2)
    registrations = _register(event, email="Luca@Example.org", organisation="Coop Aurora")
    run_tasks()

    assert [r.email for r in registrations] == ["luca@example.org"] * 2
    (message,) = [m for m in mailbox if m["To"] == "luca@example.org"]
    assert message["Subject"] == "Iscrizione confermata: Lavorare nella logistica"
    body = message.get_body(("plain",)).get_content()
    assert "Incontro 1" in body and "Incontro 2" in body
    assert "/eventi/r/" in body  # the page to cancel or download the certificate
    assert "video.example.org" not in body  # the room link comes shortly before the start
    calendar = next(part for part in message.iter_attachments())
    assert calendar.get_content_type() == "text/calendar"
    content = calendar.get_content()
    content = content.decode() if isinstance(content, bytes) else content
    assert content.count("BEGIN:VEVENT") == 2 and "METHOD:PUBLISH" in content


def test_a_full_started_or_repeated_session_refuses_the_whole_registration():
    event = _event(sessions=2, capacity=1)
    first, second = event.sessions.all()
    _register(event, email="a@example.org", sessions=[first.pk])

    with pytest.raises(ValidationError) as error:
        _register(event, email="b@example.org")
    assert "«Incontro 1» non ha più posti" in str(error.value)
    assert not Registration.objects.filter(email="b@example.org").exists()  # not even session 2

    with pytest.raises(ValidationError) as error:
        _register(event, email="A@example.org", sessions=[first.pk])
    assert "c'è già un'iscrizione" in str(error.value)

    _held(second)
    with pytest.raises(ValidationError) as error:
        _register(event, email="c@example.org", sessions=[second.pk])
    assert "è già iniziata" in str(error.value)


def test_a_cancelled_place_is_free_again():
    event = _event(capacity=1)
    (registration,) = _register(event)
    services.cancel_registration(registration)
    (other,) = _register(event, email="other@example.org")  # the place is free
    services.cancel_registration(other)
    (again,) = _register(event)  # and the first address may register again
    assert again.pk != registration.pk


def test_the_address_on_a_file_links_the_registration_to_the_person():
    person = PersonFactory(email="amina@example.org")
    PersonFactory(email="shared@example.org")
    PersonFactory(email="shared@example.org")
    event = _event()

    (mine,) = _register(event, email="AMINA@example.org")
    (shared,) = _register(event, email="shared@example.org")

    assert mine.person == person
    assert shared.person is None  # two files with that address: no guess


def test_reminder_and_room_link_are_planned_sent_once_and_follow_a_moved_session(
    mailbox, run_tasks
):
    event = _event()
    session = event.sessions.get()
    planned = DBTaskResult.objects.filter(task_path__startswith="approdo.events.tasks")
    assert {task.run_after for task in planned} == {
        session.starts_at - services.REMINDER_BEFORE,
        session.starts_at - services.LINK_BEFORE,
    }
    _register(event)
    run_tasks()
    mailbox.clear()

    starts = session.starts_at.isoformat()
    assert services.send_reminders(session.pk, starts) == 1
    assert services.send_reminders(session.pk, starts) == 0  # once
    assert services.send_room_links(session.pk, starts) == 1
    run_tasks()
    assert [m["Subject"] for m in mailbox] == [
        "Promemoria: Incontro 1",
        "Il collegamento per «Incontro 1»",
    ]
    assert "video.example.org/stanza-logistica" in mailbox[1].get_content()

    # Moved by an hour: the people registered are told, with the same calendar entry one
    # version up, and the jobs planned for the old time do nothing.
    mailbox.clear()
    session.starts_at += timedelta(hours=1)
    session.ends_at += timedelta(hours=1)
    services.save_session(session, speakers=session.speakers.all())
    run_tasks()
    assert services.send_reminders(session.pk, starts) == 0
    (change,) = mailbox
    assert change["Subject"] == "Cambiamento: Lavorare nella logistica"
    calendar = next(change.iter_attachments()).get_content()
    calendar = calendar.decode() if isinstance(calendar, bytes) else calendar
    assert f"UID:{session.calendar_uid}@approdo" in calendar and "SEQUENCE:1" in calendar
    assert services.send_reminders(session.pk, session.starts_at.isoformat()) == 1


def test_a_cancelled_session_tells_the_people_registered(mailbox, run_tasks):
    event = _event()
    session = event.sessions.get()
    _register(event)
    with pytest.raises(ValidationError):
        services.cancel_session(session, reason=" ")
    assert services.cancel_session(session, reason="Relatrice malata") == 1
    run_tasks()
    cancel = next(m for m in mailbox if m["Subject"].startswith("Annullato"))
    assert "Relatrice malata" in cancel.get_body(("plain",)).get_content()
    assert "METHOD:CANCEL" in str(next(cancel.iter_attachments()).get_content())
    with pytest.raises(ValidationError):
        _register(event, email="late@example.org")


ZOOM = (
    "Nome (nome originale),E-mail utente,Ora di ingresso,Ora di uscita,Durata (minuti),Ospite\n"
    "Luca Verdi,luca@example.org,03/12/2026 10:00:05,03/12/2026 10:30:00,30,No\n"
    "Luca Verdi,LUCA@example.org,03/12/2026 10:35:00,03/12/2026 11:00:00,25,No\n"
    "Anna Neri,anna@example.org,03/12/2026 10:00:00,03/12/2026 10:20:00,20,No\n"
    "Telefono,,03/12/2026 10:00:00,03/12/2026 11:00:00,60,Sì\n"
    "Ospite,guest@example.org,03/12/2026 10:00:00,03/12/2026 11:00:00,60,Sì\n"
)
TEAMS = (
    "1. Riepilogo\n"
    "Titolo della riunione\tIncontro 1\n"
    "Partecipanti presenti\t2\n"
    "\n"
    "2. Partecipanti\n"
    "Nome\tPrimo ingresso\tUltima uscita\tDurata nella riunione\tE-mail\tRuolo\n"
    "Luca Verdi\t3/12/26, 10:00:05 AM\t3/12/26, 11:00:00 AM\t1h 0m 5s\t"
    "luca@example.org\tPartecipante\n"
    "Anna Neri\t3/12/26, 10:00:05 AM\t3/12/26, 10:20:00 AM\t19m 55s\t"
    "anna@example.org\tPartecipante\n"
    "\n"
    "3. Attività nella riunione\n"
    "Nome\tIngresso\tUscita\tDurata\tE-mail\tRuolo\n"
    "Luca Verdi\t3/12/26, 10:00:05 AM\t3/12/26, 11:00:00 AM\t1h 0m 5s\t"
    "luca@example.org\tPartecipante\n"
)
JOIN_LEAVE_ONLY = "Email;Joined;Left\nluca@example.org;2026-12-03 10:00:00;2026-12-03 10:50:00\n"


@pytest.mark.parametrize(
    "content,luca,anna",
    [
        (ZOOM.encode(), 55, 20),
        (TEAMS.encode("utf-16"), 60, 20),
        (JOIN_LEAVE_ONLY.encode("cp1252"), 50, None),
    ],
    ids=["zoom", "teams-utf16-with-sections", "join-and-leave-only"],
)
def test_the_video_platforms_reports_are_read_as_minutes_per_address(content, luca, anna):
    report = read_platform_report(content)
    assert report.minutes["luca@example.org"] == luca
    assert report.minutes.get("anna@example.org") == anna


@pytest.mark.parametrize(
    "content,message",
    [
        (b"Nome,Cognome\nLuca,Verdi\n", "non trovo la tabella dei partecipanti"),
        (b"Email,Durata\nluca@example.org,tanto\n", "riga 2: durata o orari non leggibili"),
        (b"Email,Durata\nnessuno,30\n", "nessun partecipante con un indirizzo"),
        (b"x" * (6 * 1024 * 1024), "troppo grande"),
    ],
)
def test_a_report_that_cannot_be_read_says_why(content, message):
    with pytest.raises(ValidationError) as error:
        read_platform_report(content)
    assert message in str(error.value)


def test_attendance_from_the_report_counts_the_minutes_the_session_asks(coordinator):
    event = _event()
    session = event.sessions.get()
    _register(event, email="luca@example.org")
    _register(event, email="anna@example.org", first_name="Anna")
    _register(event, email="absent@example.org", first_name="Piero")
    with pytest.raises(ValidationError):  # not before it took place
        services.import_attendance(session=session, content=ZOOM.encode(), by=coordinator)
    session = _held(session)

    summary = services.import_attendance(session=session, content=ZOOM.encode(), by=coordinator)

    assert session.attendance_minutes == 45  # three quarters of the hour
    assert summary["present"] == 1 and summary["absent"] == 2
    assert summary["not_registered"] == ["guest@example.org"]
    assert summary["without_address"] == 1
    marks = dict(Registration.objects.values_list("email", "attended"))
    assert marks == {
        "luca@example.org": True,
        "anna@example.org": False,
        "absent@example.org": False,
    }
    figures = event_figures(event)
    assert (figures.registered, figures.attended, figures.attendance_rate) == (3, 1, 0.333)


def test_attendance_by_hand_marks_only_the_page_shown(coordinator):
    event = _event()
    (first,) = _register(event, email="a@example.org")
    (second,) = _register(event, email="b@example.org")
    (elsewhere,) = _register(event, email="c@example.org")
    session = _held(event.sessions.get())
    services.record_attendance(
        session=session, shown_ids=[first.pk, second.pk], present_ids=[first.pk], by=coordinator
    )
    marks = dict(Registration.objects.values_list("email", "attended"))
    assert marks == {"a@example.org": True, "b@example.org": False, "c@example.org": None}
    with pytest.raises(ValidationError):  # ticked but not on the page
        services.record_attendance(
            session=session, shown_ids=[first.pk], present_ids=[elsewhere.pk], by=coordinator
        )


def test_a_bad_report_changes_nothing(coordinator):
    event = _event()
    (registration,) = _register(event)
    session = _held(event.sessions.get())
    services.record_attendance(
        session=session, shown_ids=[registration.pk], present_ids=[registration.pk], by=coordinator
    )
    with pytest.raises(ValidationError):
        services.import_attendance(
            session=session, content=b"Email,Durata\nluca@example.org,??\n", by=coordinator
        )
    registration.refresh_from_db()
    assert registration.attended is True


def test_certificates_go_to_who_attended_once_and_download_from_their_page(
    coordinator, mailbox, run_tasks, client
):
    event = _event()
    (present,) = _register(event)
    (absent,) = _register(event, email="piero@example.org", first_name="Piero")
    session = _held(event.sessions.get())
    services.record_attendance(
        session=session,
        shown_ids=[present.pk, absent.pk],
        present_ids=[present.pk],
        by=coordinator,
    )

    assert services.send_certificates(session=session, by=coordinator) == 1
    assert services.send_certificates(session=session, by=coordinator) == 0
    with pytest.raises(ValidationError):
        services.certificate_pdf(absent)

    own = reverse("events:registrant_certificate", args=[present.token, present.pk])
    response = client.get(own)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # Someone else's certificate is not reached from one's own link.
    assert (
        client.get(
            reverse("events:registrant_certificate", args=[present.token, absent.pk])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("events:registrant_certificate", args=[absent.token, absent.pk])
        ).status_code
        == 404
    )


def test_the_public_page_registers_without_login_and_keeps_the_input_on_errors(client):
    event = _event(sessions=2)
    first, second = event.sessions.all()
    url = reverse("events:public_registration", args=[event.code])
    page = client.get(url)
    assert page.status_code == 200
    assert b"Informativa sul trattamento dei dati" in page.content
    assert b"video.example.org" not in page.content  # the room link is not public

    data = {
        "sessions": [first.pk],
        "first_name": "Giulia",
        "last_name": "Rossi",
        "email": "giulia@example.org",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Per iscriversi occorre aver letto" in refused.content.decode()
    assert b'value="giulia@example.org"' in refused.content

    accepted = client.post(url, {**data, "privacy_accepted": "on"})
    assert accepted.status_code == 302
    registration = Registration.objects.get(email="giulia@example.org")
    assert registration.privacy_version and registration.source == "pagina pubblica"

    # The registrant's own page cancels.
    page = reverse("events:registrant", args=[registration.token])
    assert client.post(page, {"annulla": registration.pk}).status_code == 302
    registration.refresh_from_db()
    assert registration.cancelled_at is not None


def test_a_program_filling_the_hidden_field_registers_nobody(client):
    event = _event()
    session = event.sessions.get()
    response = client.post(
        reverse("events:public_registration", args=[event.code]),
        {
            "sessions": [session.pk],
            "first_name": "Bot",
            "last_name": "Bot",
            "email": "bot@example.org",
            "privacy_accepted": "on",
            "website": "http://spam.example",
        },
    )
    assert response.status_code == 302
    assert not Registration.objects.exists()


def test_an_unpublished_event_and_an_unknown_link_show_nothing(client):
    event = _event(published=False)
    assert client.get(reverse("events:public_registration", args=[event.code])).status_code == 404
    assert client.get(reverse("events:registrant", args=["nessuno"])).status_code == 404
    with pytest.raises(ValidationError):
        _register(event)


def test_events_are_for_coordinators_and_their_list_is_counted_in_few_queries(
    operator, coordinator, django_assert_max_num_queries
):
    for number in range(6):
        _event(sessions=2, title=f"Evento {number}")
    assert login(Client(), operator).get(reverse("events:list")).status_code == 403
    client = login(Client(), coordinator)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("events:list")).status_code == 200
    event = Event.objects.first()
    with django_assert_max_num_queries(16):
        assert client.get(reverse("events:detail", args=[event.pk])).status_code == 200


def test_an_operator_registers_one_of_their_people_from_the_file(operator, mailbox, run_tasks):
    event = _event()
    session = event.sessions.get()
    person = PersonFactory(email="mario@example.org", case_manager=operator)
    client = login(Client(), operator)
    response = client.post(
        reverse("events:register_person", args=[person.pk]), {"evento-session": session.pk}
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.person == person and registration.source == "operatore"
    assert (
        "Eventi e webinar"
        in client.get(reverse("people:detail", args=[person.pk])).content.decode()
    )


def test_erasure_and_retention_remove_names_and_addresses_but_keep_the_counts():
    person = PersonFactory(email="erased@example.org")
    event = _event()
    _register(event, email="erased@example.org")
    _register(event, email="visitor@example.org")
    anonymise_person(person)
    assert not Registration.objects.filter(email="erased@example.org").exists()

    session = _held(event.sessions.get())
    assert services.forget_visitors() == 0  # not yet
    later = session.ends_at + services.VISITOR_RETENTION + timedelta(days=1)
    assert services.forget_visitors(now=later) == 1
    assert Registration.objects.filter(session=session).count() == 2
    assert set(Registration.objects.values_list("email", flat=True)) == {""}

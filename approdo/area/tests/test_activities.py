import io
import zipfile
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approdo.area.models import DataDownload
from approdo.events.models import Event, Registration, Session
from approdo.events.services import save_session
from approdo.surveys.models import Invitation, Survey
from approdo.training.models import Course, Participation
from tests.factories import PersonFactory

from .helpers import enter_area

pytestmark = pytest.mark.django_db


def _course(**fields) -> Course:
    start = timezone.localdate() + timedelta(days=10)
    defaults = {
        "title": "Magazziniere con patentino del muletto",
        "category": "tecnico-professionale",
        "start_on": start,
        "end_on": start + timedelta(days=30),
        "mode": "presenza",
        "hours": 80,
    }
    return Course.objects.create(**{**defaults, **fields})


def _session() -> Session:
    event = Event.objects.create(title="Lavorare nella logistica", description="x", published=True)
    start = timezone.now() + timedelta(days=5)
    session = Session(
        event=event,
        title="Il colloquio in magazzino",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        mode=Session.Mode.ONLINE,
        room_url="https://video.example.org/stanza",
    )
    return save_session(session)


def test_a_person_joins_a_course_and_an_event_and_sees_them(mailbox, run_tasks):
    person = PersonFactory(email="amina@esempio.it")
    course, session = _course(seats=1), _session()
    Participation.objects.create(course=course, person=PersonFactory(), outcome="in corso")
    client = enter_area(Client(), person)
    page = client.get(reverse("area:activities")).content.decode()
    assert course.title in page and session.title in page
    client.post(reverse("area:activities"), {"corso": course.pk})
    client.post(reverse("area:activities"), {"sessione": session.pk})
    participation = Participation.objects.get(person=person)
    assert participation.outcome == "in lista d'attesa" and participation.source == "area personale"
    registration = Registration.objects.get(person=person)
    assert registration.email == "amina@esempio.it"
    run_tasks()
    assert [m["To"] for m in mailbox] == ["amina@esempio.it"]  # the confirmation
    page = client.get(reverse("area:activities")).content.decode()
    assert "in lista d" in page and "la sua iscrizione" in page


def test_a_course_already_started_cannot_be_joined():
    person = PersonFactory()
    started = _course(start_on=timezone.localdate() - timedelta(days=1))
    response = enter_area(Client(), person).post(
        reverse("area:activities"), {"corso": started.pk}, follow=True
    )
    assert "non accetta più iscrizioni" in response.content.decode()
    assert not Participation.objects.exists()


def test_open_surveys_are_offered_with_their_link():
    person = PersonFactory()
    survey = Survey.objects.create(title="Come va dopo il programma", state=Survey.State.OPEN)
    invitation = Invitation.objects.create(survey=survey, person=person)
    page = enter_area(Client(), person).get(reverse("area:activities")).content.decode()
    assert reverse("surveys:answer", args=[invitation.token]) in page


def test_a_copy_of_ones_data_is_written_by_the_worker_and_only_for_them(run_tasks):
    person = PersonFactory(first_name="Amina")
    client = enter_area(Client(), person)
    client.post(reverse("area:my_data"))
    run_tasks()
    download = DataDownload.objects.get()
    assert download.status == DataDownload.Status.DONE
    response = client.get(reverse("area:download", args=[download.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "Amina" in archive.read("dati.json").decode()
    stranger = enter_area(Client(), PersonFactory())
    assert stranger.get(reverse("area:download", args=[download.pk])).status_code == 404

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approdo.area import rules, services
from approdo.area.models import AreaSession, LoginLink
from approdo.comms.models import OutboundEmail
from approdo.intake.models import InterviewStatus
from tests.factories import PersonFactory, slot_for

from .helpers import booked, enter_area

pytestmark = pytest.mark.django_db


def test_the_area_asks_to_log_in_and_the_staff_login_does_not_open_it(operator_client):
    for client in (Client(), operator_client):
        response = client.get(reverse("area:home"))
        assert response.status_code == 302 and response.url == reverse("area:login")


def test_asking_for_a_link_answers_the_same_whether_the_address_is_known():
    PersonFactory(email="nota@esempio.it")
    answers = []
    for address in ("nota@esempio.it", "ignota@esempio.it"):
        client = Client()
        response = client.post(reverse("area:login"), {"email": address}, follow=True)
        page = response.content.decode().replace(address, "ADDRESS")
        answers.append(page[page.index("<main") :])
    assert answers[0] == answers[1]
    assert LoginLink.objects.count() == 1


def test_a_badly_written_address_is_explained_and_kept():
    response = Client().post(reverse("area:login"), {"email": "mario@"})
    assert "non è scritto correttamente" in response.content.decode()
    assert 'value="mario@"' in response.content.decode()


def test_the_link_opens_on_a_button_then_the_area(operator):
    person = PersonFactory(email="p@esempio.it")
    booked(person, operator, slot_for(operator, days_ahead=3))
    token = "t" * 40
    LoginLink.objects.create(
        person=person,
        token_hash=services.token_hash(token),
        expires_at=timezone.now() + rules.LINK_VALIDITY,
    )
    client = Client(REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT="Telefono")
    url = reverse("area:enter", args=[token])
    assert "Entra" in client.get(url).content.decode()
    assert LoginLink.objects.get().used_at is None  # opening the page uses nothing
    response = client.post(url)
    assert response.url == reverse("area:home")
    home = client.get(reverse("area:home"))
    assert "Primo colloquio" in home.content.decode() and home["Cache-Control"] == "no-store"
    access = AreaSession.objects.get()
    assert (access.ip_address, access.user_agent) == ("198.51.100.4", "Telefono")
    assert Client().post(url).status_code == 410  # used


def test_an_expired_session_sends_back_to_the_login_saying_so():
    client = enter_area(Client(), PersonFactory())
    AreaSession.objects.update(last_seen_at=timezone.now() - rules.IDLE_LIMIT * 2)
    response = client.get(reverse("area:home"), follow=True)
    assert "La sessione è scaduta" in response.content.decode()
    assert client.cookies[settings.AREA_COOKIE_NAME].value == ""


def test_moving_and_cancelling_from_the_pages(operator, mailbox):
    person = PersonFactory()
    interview = booked(person, operator, slot_for(operator, days_ahead=3))
    later = slot_for(operator, days_ahead=6, hour=9)
    client = enter_area(Client(), person)
    page = client.get(reverse("area:move", args=[interview.pk])).content.decode()
    assert f'value="{later.pk}"' in page
    response = client.post(reverse("area:move", args=[interview.pk]), {"slot": later.pk})
    assert response.status_code == 302
    moved = person.interviews.get(status=InterviewStatus.SCHEDULED)
    response = client.post(reverse("area:cancel", args=[moved.pk]), {"reason": ""})
    assert "Scriva perché non può venire" in response.content.decode()
    client.post(reverse("area:cancel", args=[moved.pk]), {"reason": "Ho un colloquio di lavoro"})
    moved.refresh_from_db()
    assert moved.status == InterviewStatus.CANCELLED


def test_someone_elses_appointment_is_not_there(operator):
    interview = booked(PersonFactory(), operator, slot_for(operator, days_ahead=3))
    client = enter_area(Client(), PersonFactory())
    assert client.get(reverse("area:move", args=[interview.pk])).status_code == 404
    assert (
        client.post(reverse("area:cancel", args=[interview.pk]), {"reason": "x"}).status_code == 404
    )


def test_consents_are_withdrawn_and_given_from_the_page():
    person = PersonFactory(consent_cv_at=timezone.now())
    client = enter_area(Client(), person)
    client.post(reverse("area:consents"), {"finalita": "invio_cv", "azione": "revoca"})
    person.refresh_from_db()
    assert person.consent_cv_at is None
    response = client.post(
        reverse("area:consents"), {"finalita": "sconosciuta", "azione": "dai"}, follow=True
    )
    assert "sconosciuta" in response.content.decode()


def test_the_messages_page_lists_what_was_sent_in_few_queries(django_assert_max_num_queries):
    person = PersonFactory()
    OutboundEmail.objects.bulk_create(
        OutboundEmail(
            person=person,
            kind="prova",
            to=person.email,
            subject=f"Oggetto {n}",
            body="Testo",
            status=OutboundEmail.Status.SENT,
            sent_at=timezone.now(),
        )
        for n in range(30)
    )
    client = enter_area(Client(), person)
    client.post(reverse("area:inbox"), {"text": "Vorrei un appuntamento"})
    with django_assert_max_num_queries(12):
        page = client.get(reverse("area:inbox")).content.decode()
    assert "Oggetto 29" in page and "Vorrei un appuntamento" in page


def test_the_access_history_and_logging_out_everywhere(django_assert_max_num_queries):
    person = PersonFactory()
    other_device = enter_area(Client(), person)
    client = enter_area(Client(), person)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("area:accesses")).content.decode()
    assert page.count("Collegamento via e-mail") == 2 and "(questa)" in page
    client.post(reverse("area:logout_everywhere"))
    assert other_device.get(reverse("area:home")).status_code == 302


def test_junk_in_the_areas_parameters_and_forms_is_never_a_server_error(operator):
    person = PersonFactory()
    interview = booked(person, operator, slot_for(operator, days_ahead=3))
    client = enter_area(Client(raise_request_exception=False), person)
    junk = ("x", "-1", "99999999999999999999999", "'; DROP TABLE x; --", "\u202e" * 300)
    for value in junk:
        for url in (reverse("area:inbox"), reverse("area:accesses")):
            assert client.get(url, {"pagina": value}).status_code == 200
        for url, data in (
            (reverse("area:activities"), {"corso": value}),
            (reverse("area:activities"), {"sessione": value}),
            (reverse("area:consents"), {"finalita": value, "azione": value}),
            (reverse("area:move", args=[interview.pk]), {"slot": value}),
            (reverse("area:data"), {"weekly_hours": value, "postcode": value}),
            (reverse("area:download", args=[1]), {}),
        ):
            response = client.post(url, data) if data else client.get(url)
            assert response.status_code in (200, 302, 400, 404), (url, value)

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approdo.companies.models import BoardMembership, CompanyContact
from approdo.jobfair import services
from approdo.jobfair.models import Booking, JobFair, Slot, Stand
from approdo.jobfair.selectors import fair_figures
from approdo.matching.models import Candidacy
from approdo.people.choices import Status
from conftest import login
from tests.factories import PersonFactory, company, vacancy

pytestmark = pytest.mark.django_db


def _fair(**fields) -> JobFair:
    return JobFair.objects.create(
        title="Fiera del lavoro metropolitana",
        description="Incontri uno a uno con le aziende del Board.",
        day=fields.pop("day", timezone.localdate() + timedelta(days=10)),
        opens_at=time(9, 0),
        closes_at=time(11, 0),
        slot_minutes=20,
        published=True,
        **fields,
    )


def _stand(fair: JobFair, name: str = "Logistica Emilia Srl") -> Stand:
    firm = company(name)
    BoardMembership.objects.create(company=firm, joined_on=date(2024, 1, 1))
    contact = CompanyContact.objects.create(
        company=firm, name="Paola Conti", email="hr@example.org"
    )
    stand = Stand(
        fair=fair,
        company=firm,
        description="Cerchiamo magazzinieri.",
        video_room_url="https://video.example.org/logistica",
        contact=contact,
    )
    return services.save_stand(stand, vacancies=[vacancy(company=firm)])


def _book(stand: Stand, slot: Slot | None = None, email: str = "sara@example.org", **fields):
    return services.book(
        slot_id=(slot or stand.slots.first()).pk,
        first_name=fields.pop("first_name", "Sara"),
        last_name="Gallo",
        email=email,
        **fields,
    )


def test_a_stand_is_for_a_board_company_and_gets_the_fairs_slots():
    fair = _fair()
    stand = _stand(fair)
    assert [timezone.localtime(s.starts_at).strftime("%H:%M") for s in stand.slots.all()] == [
        "09:00",
        "09:20",
        "09:40",
        "10:00",
        "10:20",
        "10:40",
    ]
    outsider = company("Non nel Board Srl")
    with pytest.raises(ValidationError) as error:
        services.save_stand(
            Stand(fair=fair, company=outsider, description="x", video_room_url="https://v.it/x")
        )
    assert "aziende del Board" in str(error.value)
    other = vacancy(company=company("Altra Srl"))
    with pytest.raises(ValidationError):
        services.save_stand(stand, vacancies=[other])


def test_a_booking_holds_its_slot_and_is_confirmed_with_the_room(mailbox, run_tasks):
    stand = _stand(_fair())
    first, second, *_ = stand.slots.all()
    request = stand.vacancies.get()
    booking = _book(stand, first, email="Sara@Example.org", vacancy_id=request.pk)
    run_tasks()

    (message,) = [m for m in mailbox if m["To"] == "sara@example.org"]
    assert message["Subject"] == "Incontro prenotato con Logistica Emilia Srl"
    assert "https://video.example.org/logistica" in message.get_body(("plain",)).get_content()
    assert booking.vacancy == request

    with pytest.raises(ValidationError) as error:
        _book(stand, first, email="other@example.org")
    assert "appena preso" in str(error.value)
    with pytest.raises(ValidationError) as error:
        _book(stand, second, email="sara@example.org")
    assert "già un incontro con questa azienda" in str(error.value)
    other_stand = _stand(stand.fair, "Ospedale Srl")
    with pytest.raises(ValidationError) as error:  # same time at another stand
        _book(other_stand, other_stand.slots.first(), email="sara@example.org")
    assert "ha già un altro incontro" in str(error.value)
    with pytest.raises(ValidationError):
        _book(other_stand, other_stand.slots.last(), email="x@example.org", vacancy_id=request.pk)

    services.cancel_booking(booking)
    _book(stand, first, email="other@example.org")  # free again


def test_the_companys_agenda_shows_its_bookings_from_the_link_alone(client, mailbox, run_tasks):
    stand = _stand(_fair())
    _book(stand, note="Ho la patente del muletto")
    services.send_agenda_link(stand, by=None)
    run_tasks()
    message = next(m for m in mailbox if m["To"] == "hr@example.org")
    assert stand.agenda_token in message.get_content()

    page = client.get(reverse("jobfair:agenda", args=[stand.agenda_token]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Sara Gallo" in text and "Ho la patente del muletto" in text
    assert "sara@example.org" not in text  # the company does not get the address
    assert client.get(reverse("jobfair:agenda", args=["sbagliato"])).status_code == 404


def test_after_the_fair_a_meeting_becomes_a_candidacy_on_its_request(coordinator):
    stand = _stand(_fair())
    request = stand.vacancies.get()
    person = PersonFactory(email="mario@example.org", status=Status.IN_CARICO)
    booking = _book(stand, email="mario@example.org", vacancy_id=request.pk)
    visitor = _book(stand, stand.slots.last(), email="visitor@example.org", vacancy_id=request.pk)
    assert booking.person == person and visitor.person is None
    PersonFactory(email="no@example.org", status=Status.IN_CARICO, consent_proposal_at=None)
    other = _book(stand, stand.slots.all()[2], email="no@example.org", vacancy_id=request.pk)

    with pytest.raises(ValidationError):  # not before it took place
        services.record_meeting(booking=booking, held=True, by=coordinator)
    back = timedelta(days=11)  # the fair is over
    Slot.objects.filter(stand=stand).update(
        starts_at=F("starts_at") - back, ends_at=F("ends_at") - back
    )
    with pytest.raises(ValidationError):
        services.meeting_to_candidacy(booking=booking, by=coordinator)
    services.record_meeting(booking=booking, held=True, by=coordinator)
    candidacy = services.meeting_to_candidacy(booking=booking, by=coordinator)

    assert candidacy.vacancy == request and candidacy.person == person
    assert "Incontro 1:1 alla «Fiera del lavoro metropolitana»" in candidacy.override_reason
    with pytest.raises(ValidationError):
        services.meeting_to_candidacy(booking=booking, by=coordinator)
    services.record_meeting(booking=other, held=True, by=coordinator)
    with pytest.raises(ValidationError) as error:
        services.meeting_to_candidacy(booking=other, by=coordinator)
    assert "consenso" in str(error.value)
    services.record_meeting(booking=visitor, held=True, by=coordinator)
    with pytest.raises(ValidationError) as error:
        services.meeting_to_candidacy(booking=visitor, by=coordinator)
    assert "non è una persona del programma" in str(error.value)

    figures = fair_figures(stand.fair)
    assert (figures.booked, figures.from_programme, figures.visitors) == (3, 2, 1)
    assert (figures.held, figures.candidacies) == (3, 1)
    assert Candidacy.objects.count() == 1


def test_the_public_pages_book_without_login(client):
    fair = _fair()
    stand = _stand(fair)
    listing = client.get(reverse("jobfair:public_fair", args=[fair.code]))
    assert listing.status_code == 200 and "6 orari liberi" in listing.content.decode()
    url = reverse("jobfair:public_stand", args=[fair.code, stand.pk])
    slot = stand.slots.first()
    data = {
        "slot": slot.pk,
        "first_name": "Sara",
        "last_name": "Gallo",
        "email": "sara@example.org",
        "privacy_accepted": "on",
    }
    assert client.post(url, data).status_code == 302
    booking = Booking.objects.get()
    again = client.post(url, {**data, "email": "other@example.org"})
    assert again.status_code == 400  # the slot is no longer offered
    assert "5 orari liberi" in client.get(listing.request["PATH_INFO"]).content.decode()

    page = reverse("jobfair:booking", args=[booking.token])
    assert client.post(page).status_code == 302
    booking.refresh_from_db()
    assert booking.cancelled_at is not None


def test_the_fair_is_for_coordinators_and_its_pages_use_few_queries(
    operator, coordinator, django_assert_max_num_queries
):
    fair = _fair()
    stands = [_stand(fair, f"Azienda {n} Srl") for n in range(5)]
    for stand in stands:
        _book(stand, email=f"{stand.pk}@example.org")
    assert login(Client(), operator).get(reverse("jobfair:list")).status_code == 403
    client = login(Client(), coordinator)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("jobfair:list")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("jobfair:detail", args=[fair.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("jobfair:agenda_staff", args=[stands[0].pk])).status_code == 200
    anonymous = Client()
    with django_assert_max_num_queries(8):
        assert anonymous.get(reverse("jobfair:public_fair", args=[fair.code])).status_code == 200


def test_a_coordinator_books_for_a_person_of_the_programme(coordinator, mailbox):
    stand = _stand(_fair())
    person = PersonFactory(email="giulia@example.org")
    client = login(Client(), coordinator)
    response = client.post(
        reverse("jobfair:agenda_staff", args=[stand.pk]),
        {"prenota-person": person.fiscal_code, "prenota-slot": stand.slots.first().pk},
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.person == person and booking.created_by == coordinator
    unwilling = PersonFactory(email="no@example.org", consent_proposal_at=None)
    refused = client.post(
        reverse("jobfair:agenda_staff", args=[stand.pk]),
        {"prenota-person": unwilling.fiscal_code, "prenota-slot": stand.slots.last().pk},
    )
    assert refused.status_code == 400
    assert "consenso a essere proposta alle aziende" in refused.content.decode()
    unknown = client.post(
        reverse("jobfair:agenda_staff", args=[stand.pk]),
        {"prenota-person": "XXXXXX00X00X000X", "prenota-slot": stand.slots.last().pk},
    )
    assert unknown.status_code == 400
    assert "Nessuna persona con codice fiscale" in unknown.content.decode()

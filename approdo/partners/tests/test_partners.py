"""Partners: their records, agreements, and the people they refer with a confirmation."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approdo.accounts.models import Team
from approdo.partners import services
from approdo.partners.models import Agreement, Partner, PartnerContact, Referral
from conftest import login
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _partner(name="Caritas diocesana", **fields):
    return Partner.objects.create(name=name, kind="terzo settore", **fields)


def test_two_partners_cannot_share_a_name_whatever_the_case():
    _partner()
    with pytest.raises(ValidationError, match="Esiste già un partner"):
        services.save_partner(data={"name": "  CARITAS diocesana ", "kind": "terzo settore"})


def test_a_referral_is_confirmed_to_the_contact_who_sent_the_person(mailbox, run_tasks, operator):
    partner = _partner(email="ascolto@caritas.example.it")
    contact = PartnerContact.objects.create(
        partner=partner, name="Giulia Ferri", email="giulia@caritas.example.it"
    )
    person = PersonFactory(first_name="Amina", last_name="Diallo")
    referral = services.record_referral(
        person=person, partner=partner, contact=contact, referred_on=TODAY, by=operator
    )
    run_tasks()
    [message] = mailbox
    assert message["To"] == "giulia@caritas.example.it"
    body = message.get_body().get_content()
    assert "Amina Diallo" in body and f"n. {referral.pk}" in body
    assert referral.confirmation_to == "giulia@caritas.example.it"


def test_without_a_contact_the_confirmation_goes_to_the_partner_and_without_any_address_none(
    mailbox, run_tasks
):
    with_address = _partner(email="ascolto@caritas.example.it")
    without = _partner(name="Parrocchia San Donato")
    services.record_referral(person=PersonFactory(), partner=with_address, referred_on=TODAY)
    referral = services.record_referral(person=PersonFactory(), partner=without, referred_on=TODAY)
    run_tasks()
    assert [m["To"] for m in mailbox] == ["ascolto@caritas.example.it"]
    assert referral.confirmation_to == ""


def test_a_referral_cannot_be_dated_in_the_future_nor_name_another_partners_contact():
    partner, other = _partner(), _partner(name="CSM Bologna Est")
    stranger = PartnerContact.objects.create(partner=other, name="Dott. Neri")
    with pytest.raises(ValidationError, match="futura"):
        services.record_referral(
            person=PersonFactory(), partner=partner, referred_on=TODAY + timedelta(days=1)
        )
    with pytest.raises(ValidationError, match="non appartiene"):
        services.record_referral(
            person=PersonFactory(), partner=partner, contact=stranger, referred_on=TODAY
        )
    assert not Referral.objects.exists()


def test_an_operator_records_a_referral_from_the_persons_file(operator_client):
    partner = _partner(email="ascolto@caritas.example.it")
    person = PersonFactory()
    url = reverse("partners:referral_add", args=[person.pk])
    assert operator_client.get(url).status_code == 200
    response = operator_client.post(
        url, {"partner": partner.pk, "referred_on": "2999-01-01", "reason": "x"}
    )
    assert response.status_code == 400
    assert "non può essere futura" in response.content.decode()
    response = operator_client.post(
        url,
        {"partner": partner.pk, "referred_on": TODAY.isoformat(), "reason": "Centro di ascolto"},
    )
    assert response.status_code == 302
    page = operator_client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "Caritas diocesana" in page and "conferma inviata a ascolto@caritas.example.it" in page
    assert LogEntry.objects.get_for_model(Referral).filter(action=LogEntry.Action.CREATE).exists()


def test_the_partner_page_names_only_the_people_the_reader_may_see(operator_client, operator):
    centro, navile = Team.objects.create(name="Centro"), Team.objects.create(name="Navile")
    operator.team = centro
    operator.save()
    partner = _partner()
    mine = PersonFactory(team=centro, last_name="Mialuogo")
    theirs = PersonFactory(team=navile, last_name="Altroluogo")
    for person in (mine, theirs):
        Referral.objects.create(person=person, partner=partner, referred_on=TODAY)
    page = operator_client.get(reverse("partners:detail", args=[partner.pk])).content.decode()
    assert "Persone inviate: 2" in page
    assert "Mialuogo" in page
    assert "Altroluogo" not in page


def test_only_coordinators_edit_partners_and_agreements_are_checked(operator, coordinator):
    operator_client, coordinator_client = login(Client(), operator), login(Client(), coordinator)
    partner = _partner()
    assert operator_client.get(reverse("partners:create")).status_code == 403
    url = reverse("partners:add", args=[partner.pk, "accordo"])
    assert operator_client.post(url, {}).status_code == 403
    response = coordinator_client.post(
        url, {"title": "Protocollo", "start_on": "2026-05-01", "end_on": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "precede il suo inizio" in response.content.decode()
    coordinator_client.post(url, {"title": "Protocollo", "start_on": "2026-01-01"})
    assert Agreement.objects.get().title == "Protocollo"


def test_the_partner_list_costs_the_same_queries_for_any_number_of_partners(
    operator_client, django_assert_max_num_queries
):
    for index in range(30):
        partner = _partner(name=f"Ente {index}")
        Referral.objects.create(person=PersonFactory(), partner=partner, referred_on=TODAY)
    with django_assert_max_num_queries(12):
        response = operator_client.get(reverse("partners:list"))
    assert response.status_code == 200
    assert "Ente 29" in response.content.decode()

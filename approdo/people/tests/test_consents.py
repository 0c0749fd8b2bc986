"""Consents per purpose: asked one by one, withdrawable from every e-mail and at the desk."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from approdo.comms.services import queue_email
from approdo.matching.tests.test_engine import rank
from approdo.people.choices import ConsentPurpose
from approdo.people.models import Consent, Person
from approdo.portal.tests.test_views import form_data
from tests.factories import ready_person, vacancy


@pytest.mark.django_db
def test_the_desk_records_only_the_consents_the_person_gives(operator_client):
    data = {
        "first_name": "Anna",
        "last_name": "Neri",
        "fiscal_code": "",
        "sex": "F",
        "birth_date": "1990-05-01",
        "birth_country": "Italia",
        "citizenship": "Italia",
        "residence_comune": "Bologna",
        "consent_invio_cv": "on",
    }
    response = operator_client.post(reverse("people:create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    person = Person.objects.get(last_name="Neri")
    assert person.consent_proposal_at is None and person.consent_cv_at is not None
    assert list(Consent.objects.values_list("purpose", "given", "channel")) == [
        ("invio_cv", True, "sportello")
    ]


@pytest.mark.django_db
def test_the_portal_asks_each_consent_apart(client):
    client.post(reverse("portal:register"), form_data(consent_proposta="on"))
    person = Person.objects.get(fiscal_code="RSSMRA85T10A944C")
    assert person.consent_proposal_at and person.consent_cv_at is None
    assert Consent.objects.get().channel == "portale"


@pytest.mark.django_db
def test_every_email_carries_a_link_that_withdraws_consents(run_tasks, mailbox):
    person = ready_person()
    queue_email(
        to=person.email,
        kind="prova",
        template="readmission",
        context={"person": person},
        person=person,
    )
    run_tasks()
    body = mailbox[0].get_content()
    path = urlsplit(re.search(r"http\S+/consensi/\S+/", body).group(0)).path
    client = Client()
    page = client.get(path)
    assert page.status_code == 200 and "Revoco questo consenso" in page.content.decode()
    client.post(path, {"finalita": ConsentPurpose.PROPOSTA})
    person.refresh_from_db()
    assert person.consent_proposal_at is None and person.consent_cv_at is not None
    assert Consent.objects.get(given=False).channel == "email"
    # Out of the rankings at once, with the reason.
    ranking = rank(vacancy())
    assert person.pk not in [item.person_id for item in ranking.ranked]
    assert "consenso" in " ".join(ranking.excluded[0].reasons)
    # A forged or altered token is not a way in.
    assert client.get(path[:-3] + "xx/").status_code == 404
    assert client.post(path, {"finalita": "tutto"}).status_code == 400


@pytest.mark.django_db
def test_consents_given_and_withdrawn_at_the_desk(operator_client, operator):
    person = ready_person()
    url = reverse("people:consent", args=[person.pk])
    operator_client.post(url, {"purpose": "invio_cv", "given": "0"})
    person.refresh_from_db()
    assert person.consent_cv_at is None
    operator_client.post(url, {"purpose": "invio_cv", "given": "1"})
    person.refresh_from_db()
    assert person.consent_cv_at is not None
    assert Consent.objects.filter(person=person, recorded_by=operator).count() == 2
    page = operator_client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "Invio del curriculum alle aziende" in page

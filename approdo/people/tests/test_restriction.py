"""Restriction of processing (GDPR art. 18): the file is kept but not used."""

import pytest
from django.urls import reverse

from approdo.comms.models import OutboundEmail
from approdo.matching.engine import rank_candidates
from approdo.matching.services import current_weights
from approdo.people.services import change_status
from tests.factories import ready_person, vacancy


@pytest.mark.django_db
def test_a_restricted_person_is_not_ranked_nor_written_to_until_lifted(
    coordinator_client, coordinator
):
    person = ready_person(licences=["B"])
    other = ready_person(licences=["B"])
    url = reverse("people:restriction", args=[person.pk])
    refused = coordinator_client.post(url, {"reason": " "}, follow=True)
    assert "Scriva il motivo" in refused.content.decode()
    coordinator_client.post(url, {"reason": "Contesta l'esattezza dei dati (richiesta del 1/12)"})
    person.refresh_from_db()
    assert person.processing_restricted_at and not person.is_rankable
    page = coordinator_client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "Trattamento limitato" in page and "Contesta l&#x27;esattezza" in page

    request = vacancy(requirements=[("patente", "B", True)])
    ranked = rank_candidates(request, weights=current_weights().as_dict())
    assert [r.person_id for r in ranked.ranked] == [other.pk]
    change_status(person=person, to_status="fuori protocollo", reason="altro", by=coordinator)
    assert not OutboundEmail.objects.filter(person=person).exists()

    coordinator_client.post(url, {"azione": "revoca"})
    person.refresh_from_db()
    assert person.processing_restricted_at is None


@pytest.mark.django_db
def test_operators_cannot_restrict(operator_client):
    person = ready_person()
    response = operator_client.post(
        reverse("people:restriction", args=[person.pk]), {"reason": "prova"}
    )
    assert response.status_code == 403

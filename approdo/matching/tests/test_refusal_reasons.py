"""Coordinators keep the list of refusal reasons; operators pick from it on a request."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approdo.matching import services
from approdo.matching.models import CandidacyStage, RefusalReason
from conftest import login
from tests.factories import ready_person, vacancy


@pytest.mark.django_db
def test_coordinators_edit_the_list_and_operators_cannot(coordinator_client, operator):
    url = reverse("matching:refusal_reasons")
    assert login(Client(), operator).get(url).status_code == 403
    coordinator_client.post(url, {"side": "persona", "label": "Turni nel weekend", "active": "on"})
    reason = RefusalReason.objects.get(label="Turni nel weekend")
    twice = coordinator_client.post(url, {"side": "persona", "label": "Turni nel weekend"})
    assert twice.status_code == 400 and "Questo motivo c&#x27;è già" in twice.content.decode()
    coordinator_client.post(
        reverse("matching:refusal_reason_edit", args=[reason.pk]),
        {"side": "persona", "label": "Turni nel fine settimana"},  # unticked: retired
    )
    reason.refresh_from_db()
    assert (reason.label, reason.active) == ("Turni nel fine settimana", False)


@pytest.mark.django_db
def test_a_refusal_is_recorded_from_the_request_page(operator_client, operator):
    person = ready_person()
    job = vacancy()
    run, _ = services.run_matching(vacancy=job, by=operator)
    candidacy = services.shortlist(vacancy=job, person=person, by=operator, run=run)
    services.advance_candidacy(candidacy=candidacy, stage=CandidacyStage.PROPOSED, by=operator)
    page = operator_client.get(reverse("vacancies:detail", args=[job.pk])).content.decode()
    assert "Ha rifiutato la persona" in page and "Orari non compatibili" in page
    retired = RefusalReason.objects.create(side="persona", label="Vecchio motivo", active=False)
    assert "Vecchio motivo" not in page
    prefix = f"c{candidacy.pk}"
    refused = operator_client.post(
        reverse("matching:advance", args=[candidacy.pk]),
        {f"{prefix}-stage": "rifiutato", f"{prefix}-refusal": retired.pk},
        follow=True,
    )
    assert "Scelga" in refused.content.decode()
    distance = RefusalReason.objects.get(side="persona", label="Distanza o trasporti")
    operator_client.post(
        reverse("matching:advance", args=[candidacy.pk]),
        {
            f"{prefix}-stage": "rifiutato",
            f"{prefix}-refusal": distance.pk,
            f"{prefix}-refusal_reason": "Due autobus",
        },
    )
    candidacy.refresh_from_db()
    assert (candidacy.stage, candidacy.refusal, candidacy.refusal_reason) == (
        "rifiutato",
        distance,
        "Due autobus",
    )
    page = operator_client.get(reverse("vacancies:detail", args=[job.pk])).content.decode()
    assert "distanza o trasporti (Due autobus)" in page


@pytest.mark.django_db
def test_several_people_move_to_a_stage_together_or_none_does(operator_client, operator):
    people = [ready_person() for _ in range(3)]
    job = vacancy()
    run, _ = services.run_matching(vacancy=job, by=operator)
    candidacies = [
        services.shortlist(vacancy=job, person=person, by=operator, run=run) for person in people
    ]
    url = reverse("matching:advance_batch", args=[job.pk])
    page = operator_client.get(reverse("vacancies:detail", args=[job.pk])).content.decode()
    assert "Aggiorna più persone insieme" in page
    operator_client.post(url, {"candidacies": [c.pk for c in candidacies], "stage": "proposto"})
    assert {c.stage for c in type(candidacies[0]).objects.all()} == {"proposto"}
    # Refusals need their reason; without it nobody moves.
    refused = operator_client.post(
        url,
        {"candidacies": [candidacies[0].pk, candidacies[1].pk], "stage": "rifiutato"},
        follow=True,
    )
    assert "Nessuna selezione è stata aggiornata" in refused.content.decode()
    assert {c.stage for c in type(candidacies[0]).objects.all()} == {"proposto"}
    other = RefusalReason.objects.get(side="persona", label="Altro")
    operator_client.post(
        url,
        {
            "candidacies": [candidacies[0].pk, candidacies[1].pk],
            "stage": "rifiutato",
            "refusal": other.pk,
        },
    )
    stages = dict(type(candidacies[0]).objects.values_list("pk", "stage"))
    assert stages == {
        candidacies[0].pk: "rifiutato",
        candidacies[1].pk: "rifiutato",
        candidacies[2].pk: "proposto",
    }


@pytest.mark.django_db
def test_a_refused_move_is_explained_in_its_row_and_an_interview_needs_its_date(
    operator_client, operator
):
    person, job = ready_person(), vacancy()
    run, _ = services.run_matching(vacancy=job, by=operator)
    candidacy = services.shortlist(vacancy=job, person=person, by=operator, run=run)
    for stage in ("proposto", "accettato", "cv inviato"):
        services.advance_candidacy(candidacy=candidacy, stage=stage, by=operator)
    url, prefix = reverse("matching:advance", args=[candidacy.pk]), f"c{candidacy.pk}"

    response = operator_client.post(url, {f"{prefix}-stage": "colloquio"})
    assert response["Location"].endswith(f"#candidatura-{candidacy.pk}")
    page = operator_client.get(response["Location"]).content.decode()
    row = page[page.index(f'id="candidatura-{candidacy.pk}"') :]
    assert "Indichi la data del colloquio in azienda" in row[: row.index("</tr>")]
    assert "Indichi la data" not in page[: page.index('id="selezione"')]  # not at the top
    # The selection as a board: how many at each stage, the ranking one click away.
    assert "CV inviato all&#x27;azienda: 1" in page
    assert reverse("matching:run_detail", args=[run.pk]) in page

    day = timezone.localdate() + timedelta(days=3)
    operator_client.post(url, {f"{prefix}-stage": "colloquio", f"{prefix}-interview_on": day})
    candidacy.refresh_from_db()
    assert (candidacy.stage, candidacy.company_interview_on) == ("colloquio", day)

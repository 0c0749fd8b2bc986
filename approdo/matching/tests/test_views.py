import pytest
from django.test import Client
from django.urls import reverse

from approdo.matching.services import run_matching, shortlist
from conftest import login
from tests.factories import UserFactory, ready_person, vacancy


@pytest.mark.django_db
def test_run_page_explains_scores_page_by_page_and_groups_exclusions(
    operator_client, operator, django_assert_num_queries
):
    for _ in range(30):
        ready_person(licences=["B"])
    excluded = [ready_person(licences=[]) for _ in range(3)]
    v = vacancy(requirements=[("patente", "B", True)])
    response = operator_client.post(reverse("matching:run", args=[v.pk]))
    run_url = response["Location"]
    # The run, the page's count and rows, the CVs that can go, the stored excluded, who is
    # shortlisted.
    with django_assert_num_queries(13):
        page = operator_client.get(run_url)
    html = page.content.decode()
    assert len(page.context["page"].object_list) == 25
    assert "Pagina 1 di 2" in html and "Posizioni 1–25 delle prime 30" in html
    # Every part with its maximum, and nothing left hanging after the last one.
    maxima = {label: points for label, _, points in page.context["weights"]}
    assert f"Distanza 15,0 su {maxima['Distanza']:g}" in html
    assert "· </td>" not in html and "·</td>" not in html
    # The excluded, grouped by reason with the count, each person listed in the group.
    [group] = page.context["excluded_groups"]
    assert (group["reason"], group["count"]) == ("patente B", 3)
    assert "Patente B: 3 persone" in html
    assert all(str(person) in html for person in excluded)
    second = operator_client.get(run_url, {"pagina": 2})
    assert len(second.context["page"].object_list) == 5


@pytest.mark.django_db
def test_the_ranking_says_whose_cv_can_go_to_the_company(operator_client):
    without_consent = ready_person(consent_cv_at=None, last_name="Senzaconsenso")
    ready_person(last_name="Conconsenso")
    response = operator_client.post(reverse("matching:run", args=[vacancy().pk]))
    html = operator_client.get(response["Location"]).content.decode()
    row = html[html.index(f'id="persona-{without_consent.pk}"') :]
    assert "CV non inviabile: manca il consenso" in row[: row.index("</tr>")]
    assert "Nessun CV nella scheda" in html


@pytest.mark.django_db
def test_the_whole_ranking_is_a_file_the_worker_makes(operator_client, operator, run_tasks):
    from approdo.exports.models import Export

    for _ in range(3):
        ready_person(licences=["B"])
    ready_person(licences=[], last_name="Esclusa")
    v = vacancy(requirements=[("patente", "B", True)])
    run, _ = run_matching(vacancy=v, by=operator, ranked_limit=2, excluded_limit=0)
    response = operator_client.post(
        reverse("exports:request", args=["classifica"]), {"run": run.pk, "formato": "csv"}
    )
    export = Export.objects.get()
    assert response["Location"] == reverse("exports:detail", args=[export.pk])
    run_tasks()
    download = operator_client.get(reverse("exports:download", args=[export.pk]))
    rows = b"".join(download.streaming_content).decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Posizione;Persona;Codice fiscale;Punteggio su 100;Punti: ")
    assert len(rows) == 5  # everyone, not only the stored first ones
    assert rows[-1].split(";")[0] == "" and "Esclusa" in rows[-1] and "manca" in rows[-1]


@pytest.mark.django_db
def test_shortlisting_from_the_page_asks_for_a_reason_when_needed(operator_client, operator):
    ready_person(licences=["CQC"])
    excluded = ready_person(licences=[])
    v = vacancy(requirements=[("patente", "CQC", True)])
    run, _ = run_matching(vacancy=v, by=operator)
    url = reverse("matching:shortlist", args=[run.pk])
    response = operator_client.post(url, {"person": excluded.pk}, follow=True)
    assert "escluso" in response.content.decode()
    assert not v.candidacies.exists()
    operator_client.post(url, {"person": excluded.pk, "override_reason": "Esame CQC domani"})
    assert v.candidacies.get().override_reason == "Esame CQC domani"


@pytest.mark.django_db
def test_vacancy_page_and_person_reverse_view(operator_client, operator):
    person = ready_person(licences=["B"])
    v = vacancy(requirements=[("patente", "B", True)])
    other = vacancy(job_title="Autista CE", requirements=[("patente", "CE", True)])
    shortlist(vacancy=v, person=person, by=operator, override_reason="test")
    assert operator_client.get(reverse("vacancies:detail", args=[v.pk])).status_code == 200
    page = operator_client.get(reverse("matching:person_vacancies", args=[person.pk]))
    matches = dict(page.context["matches"])
    assert not getattr(matches[v], "reasons", None)
    assert "CE" in " ".join(matches[other].reasons)


@pytest.mark.django_db
def test_weights_and_fairness_are_for_coordinators(coordinator_client):
    operator_browser = login(Client(), UserFactory())
    assert operator_browser.get(reverse("matching:weights")).status_code == 403
    assert operator_browser.get(reverse("reports:fairness")).status_code == 403
    assert coordinator_client.get(reverse("reports:fairness")).status_code == 200
    response = coordinator_client.post(
        reverse("matching:weights"),
        {
            "occupation": 40,
            "skills": 10,
            "licences": 10,
            "language": 10,
            "education": 0,
            "distance": 10,
            "recency": 10,
            "cv_text": 10,
        },
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_auditor_cannot_run_matching(client, auditor):
    login(client, auditor)
    v = vacancy()
    assert client.get(reverse("vacancies:detail", args=[v.pk])).status_code == 200
    assert client.post(reverse("matching:run", args=[v.pk])).status_code == 403

"""The reverse view applies the engine's rules to one person: on generated people and
requests it must give what a ranking of that person for each request gives (same score,
parts, reasons and missing requirements)."""

import random

import pytest
from django.urls import reverse
from django.utils import timezone

from approdo.matching.engine import rank_candidates, vacancy_inputs
from approdo.matching.reverse import fare_in_requests, open_request_inputs
from approdo.matching.selectors import vacancies_for_person
from approdo.matching.services import current_weights
from approdo.matching.tests.generated import random_person, random_request
from approdo.occupations.models import Occupation
from tests.factories import ready_person, vacancy

pytestmark = pytest.mark.django_db


def test_the_reverse_view_gives_what_the_ranking_gives():
    rng = random.Random(20261203)
    occupations = list(Occupation.objects.order_by("pk").values_list("pk", flat=True)[:40])
    requests = [random_request(rng, occupations) for _ in range(14)]
    people = [random_person(rng, occupations) for _ in range(12)]
    weights = current_weights().as_dict()
    today = timezone.localdate()
    inputs = [vacancy_inputs(request) for request in requests]
    # The requests read as values are the requests as the engine reads them.
    assert sorted(open_request_inputs(), key=lambda item: item["vacancy_id"]) == sorted(
        inputs, key=lambda item: item["vacancy_id"]
    )
    compared = excluded = 0
    for person in people:
        fared = fare_in_requests(person.pk, inputs, weights=weights, today=today)
        for request in requests:
            ranking = rank_candidates(request, weights=weights, person_ids=[person.pk])
            [expected] = [*ranking.ranked, *ranking.excluded]
            assert fared[request.pk] == expected, (person.pk, request.pk)
            compared += 1
            excluded += expected in ranking.excluded
    # Both outcomes were exercised.
    assert compared == 168 and 20 < excluded < 150


def test_the_reverse_view_reads_a_fixed_number_of_times(django_assert_max_num_queries):
    person = ready_person(cv_text="magazzino")
    for _ in range(30):
        vacancy(requirements=[("patente", "B", True), ("competenza", "cassa", False)])
    with django_assert_max_num_queries(7):
        results = vacancies_for_person(person)
    assert len(results) == 30


def test_the_page_of_suitable_requests_is_paged(operator_client, django_assert_max_num_queries):
    person = ready_person(licences=["B"])
    for index in range(55):
        vacancy(job_title=f"Richiesta {index}", requirements=[("patente", "C", index % 2 == 0)])
    url = reverse("matching:person_vacancies", args=[person.pk])
    with django_assert_max_num_queries(30):
        first = operator_client.get(url).content.decode()
    second = operator_client.get(url, {"pagina": 2}).content.decode()
    assert "55 richieste aperte" in first and "Pagina 1 di 2" in first
    assert (
        first.count("Esclusa: manca: Patente C") + second.count("Esclusa: manca: Patente C") == 28
    )
    # Suited requests come first.
    assert "Esclusa" not in first.split("Adatta")[0]

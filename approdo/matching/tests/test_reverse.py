"""The reverse view applies the engine's rules to one person: on generated people and
requests it must give what a ranking of that person for each request gives (same score,
parts, reasons and missing requirements)."""

import random
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from approdo.matching.engine import rank_candidates, vacancy_inputs
from approdo.matching.reverse import fare_in_requests, open_request_inputs
from approdo.matching.selectors import vacancies_for_person
from approdo.matching.services import current_weights
from approdo.occupations.models import Occupation
from approdo.people.choices import Education, ItalianLevel, Licence, Shift
from approdo.places.models import Comune
from tests.factories import ready_person, vacancy

pytestmark = pytest.mark.django_db

COMUNI = ["Bologna", "Imola", "Casalecchio di Reno", "San Lazzaro di Savena", "Budrio"]
SKILLS = ["uso del transpallet", "gestione inventario", "pulizia industriale", "cassa"]
CV_TEXTS = ["", "magazzino inventario transpallet picking", "pulizie uffici sanificazione"]


def _random_person(rng: random.Random, occupations: list[int]):
    return ready_person(
        licences=rng.sample(Licence.values, rng.randint(0, 4)),
        shifts=rng.sample(Shift.values, rng.randint(0, 5)),
        italian_level=rng.choice([*ItalianLevel.values, ""]),
        education=rng.choice([*Education.values, ""]),
        skills=rng.sample(SKILLS, rng.randint(0, 3)),
        desired_occupations=rng.sample(occupations, rng.randint(0, 2)),
        experienced_occupations=rng.sample(occupations, rng.randint(0, 2)),
        own_transport=rng.random() < 0.5,
        weekly_hours=rng.choice([None, 10, 20, 30, 40]),
        consent_proposal_at=timezone.now() if rng.random() < 0.85 else None,
        first_interview_at=(
            timezone.now() - timedelta(days=rng.randint(0, 900)) if rng.random() < 0.9 else None
        ),
        residence_comune=Comune.objects.get(name=rng.choice(COMUNI)),
        cv_text=rng.choice(CV_TEXTS),
    )


def _random_requirements(rng: random.Random) -> list[tuple[str, str, bool]]:
    candidates = [
        ("patente", rng.choice(Licence.values)),
        ("patente", rng.choice(Licence.values)),
        ("italiano", rng.choice(ItalianLevel.values)),
        ("titolo di studio", rng.choice(Education.values)),
        ("competenza", rng.choice(SKILLS)),
        ("esperienza", "sì"),
        ("mezzo proprio", "sì"),
        ("distanza", str(rng.choice([5, 15, 30, 60]))),
    ]
    chosen = {}
    for kind, value in rng.sample(candidates, rng.randint(0, 5)):
        chosen[(kind, value)] = rng.random() < 0.4
    return [(kind, value, must) for (kind, value), must in chosen.items()]


def test_the_reverse_view_gives_what_the_ranking_gives():
    rng = random.Random(20261203)
    occupations = list(Occupation.objects.order_by("pk").values_list("pk", flat=True)[:40])
    requests = [
        vacancy(
            occupation=Occupation.objects.get(pk=rng.choice(occupations)),
            workplace=Comune.objects.get(name=rng.choice(COMUNI)),
            weekly_hours=rng.choice([None, 20, 36]),
            nights=rng.random() < 0.3,
            weekends=rng.random() < 0.3,
            job_title=rng.choice(["Magazziniere", "Addetto pulizie", "Cassiere"]),
            description=rng.choice(["Magazzino e inventario", "Pulizie di uffici", ""]),
            requirements=_random_requirements(rng),
        )
        for _ in range(14)
    ]
    people = [_random_person(rng, occupations) for _ in range(12)]
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

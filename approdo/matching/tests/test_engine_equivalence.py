"""The engine (pool and pieces) must rank exactly as the SQL statement it replaced: same
people in the same order, same scores and parts, same reasons and counts, on generated
people and requests, with several weightings and limits."""

import random
from dataclasses import asdict
from datetime import timedelta

import pytest
from django.utils import timezone

from approdo.matching.engine import rank_inputs, vacancy_inputs
from approdo.matching.services import current_weights
from approdo.matching.statement import rank_with_statement
from approdo.matching.tests.generated import random_person, random_request
from approdo.occupations.models import Occupation
from approdo.people.models import Person
from approdo.placements.models import Placement
from tests.factories import company

pytestmark = pytest.mark.django_db


def _generated(rng: random.Random, people: int, requests: int):
    occupations = list(Occupation.objects.order_by("pk").values_list("pk", flat=True)[:40])
    employer = company("Generata Srl")
    today = timezone.localdate()
    generated = [random_person(rng, occupations) for _ in range(people)]
    for person in rng.sample(generated, people // 6):
        start = today - timedelta(days=rng.randint(0, 400))
        Placement.objects.create(
            person=person,
            company=employer,
            placement_type="assunzione",
            start_on=start,
            # Some ended (no longer placed), some open-ended, one starting tomorrow.
            end_on=rng.choice([None, start + timedelta(days=30), today + timedelta(days=60)]),
            job_title="Generato",
        )
    return [random_request(rng, occupations) for _ in range(requests)]


def test_the_engine_ranks_as_the_statement_did():
    rng = random.Random(17)
    requests = _generated(rng, people=90, requests=16)
    today = timezone.localdate()
    weightings = [
        current_weights().as_dict(),
        # A criterion weighing nothing is not computed; odd totals give long decimals.
        {**current_weights().as_dict(), "cv_text": 0, "recency": 7, "distance": 13},
        dict.fromkeys(current_weights().as_dict(), 1),
    ]
    compared = ranked = excluded = 0
    for request in requests:
        inputs = vacancy_inputs(request)
        for weights in weightings:
            # A short top (the CV's bound matters), a short and an unlimited excluded list.
            for ranked_limit, excluded_limit in ((7, 11), (100, None)):
                arguments = {
                    "weights": weights,
                    "ranked_limit": ranked_limit,
                    "excluded_limit": excluded_limit,
                    "today": today,
                }
                expected = rank_with_statement(inputs, **arguments)
                assert asdict(rank_inputs(inputs, **arguments)) == asdict(expected), (
                    request.pk,
                    weights,
                    ranked_limit,
                )
                compared += 1
                ranked += len(expected.ranked)
                excluded += len(expected.excluded)
    # Both outcomes were exercised, and rankings were cut.
    assert compared == 96 and ranked > 500 and excluded > 500


def test_a_ranking_of_some_people_only():
    rng = random.Random(5)
    [request] = _generated(rng, people=20, requests=1)
    inputs = vacancy_inputs(request)
    some = list(Person.objects.order_by("?").values_list("pk", flat=True)[:6])
    arguments = {
        "weights": current_weights().as_dict(),
        "ranked_limit": 100,
        "excluded_limit": 200,
        "today": timezone.localdate(),
        "person_ids": some,
    }
    ranking = rank_inputs(inputs, **arguments)
    assert asdict(ranking) == asdict(rank_with_statement(inputs, **arguments))
    assert ranking.pool_size == 6

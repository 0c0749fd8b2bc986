import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from approdo.matching.engine import rank_candidates
from approdo.matching.services import current_weights
from approdo.placements.models import Placement
from tests.factories import company, comune, occupation, ready_person, vacancy


def rank(v, **kwargs):
    return rank_candidates(v, weights=current_weights().as_dict(), **kwargs)


def ranked_ids(ranking):
    return [item.person_id for item in ranking.ranked]


@pytest.mark.django_db
def test_someone_without_a_must_have_licence_is_never_ranked_but_excluded_with_that_reason():
    driver = ready_person(licences=["B", "C", "CQC"])
    without_cqc = ready_person(licences=["B", "C"])
    v = vacancy(
        occupation=occupation("Autista di camion"),
        job_title="Autista CE",
        requirements=[("patente", "CQC", True), ("patente", "C", True)],
    )
    ranking = rank(v)
    assert ranked_ids(ranking) == [driver.pk]
    [excluded] = ranking.excluded
    assert excluded.person_id == without_cqc.pk
    assert excluded.fiscal_code == without_cqc.fiscal_code
    assert any("CQC" in reason for reason in excluded.reasons)
    assert ranking.excluded_by_reason == {"patente CQC": 1}


@pytest.mark.django_db
def test_italian_below_the_must_level_excludes_and_names_the_level():
    fluent = ready_person(italian_level="B2")
    beginner = ready_person(italian_level="A2")
    ranking = rank(vacancy(requirements=[("italiano", "B1", True)]))
    assert ranked_ids(ranking) == [fluent.pk]
    assert ranking.excluded[0].person_id == beginner.pk
    assert "B1" in ranking.excluded[0].reasons[0]


@pytest.mark.django_db
def test_hard_constraints_availability_placement_and_consent():
    ok = ready_person()
    part_time = ready_person(weekly_hours=20)
    no_nights = ready_person(shifts=["mattina"])
    placed = ready_person()
    Placement.objects.create(
        person=placed,
        company=company("Altra"),
        placement_type="stage",
        start_on=timezone.localdate() - timedelta(days=5),
        job_title="Stage",
    )
    no_consent = ready_person(privacy_accepted_at=None)
    v = vacancy(weekly_hours=36, nights=True)
    ranking = rank(v)
    assert ranked_ids(ranking) == [ok.pk]
    reasons = {item.person_id: " ".join(item.reasons) for item in ranking.excluded}
    assert "20 ore settimanali, ne servono 36" in reasons[part_time.pk]
    assert "notte" in reasons[no_nights.pk]
    assert "già inserito" in reasons[placed.pk]
    assert "consenso" in reasons[no_consent.pk]


@pytest.mark.django_db
def test_people_not_in_charge_or_not_ready_are_not_in_the_pool():
    ready_person(status="registrato", first_interview_outcome="", readiness="")
    ready_person(readiness="profilo fragile")
    ranking = rank(vacancy())
    assert ranking.pool_size == 0


@pytest.mark.django_db
def test_must_have_maximum_distance_uses_the_comuni_coordinates():
    near = ready_person(residence_comune=comune("Casalecchio di Reno"))
    far = ready_person(residence_comune=comune("Alto Reno Terme"))
    ranking = rank(vacancy(workplace=comune("Bologna"), requirements=[("distanza", "20", True)]))
    assert ranked_ids(ranking) == [near.pk]
    assert "km (massimo 20)" in ranking.excluded[0].reasons[0]
    assert ranking.excluded[0].person_id == far.pk


@pytest.mark.django_db
def test_score_is_the_sum_of_its_parts_and_occupation_fit_counts_most():
    fits = ready_person(desired_occupations=[occupation("Magazziniere").pk])
    related = ready_person(desired_occupations=[occupation("Carrellista").pk])
    other = ready_person(desired_occupations=[occupation("Cuoco").pk])
    ranking = rank(vacancy(requirements=[("patente", "B", False)]))
    assert ranked_ids(ranking)[0] == fits.pk
    for item in ranking.ranked:
        assert item.score == pytest.approx(sum(item.parts.values()), abs=0.15)
        assert "Patente B" in item.missing
    by_id = {item.person_id: item for item in ranking.ranked}
    assert by_id[fits.pk].parts["occupation"] == 30.0
    assert by_id[other.pk].parts["occupation"] == 0.0
    assert by_id[related.pk].parts["occupation"] == 0.0  # different ISCO minor group (834 vs 432)


@pytest.mark.django_db
def test_cv_text_relevance_adds_to_the_score():
    with_cv = ready_person(cv_text="Ho lavorato in magazzino con inventario e spedizioni.")
    without = ready_person(cv_text="Cuoco in un ristorante.")
    ranking = rank(vacancy(description="Magazzino, inventario, spedizioni"))
    by_id = {item.person_id: item for item in ranking.ranked}
    assert by_id[with_cv.pk].parts["cv_text"] > 0
    assert by_id[without.pk].parts["cv_text"] == 0


@pytest.mark.django_db
def test_a_request_with_no_must_have_ranks_the_whole_pool():
    people = [ready_person() for _ in range(3)]
    ranking = rank(vacancy())
    assert sorted(ranked_ids(ranking)) == sorted(p.pk for p in people)
    assert ranking.excluded == []


@pytest.mark.django_db
def test_match_command_prints_the_ranking_as_json(capsys):
    driver = ready_person(licences=["CQC"])
    without = ready_person(licences=[])
    v = vacancy(requirements=[("patente", "CQC", True)], legacy_id=77)
    call_command("match", str(v.pk), "--format", "json")
    output = json.loads(capsys.readouterr().out)
    [ranked] = output["ranked"]
    assert ranked["fiscal_code"] == driver.fiscal_code
    assert set(ranked) >= {"fiscal_code", "score", "parts"}
    [excluded] = output["excluded"]
    assert excluded["fiscal_code"] == without.fiscal_code
    assert "CQC" in excluded["reasons"][0]
    call_command("match", "--legacy-id", "77", "--format", "json")
    assert json.loads(capsys.readouterr().out)["request"]["id"] == v.pk


@pytest.mark.django_db
def test_match_command_explains_an_unknown_request():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Nessuna richiesta"):
        call_command("match", "999999")

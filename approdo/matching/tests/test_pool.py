"""The ranking's pool in the process: fresh after every committed change, never holding
what a transaction did not commit, reloaded when the tables are emptied."""

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from approdo.matching import pool as pools
from approdo.matching.engine import rank_candidates
from approdo.matching.models import PoolChange
from approdo.matching.services import current_weights
from approdo.placements.models import Placement
from tests.factories import company, ready_person, vacancy


def _ranked(request) -> list[int]:
    ranking = rank_candidates(request, weights=current_weights().as_dict())
    return [item.person_id for item in ranking.ranked]


def _in_another_thread(function):
    """Run `function` on a connection of its own, committed, as another process would."""
    errors = []

    def target():
        try:
            function()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_is_in_the_next_ranking_without_a_reload(reference_data):
    person = ready_person(licences=["B"])
    request = vacancy(requirements=[("patente", "B", True)])
    assert _ranked(request) == [person.pk]
    pool = pools.current()
    loaded_in = pool.loaded_in_ms

    _in_another_thread(lambda: type(person).objects.filter(pk=person.pk).update(licences=[]))
    ranking = rank_candidates(request, weights=current_weights().as_dict())
    assert ranking.ranked == [] and ranking.excluded_by_reason == {"patente B": 1}

    other = ready_person(licences=["B"])
    _in_another_thread(
        lambda: Placement.objects.create(
            person=other,
            company=company("Altra"),
            placement_type="stage",
            start_on=timezone.localdate(),
            job_title="Stage",
        )
    )
    ranking = rank_candidates(request, weights=current_weights().as_dict())
    assert ranking.excluded_by_reason.get("già inserito") == 1
    # Applied row by row: the pool was not read again from the start.
    assert pool.loaded_in_ms == loaded_in
    assert PoolChange.objects.filter(person_id=other.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_what_a_transaction_did_not_commit_is_never_kept(reference_data):
    kept = ready_person(licences=["B"])
    request = vacancy(requirements=[("patente", "B", True)])
    assert _ranked(request) == [kept.pk]

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        # Inside the transaction the ranking sees its own changes...
        gone = ready_person(licences=["B"])
        type(kept).objects.filter(pk=kept.pk).update(licences=[])
        assert _ranked(request) == [gone.pk]
        raise Undo
    # ...and after the rollback, what was committed.
    assert _ranked(request) == [kept.pk]


@pytest.mark.django_db(transaction=True)
def test_emptied_tables_reload_the_pool(reference_data):
    first = ready_person()
    request = vacancy()
    assert _ranked(request) == [first.pk]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE people_person CASCADE")
    request = vacancy()
    assert _ranked(request) == []


@pytest.mark.django_db(transaction=True)
def test_a_changed_cv_is_read_again(reference_data):
    from approdo.people.models import CurriculumText

    reader = ready_person(cv_text="giardiniere potatura siepi")
    request = vacancy(job_title="Magazziniere", description="Magazzino inventario picking")
    weights = current_weights().as_dict()
    before = rank_candidates(request, weights=weights).ranked[0].parts["cv_text"]
    assert before == 0
    _in_another_thread(
        lambda: CurriculumText.objects.filter(person=reader).update(
            text="magazzino inventario picking magazziniere"
        )
    )
    after = rank_candidates(request, weights=weights).ranked[0].parts["cv_text"]
    assert after > 0

"""Ten operators record a hire on a three-position request at the same moment."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from approdo.placements import services
from approdo.placements.tests.test_services import HIRING
from tests.factories import ready_person, vacancy


@pytest.mark.django_db(transaction=True)
def test_simultaneous_placements_never_fill_more_positions_than_there_are(reference_data, operator):
    request = vacancy(positions=3)
    people = [ready_person() for _ in range(10)]
    start = threading.Barrier(len(people))
    outcomes = []

    def hire(person):
        try:
            start.wait()
            services.record_placement(
                person=person, company=request.company, vacancy=request, by=operator, data=HIRING
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=hire, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] * 3 + ["refused"] * 7
    assert request.placements.count() == 3

"""Courses, participations and programme paths: the rules the database keeps."""

from datetime import date

import pytest
from django.db import IntegrityError

from approdo.training.models import Course, Participation, ProgrammePath
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _course(**fields):
    defaults = {
        "title": "Operatore socio-sanitario",
        "category": "tecnico-professionale",
        "start_on": date(2025, 3, 1),
        "end_on": date(2025, 9, 30),
        "mode": "presenza",
        "hours": 1000,
    }
    return Course.objects.create(**{**defaults, **fields})


def test_a_course_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError):
        _course(end_on=date(2025, 2, 1))


def test_a_person_takes_part_in_a_course_once():
    course, person = _course(), PersonFactory()
    Participation.objects.create(course=course, person=person, outcome="in corso")
    with pytest.raises(IntegrityError):
        Participation.objects.create(course=course, person=person, outcome="completato")


def test_a_programme_path_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError):
        ProgrammePath.objects.create(
            person=PersonFactory(),
            programme="IPS",
            start_on=date(2025, 5, 1),
            end_on=date(2025, 4, 1),
        )

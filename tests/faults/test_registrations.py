"""Ten people pressing "Invia" at the same moment: no submission lost, no person twice."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from approdo.people.models import Person
from approdo.portal.models import PortalRegistration
from approdo.portal.tests.test_views import form_data, form_data_without_fiscal_code

SUBMISSIONS = 10


@pytest.fixture(autouse=True)
def generous_limits(settings):
    # About simultaneous submissions of one person, not floods (see portal/tests/test_views).
    settings.PORTAL_LIMIT_PER_ADDRESS = settings.PORTAL_LIMIT_OVERALL = 1000


def _submit_at_once(make_form) -> list[int]:
    start = threading.Barrier(SUBMISSIONS)
    statuses: list[int] = []

    def submit():
        try:
            data = make_form()
            start.wait()
            statuses.append(Client().post(reverse("portal:register"), data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(SUBMISSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_with_one_fiscal_code_make_one_person(reference_data):
    statuses = _submit_at_once(form_data)
    assert statuses == [302] * SUBMISSIONS
    assert Person.objects.count() == 1
    assert PortalRegistration.objects.count() == SUBMISSIONS


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_without_fiscal_code_but_one_email_make_one_person(
    reference_data,
):
    statuses = _submit_at_once(form_data_without_fiscal_code)
    assert statuses == [302] * SUBMISSIONS
    assert Person.objects.count() == 1
    assert PortalRegistration.objects.count() == SUBMISSIONS

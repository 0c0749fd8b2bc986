"""The candidacies list across requests: filters, the teams' scope, the bound, the file."""

import pytest
from django.test import Client
from django.urls import reverse

from approdo.accounts.models import Team
from approdo.exports.models import Export
from approdo.exports.services import export_path
from approdo.matching.models import Candidacy, RefusalReason
from conftest import login
from tests.factories import UserFactory, ready_person, vacancy


@pytest.mark.django_db
def test_candidacies_are_filtered_scoped_and_exported(run_tasks, django_assert_max_num_queries):
    centro, navile = Team.objects.create(name="Centro"), Team.objects.create(name="Navile")
    operator = UserFactory(team=centro)
    request_ = vacancy(job_title="Cuoco")
    reason = RefusalReason.objects.filter(side="persona").first()
    refused = Candidacy.objects.create(
        vacancy=request_, person=ready_person(team=centro), stage="rifiutato", refusal=reason
    )
    elsewhere = Candidacy.objects.create(
        vacancy=request_, person=ready_person(team=navile, last_name="Fuoridalgruppo")
    )
    for _ in range(20):
        Candidacy.objects.create(vacancy=vacancy(), person=ready_person(team=centro))
    client = login(Client(), operator)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("matching:candidacies"))
    html = page.content.decode()
    assert "21 candidature" in html
    assert str(elsewhere.person) not in html

    only_refused = client.get(
        reverse("matching:candidacies"), {"stage": "rifiutato", "refusal": reason.pk}
    ).content.decode()
    assert "1 candidatura" in only_refused and reason.label in only_refused

    client.post(reverse("exports:request", args=["candidature"]), {"formato": "csv", "q": "cuoco"})
    run_tasks()
    export = Export.objects.get(kind="candidature")
    assert export.row_count == 1
    text = export_path(export).read_text(encoding="utf-8-sig")
    assert refused.person.last_name in text and elsewhere.person.last_name not in text

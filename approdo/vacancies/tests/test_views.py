import pytest
from django.urls import reverse

from approdo.vacancies.models import Vacancy
from tests.factories import company, occupation


def form_data(**overrides):
    data = {
        "company": company().pk,
        "occupation": occupation().pk,
        "job_title": "Magazziniere",
        "positions": "2",
        "workplace": "Bologna (BO)",
        "placement_type": "assunzione",
        "contract": "tempo determinato",
        "weekly_hours": "30",
        "requested_on": "2026-11-20",
        "must_licences": ["B"],
        "nice_licences": ["muletto"],
        "must_italian": "A2",
        "nice_skills": "uso del transpallet, inventario",
        "max_distance_km": "30",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_request_is_created_with_its_requirements(operator_client):
    response = operator_client.post(reverse("vacancies:create"), form_data())
    vacancy = Vacancy.objects.get()
    assert response["Location"] == reverse("vacancies:detail", args=[vacancy.pk])
    requirements = {(r.kind, r.value, r.is_must) for r in vacancy.requirements.all()}
    assert requirements == {
        ("patente", "B", True),
        ("patente", "muletto", False),
        ("italiano", "A2", True),
        ("competenza", "uso del transpallet", False),
        ("competenza", "inventario", False),
        ("distanza", "30", False),
    }
    edit = operator_client.get(reverse("vacancies:edit", args=[vacancy.pk]))
    assert edit.context["form"].initial["must_licences"] == ["B"]


@pytest.mark.django_db
def test_contradictory_request_is_refused_with_the_input_kept(operator_client):
    response = operator_client.post(
        reverse("vacancies:create"),
        form_data(placement_type="mini job", contract="", weekly_hours="30"),
    )
    assert response.status_code == 400
    assert "sotto le 20 ore" in response.content.decode()
    assert 'value="Magazziniere"' in response.content.decode()
    assert not Vacancy.objects.exists()

import pytest
from django.core.exceptions import ValidationError

from approdo.vacancies import services
from approdo.vacancies.models import Vacancy
from tests.factories import vacancy


@pytest.mark.django_db
def test_a_mini_job_of_thirty_hours_is_refused_and_nothing_is_saved():
    with pytest.raises(ValidationError, match="sotto le 20 ore"):
        vacancy(placement_type="mini job", contract="", weekly_hours=30)
    assert not Vacancy.objects.exists()


@pytest.mark.django_db
def test_contract_only_for_hirings_and_required_for_them():
    with pytest.raises(ValidationError, match="solo per le assunzioni"):
        vacancy(placement_type="stage", contract="tempo determinato")
    with pytest.raises(ValidationError, match="tipo di contratto"):
        vacancy(placement_type="assunzione", contract="")


@pytest.mark.django_db
def test_a_requirement_cannot_be_both_must_and_nice():
    with pytest.raises(ValidationError, match="sia indispensabile sia gradito"):
        vacancy(requirements=[("patente", "B", True), ("patente", "B", False)])


@pytest.mark.django_db
def test_a_request_with_no_must_have_is_allowed():
    assert vacancy(requirements=[("patente", "B", False)]).requirements.get().is_must is False


@pytest.mark.django_db
def test_status_lifecycle_is_logged_and_cancelled_is_final(operator):
    v = vacancy()
    services.change_vacancy_status(vacancy=v, to_status="sospesa", by=operator)
    services.change_vacancy_status(vacancy=v, to_status="annullata", by=operator)
    with pytest.raises(ValidationError, match="non può"):
        services.change_vacancy_status(vacancy=v, to_status="aperta", by=operator)
    assert list(v.status_changes.order_by("changed_at").values_list("to_status", flat=True)) == [
        "aperta",
        "sospesa",
        "annullata",
    ]

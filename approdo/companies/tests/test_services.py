from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from approdo.companies import services
from approdo.companies.models import Company
from tests.factories import company


@pytest.mark.django_db
def test_vat_number_with_a_wrong_check_digit_is_refused():
    with pytest.raises(ValidationError, match="cifra di controllo"):
        services.save_company(data={"name": "Errata Srl", "vat_number": "00743110158"})
    assert not Company.objects.exists()


@pytest.mark.django_db
def test_ateco_code_is_looked_up_in_the_classification():
    created = services.save_company(
        data={"name": "Trattoria", "vat_number": "IT00743110157"}, ateco_code="56.10.11"
    )
    assert created.vat_number == "00743110157"
    assert (created.sector, created.ateco_edition) == ("I", "2022")
    assert "Ristorazione" in created.ateco_title
    with pytest.raises(ValidationError, match="non esiste"):
        services.save_company(
            data={"name": "X", "vat_number": "00743110157"}, ateco_code="99.99.99"
        )


@pytest.mark.django_db
def test_a_private_family_has_no_vat_number():
    family = services.save_company(
        data={"name": "Famiglia Rossi", "is_private_family": True, "vat_number": "00743110157"}
    )
    assert family.vat_number is None


@pytest.mark.django_db
def test_board_membership_join_and_leave():
    c = company()
    services.join_board(company=c, joined_on=date(2024, 3, 1))
    with pytest.raises(ValidationError, match="già parte"):
        services.join_board(company=c, joined_on=date(2024, 4, 1))
    with pytest.raises(ValidationError, match="precedere"):
        services.leave_board(company=c, left_on=date(2024, 1, 1))
    services.leave_board(company=c, left_on=date(2025, 1, 31))
    assert c.board_memberships.get().left_on == date(2025, 1, 31)


@pytest.mark.django_db
def test_company_list_filters_and_query_count(operator_client, django_assert_num_queries):
    from approdo.companies.services import join_board

    for index in range(20):
        company(f"Azienda {index:02}")
    in_board = company("Cooperativa del Board")
    join_board(company=in_board, joined_on=date(2023, 1, 1))
    with django_assert_num_queries(8):
        response = operator_client.get(reverse("companies:list"), {"board": "si"})
    assert list(response.context["page"]) == [in_board]
    response = operator_client.get(reverse("companies:list"))
    assert len(response.context["page"]) == 21


@pytest.mark.django_db
def test_company_form_shows_the_vat_error_and_keeps_the_input(operator_client):
    response = operator_client.post(
        reverse("companies:create"), {"name": "Errata Srl", "vat_number": "00743110158"}
    )
    assert response.status_code == 400
    assert "cifra di controllo" in response.content.decode()
    assert 'value="Errata Srl"' in response.content.decode()


@pytest.mark.django_db
def test_the_activity_is_found_by_code_or_by_description(operator_client):
    from approdo.companies.models import Company

    suggestions = operator_client.get(
        reverse("companies:ateco"), {"ateco_code": "pulizie edifici"}
    ).content.decode()
    assert '<option value="81.21.00 – Attività di pulizia generale di edifici">' in suggestions
    # A description naming one activity is enough; a suggestion chosen keeps its code.
    for typed, code in (
        ("Attività di pulizia generale di edifici", "81.21.00"),
        ("49.41.00 – Trasporto di merci su strada", "49.41.00"),
    ):
        operator_client.post(
            reverse("companies:create"),
            {"name": f"Impresa {code}", "is_private_family": "on", "ateco_code": typed},
        )
        assert Company.objects.get(name=f"Impresa {code}").ateco_code == code
    # A word that names several says which, and keeps what was typed.
    response = operator_client.post(
        reverse("companies:create"),
        {"name": "Caffè Centrale", "is_private_family": "on", "ateco_code": "bar"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Più attività corrispondono a «bar»" in page and 'value="bar"' in page


@pytest.mark.django_db
def test_company_list_filter_with_placements_this_year(operator_client):
    from approdo.placements.models import Placement
    from tests.factories import ready_person

    hiring = company("Assume Srl")
    company("Non assume Srl")
    Placement.objects.create(
        person=ready_person(),
        company=hiring,
        placement_type="stage",
        start_on=date.today(),
        job_title="Stage",
    )
    response = operator_client.get(reverse("companies:list"), {"placed_this_year": "on"})
    assert [c.name for c in response.context["page"]] == ["Assume Srl"]


@pytest.mark.parametrize(
    "written", ["IT 031 2345 0375", "031.2345.0375", "it03123450375", "031-234-50375"]
)
def test_a_vat_number_is_accepted_as_people_write_it(written):
    assert services.clean_vat_number(written) == "03123450375"

"""Calls for grants: the over-55 incentive's eligibility, amount and instalments; the
intermediaries' deadline; the public form; every decision e-mailed."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approdo.partners.models import Partner
from approdo.projects import services
from approdo.projects.models import GrantApplication, GrantCall
from tests.documents import PDF
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def over_55_call(**fields) -> GrantCall:
    return GrantCall.objects.create(
        kind="incentivo over 55",
        title="Incentivo over 55",
        year=TODAY.year,
        opens_on=date(TODAY.year - 1, 1, 1),
        yearly_cap=10000,
        minimum_age=55,
        eligible_kinds=["terzo settore"],
        **fields,
    )


def intermediaries_call(deadline: date) -> GrantCall:
    return GrantCall.objects.create(
        kind="progetti intermediari",
        title="Progetti degli intermediari",
        year=deadline.year,
        opens_on=deadline - timedelta(days=120),
        deadline=deadline,
        yearly_cap=40000,
        eligible_kinds=["agenzia per il lavoro"],
    )


def coop(**fields) -> Partner:
    return Partner.objects.create(
        name=fields.pop("name", "Coop. Soc. Il Ponte"), kind=fields.pop("kind", "terzo settore")
    )


def person_aged(years: int, on: date, **fields):
    born = date(on.year - years, on.month, on.day)
    return PersonFactory(
        birth_date=born, registered_at=timezone.now() - timedelta(days=400), **fields
    )


def apply(call, organisation, **fields) -> GrantApplication:
    return services.submit_application(
        call=call,
        organisation=organisation,
        email="amministrazione@ponte.example.it",
        submitted_on=fields.pop("submitted_on", TODAY),
        amount_requested=fields.pop("amount_requested", Decimal("10000")),
        **fields,
    )


def test_the_incentive_needs_55_at_the_hire_a_person_of_the_programme_and_a_third_sector_body():
    call = over_55_call()
    hired = TODAY - timedelta(days=30)
    young = person_aged(55, hired + timedelta(days=1))  # 55 the day after the hire
    with pytest.raises(ValidationError, match="aveva 54 anni"):
        apply(call, coop(), fiscal_code=young.fiscal_code, hired_on=hired)
    with pytest.raises(ValidationError, match="Nessuna persona del programma"):
        apply(call, coop(name="Altra coop"), fiscal_code="RSSMRA60A01A944X", hired_on=hired)
    older = person_aged(55, hired)  # 55 on the very day
    with pytest.raises(ValidationError, match="riservato a"):
        apply(
            call,
            coop(name="Agenzia", kind="agenzia per il lavoro"),
            fiscal_code=older.fiscal_code,
            hired_on=hired,
        )
    application = apply(
        call,
        Partner.objects.get(name="Coop. Soc. Il Ponte"),
        fiscal_code=older.fiscal_code,
        hired_on=hired,
    )
    assert application.person == older


def test_the_amount_is_pro_rata_for_a_short_contract_and_paid_in_the_contract_months(
    mailbox, run_tasks, coordinator
):
    call = over_55_call()
    hired = (
        date(TODAY.year, 1, 16) if TODAY >= date(TODAY.year, 7, 1) else date(TODAY.year - 1, 1, 16)
    )
    person = person_aged(60, hired)
    application = apply(
        call,
        coop(),
        fiscal_code=person.fiscal_code,
        hired_on=hired,
        contract_end=date(hired.year, 7, 15),  # six months
        submitted_on=hired + timedelta(days=5),
    )
    services.decide_application(application=application, admit=True, reason="", by=coordinator)
    application.refresh_from_db()
    days = (date(hired.year, 7, 15) - hired).days + 1
    year_days = (date(hired.year + 1, 1, 16) - hired).days
    expected = (Decimal(10000) * days / year_days).quantize(Decimal("0.01"))
    assert application.amount_granted == expected
    instalments = list(application.instalments.values_list("month", "amount"))
    assert [month.month for month, _ in instalments] == [1, 2, 3, 4, 5, 6, 7]
    assert sum(amount for _, amount in instalments) == expected
    run_tasks()
    decision = [m for m in mailbox if "decisione" in m["Subject"]]
    assert decision and "ammessa" in decision[0].get_body().get_content()


def test_an_open_ended_hire_gets_the_whole_yearly_cap_in_twelve_or_thirteen_months():
    call = over_55_call()
    hired = TODAY - timedelta(days=10)
    person = person_aged(58, hired)
    application = apply(call, coop(), fiscal_code=person.fiscal_code, hired_on=hired)
    services.decide_application(application=application, admit=True, reason="", by=None)
    application.refresh_from_db()
    assert application.amount_granted == Decimal("10000.00")
    assert sum(i.amount for i in application.instalments.all()) == Decimal("10000.00")


def test_a_late_intermediaries_proposal_is_refused_with_the_deadline():
    deadline = TODAY - timedelta(days=2)
    call = intermediaries_call(deadline)
    agency = coop(name="Agenzia Lavoro Emilia", kind="agenzia per il lavoro")
    with pytest.raises(ValidationError) as refused:
        apply(call, agency, title="Lavoro in rete", submitted_on=TODAY)
    assert f"entro il {deadline:%d/%m/%Y}" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError, match="40.000,00 €"):
        apply(
            call,
            agency,
            title="Lavoro in rete",
            submitted_on=deadline,
            amount_requested=Decimal("45000"),
        )
    assert apply(call, agency, title="Lavoro in rete", submitted_on=deadline).state == "presentata"


def test_a_refusal_needs_a_reason_and_is_e_mailed(mailbox, run_tasks):
    call = intermediaries_call(TODAY + timedelta(days=30))
    application = apply(call, coop(name="Agenzia", kind="agenzia per il lavoro"), title="Rete")
    with pytest.raises(ValidationError, match="perché"):
        services.decide_application(application=application, admit=False, reason="", by=None)
    services.decide_application(
        application=application, admit=False, reason="Budget non coerente", by=None
    )
    run_tasks()
    bodies = [m.get_body().get_content() for m in mailbox]
    assert any("non ammessa" in body and "Budget non coerente" in body for body in bodies)


def test_the_public_form_takes_an_application_with_its_documents_and_reveals_nothing(
    mailbox, run_tasks, settings
):
    call = over_55_call()
    client = Client()
    url = reverse("projects:public_apply", args=[call.pk])
    assert client.get(url).status_code == 200
    data = {
        "organisation_name": "Coop. Soc. Nuova",
        "organisation_fiscal_code": "01234567890",
        "organisation_kind": "terzo settore",
        "email": "info@nuova.example.it",
        "amount_requested": "10000",
        "fiscal_code": "RSSMRA60A01A944X",  # nobody in the programme
        "hired_on": (TODAY - timedelta(days=3)).isoformat(),
        "privacy": "on",
        "document_1": SimpleUploadedFile("contratto.pdf", PDF, content_type="application/pdf"),
    }
    response = client.post(url, data)
    assert response.status_code == 302
    application = GrantApplication.objects.get()
    assert application.from_public_form and application.organisation.name == "Coop. Soc. Nuova"
    assert application.documents.count() == 1
    # The form said nothing of whether that fiscal code is in the programme.
    done = client.get(response["Location"]).content.decode()
    assert "RSSMRA60A01A944X" not in done
    run_tasks()
    assert [m["To"] for m in mailbox] == ["info@nuova.example.it"]
    # At the decision the check runs, and refuses.
    with pytest.raises(ValidationError, match="Nessuna persona"):
        services.decide_application(application=application, admit=True, reason="", by=None)


def test_a_closed_call_takes_no_public_application():
    call = intermediaries_call(TODAY - timedelta(days=1))
    response = Client().get(reverse("projects:public_apply", args=[call.pk]))
    assert response.status_code == 410
    assert f"chiuso il {call.deadline:%d/%m/%Y}" in response.content.decode()


def test_placements_of_an_intermediary_project_are_linked(coordinator_client):
    from approdo.companies.models import Company
    from approdo.placements.models import Placement

    call = intermediaries_call(TODAY + timedelta(days=30))
    application = apply(call, coop(name="Agenzia", kind="agenzia per il lavoro"), title="Rete")
    person = PersonFactory()
    Placement.objects.create(
        person=person,
        company=Company.objects.create(name="Logistica Srl"),
        placement_type="assunzione",
        contract="tempo determinato",
        start_on=TODAY,
        job_title="Magazziniere",
    )
    response = coordinator_client.post(
        reverse("projects:application_link", args=[application.pk]),
        {"fiscal_code": person.fiscal_code, "start_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    assert application.placements.get().person == person

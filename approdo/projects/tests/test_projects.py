"""Projects: their states and moves, the committee, documents, money and the call's ranking."""

from datetime import timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approdo.accounts.models import Team
from approdo.partners.models import Partner
from approdo.placements.models import Placement
from approdo.projects import services
from approdo.projects.models import (
    CallCriterion,
    FundMovement,
    Project,
    ProjectCall,
    ProjectState,
)
from approdo.projects.selectors import call_ranking, project_jobs
from conftest import login
from tests.documents import PDF
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def self_employment(person=None, by=None, **fields) -> Project:
    return services.submit_project(
        kind="autoimpiego",
        title=fields.pop("title", "Forno di quartiere"),
        person=person or PersonFactory(),
        submitted_on=fields.pop("submitted_on", TODAY - timedelta(days=60)),
        by=by,
        **fields,
    )


def social_innovation(**fields) -> Project:
    organisation = Partner.objects.get_or_create(
        name="Coop. Soc. La Serra", defaults={"kind": "terzo settore"}
    )[0]
    return services.submit_project(
        kind="innovazione sociale",
        title=fields.pop("title", "Bottega del riuso"),
        organisation=organisation,
        submitted_on=fields.pop("submitted_on", TODAY - timedelta(days=60)),
        by=None,
        **fields,
    )


def coached(project: Project) -> Project:
    return services.move_project(
        project=project,
        to_state=ProjectState.IN_ACCOMPAGNAMENTO,
        on=TODAY - timedelta(days=30),
        reason="",
        by=None,
    )


def approved(project: Project, amount=Decimal("5000")) -> Project:
    coached(project)
    services.hold_committee(
        held_on=TODAY - timedelta(days=10),
        members="Presidente\nReferente della banca",
        notes="",
        decisions=[{"project": project, "decision": "approvato", "amount": amount, "reason": ""}],
        by=None,
    )
    project.refresh_from_db()
    return project


def test_a_project_moves_through_its_states_and_every_move_is_kept(operator):
    project = self_employment(by=operator)
    assert project.state == "candidato"
    assert services.allowed_moves(project) == [
        "rifiutato",
        "in accompagnamento",
        "stand by",
        "ritirato",
    ]
    with pytest.raises(ValidationError, match="Indichi il motivo"):
        services.move_project(
            project=project, to_state="stand by", on=TODAY, reason=" ", by=operator
        )
    services.move_project(
        project=project, to_state="stand by", on=TODAY, reason="Malattia", by=operator
    )
    project.refresh_from_db()
    # Resuming goes back to where the project was; approval is the committee's.
    assert services.allowed_moves(project) == ["candidato", "ritirato"]
    with pytest.raises(ValidationError, match="comitato"):
        services.move_project(
            project=project, to_state="valutato positivamente", on=TODAY, reason="", by=operator
        )
    moves = list(project.state_changes.values_list("from_state", "to_state", "reason", "by"))
    assert moves == [
        ("", "candidato", "Candidatura", operator.pk),
        ("candidato", "stand by", "Malattia", operator.pk),
    ]


def test_a_move_cannot_go_back_in_time_nor_into_the_future():
    project = self_employment(submitted_on=TODAY - timedelta(days=5))
    for day, message in (
        (TODAY - timedelta(days=6), "precede"),
        (TODAY + timedelta(days=1), "futuro"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.move_project(
                project=project, to_state="in accompagnamento", on=day, reason="", by=None
            )


def test_started_is_for_self_employment_and_completed_for_social_innovation():
    business = approved(self_employment())
    services.move_project(project=business, to_state="finanziato", on=TODAY, reason="", by=None)
    business.refresh_from_db()
    assert "avviato" in services.allowed_moves(business)
    assert "concluso e finanziato" not in services.allowed_moves(business)


def test_the_committee_approves_with_an_amount_and_rejects_with_a_reason(mailbox, run_tasks):
    person = PersonFactory(first_name="Amina", last_name="Diallo", email="amina@esempio.it")
    first = coached(self_employment(person=person))
    second = coached(social_innovation())
    with pytest.raises(ValidationError, match="Indichi perché"):
        services.hold_committee(
            held_on=TODAY,
            members="Presidente",
            notes="",
            decisions=[{"project": second, "decision": "non approvato", "reason": ""}],
            by=None,
        )
    session = services.hold_committee(
        held_on=TODAY,
        members="Presidente\nReferente della Diocesi",
        notes="",
        decisions=[
            {"project": first, "decision": "approvato", "amount": Decimal("6500"), "reason": ""},
            {"project": second, "decision": "non approvato", "reason": "Piano non sostenibile"},
        ],
        by=None,
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.approved_amount, first.committee_on) == (
        "valutato positivamente",
        Decimal("6500"),
        TODAY,
    )
    assert second.state == "rifiutato"
    assert session.decisions.count() == 2
    run_tasks()
    [message] = [m for m in mailbox if m["To"] == "amina@esempio.it"]
    assert "6.500,00 €" in message.get_body().get_content()


def test_only_projects_in_coaching_go_to_the_committee_and_nothing_is_half_written():
    ready = coached(self_employment())
    fresh = self_employment(title="Sartoria")
    with pytest.raises(ValidationError, match="in accompagnamento"):
        services.hold_committee(
            held_on=TODAY,
            members="Presidente",
            notes="",
            decisions=[
                {"project": ready, "decision": "approvato", "amount": Decimal("1000")},
                {"project": fresh, "decision": "approvato", "amount": Decimal("1000")},
            ],
            by=None,
        )
    ready.refresh_from_db()
    assert ready.state == "in accompagnamento"


def test_the_minutes_are_a_pdf_naming_who_sat_and_what_was_decided(coordinator_client):
    project = approved(self_employment(title="Ciclofficina"))
    session = project.committee_decisions.get().session
    response = coordinator_client.get(reverse("projects:minutes", args=[session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    import io

    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Referente della banca" in text and "Ciclofficina" in text


def test_payments_are_for_approved_projects_and_a_guaranteed_loan_goes_with_its_guarantee():
    FundMovement.objects.create(on=TODAY - timedelta(days=100), kind="versamento", amount=20000)
    fresh = self_employment()
    with pytest.raises(ValidationError, match="approvati dal comitato"):
        services.add_payment(
            project=fresh,
            data={"kind": "contributo", "amount": Decimal("100"), "due_on": TODAY},
            by=None,
        )
    project = approved(self_employment(title="Sartoria"))
    with pytest.raises(ValidationError) as refused:
        services.record_guaranteed_loan(
            project=project,
            amount=Decimal("30000"),
            paid_on=TODAY,
            guarantee=Decimal("25000"),
            by=None,
        )
    assert "20.000,00 €" in str(refused.value)
    # Nothing of the refused loan is left behind.
    assert not project.payments.exists()
    services.record_guaranteed_loan(
        project=project, amount=Decimal("10000"), paid_on=TODAY, guarantee=Decimal("8000"), by=None
    )
    assert FundMovement.objects.filter(kind="garanzia").get().amount == Decimal("8000")


def test_documents_are_checked_stored_outside_the_web_root_and_their_reads_audited(
    operator, settings
):
    project = self_employment(person=PersonFactory(team=operator.team))
    with pytest.raises(ValidationError, match="non è un PDF"):
        services.store_project_document(
            project=project,
            kind="business plan",
            uploaded_file=SimpleUploadedFile("piano.pdf", b"MZ not a pdf"),
            by=operator,
        )
    document = services.store_project_document(
        project=project,
        kind="business plan",
        uploaded_file=SimpleUploadedFile("piano.pdf", PDF),
        by=operator,
    )
    assert (settings.DOCUMENTS_DIR / document.storage_path).exists()
    client = login(Client(), operator)
    response = client.get(reverse("projects:document", args=[document.pk]))
    assert response.status_code == 200
    assert LogEntry.objects.filter(
        object_pk=str(document.pk), changes_text__contains="piano.pdf"
    ).exists()


def test_a_self_employment_project_is_read_only_by_who_reads_the_person(operator):
    other_team = Team.objects.create(name="Altro gruppo")
    hidden = self_employment(person=PersonFactory(team=other_team), title="Bar caffetteria")
    visible = self_employment(person=PersonFactory(team=operator.team), title="Sartoria")
    client = login(Client(), operator)
    assert client.get(reverse("projects:detail", args=[hidden.pk])).status_code == 403
    page = client.get(reverse("projects:list")).content.decode()
    assert "Sartoria" in page and "Bar caffetteria" not in page
    assert client.get(reverse("projects:detail", args=[visible.pk])).status_code == 200
    assert LogEntry.objects.filter(object_pk=str(visible.pk), action=LogEntry.Action.ACCESS)


def test_the_project_list_does_not_repeat_queries(
    coordinator_client, django_assert_max_num_queries
):
    for index in range(12):
        self_employment(title=f"Progetto {index}")
        social_innovation(title=f"Innovazione {index}")
    with django_assert_max_num_queries(12):
        response = coordinator_client.get(reverse("projects:list"))
    assert response.status_code == 200
    assert response.content.decode().count("Innovazione ") >= 12


def test_social_innovation_jobs_are_the_old_counts_and_the_linked_placements(coordinator):
    project = social_innovation()
    project.unlinked_jobs = 1
    project.save()
    person = PersonFactory()
    company_placement = Placement.objects.create(
        person=person,
        company=_company(),
        placement_type="tirocinio",
        start_on=TODAY - timedelta(days=3),
        job_title="Addetta al riuso",
    )
    with pytest.raises(ValidationError, match="Nessun inserimento"):
        services.link_placement(project=project, fiscal_code=person.fiscal_code, start_on=TODAY)
    services.link_placement(
        project=project, fiscal_code=person.fiscal_code.lower(), start_on=company_placement.start_on
    )
    assert project_jobs(project) == {"jobs": 1, "stages": 1}


def _company():
    from approdo.companies.models import Company

    return Company.objects.create(name="Riuso Srl")


def test_a_call_ranks_its_projects_by_the_weighted_average_of_the_evaluators():
    call = ProjectCall.objects.create(
        title="Bando 2026", opens_on=TODAY - timedelta(days=90), closes_on=TODAY - timedelta(days=1)
    )
    impact = CallCriterion.objects.create(call=call, name="Impatto", weight=3)
    network = CallCriterion.objects.create(call=call, name="Rete", weight=1)
    strong = social_innovation(title="Emporio", call=call)
    weak = social_innovation(title="Orto", call=call)
    unscored = social_innovation(title="Ristorante", call=call)
    first, second = UserFactory(), UserFactory()
    services.score_project(project=strong, evaluator=first, scores={impact.pk: 8, network.pk: 4})
    services.score_project(project=strong, evaluator=second, scores={impact.pk: 10, network.pk: 6})
    services.score_project(project=weak, evaluator=first, scores={impact.pk: 5, network.pk: 9})
    with pytest.raises(ValidationError, match="ogni criterio"):
        services.score_project(project=unscored, evaluator=first, scores={impact.pk: 5})
    ranking = call_ranking(call)
    assert [(r.title, r.score, r.evaluators) for r in ranking] == [
        ("Emporio", 8.0, 2),  # (9 × 3 + 5 × 1) / 4
        ("Orto", 6.0, 1),
        ("Ristorante", None, 0),
    ]
    with pytest.raises(ValidationError, match="era aperto"):
        social_innovation(title="Tardivo", call=call, submitted_on=TODAY)


def test_the_committee_pages_are_read_by_who_reads_the_whole_programme(operator_client):
    project = approved(self_employment())
    session = project.committee_decisions.get().session
    for name in ("projects:committee", "projects:minutes"):
        assert operator_client.get(reverse(name, args=[session.pk])).status_code == 403

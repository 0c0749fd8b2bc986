"""A request from a company, the ranking, the selection and a hire, in a real browser."""

from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from approdo.accounts.roles import Role
from approdo.companies.models import CompanyContact
from approdo.matching import services
from approdo.people.choices import DocumentKind
from approdo.people.services import store_document
from approdo.placements.models import Placement
from approdo.vacancies.models import Vacancy
from tests.documents import PDF
from tests.e2e.conftest import assert_accessible, log_in, tick
from tests.factories import UserFactory, company, occupation, ready_person
from tests.factories import vacancy as new_vacancy


def test_create_request_rank_shortlist_two_and_record_a_hire(page):
    warehouse = occupation("Magazziniere").pk
    best = ready_person(
        first_name="Mario",
        last_name="Rossi",
        licences=["B", "muletto"],
        desired_occupations=[warehouse],
    )
    second = ready_person(
        first_name="Giulia", last_name="Bianchi", licences=["B"], desired_occupations=[warehouse]
    )
    ready_person(first_name="Luca", last_name="Verdi", licences=[])  # no licence B: excluded
    employer = company("Logistica Emilia Srl")
    coordinator = UserFactory(role=Role.COORDINATORE, username="giulia.rinaldi")
    log_in(page, coordinator)

    # 1. The request, with licence B as a must-have.
    page.goto("/richieste/nuova/")
    assert_accessible(page)
    page.locator("#id_company").select_option(str(employer.pk))
    page.locator("#id_occupation").select_option(str(warehouse))
    page.locator("#id_job_title").fill("Magazziniere per turni")
    page.locator("#id_positions").fill("1")
    page.locator("#id_workplace").fill("Bologna (BO)")
    page.locator("#id_placement_type").select_option("assunzione")
    page.locator("#id_contract").select_option("tempo determinato")
    page.locator("#id_weekly_hours").fill("30")
    tick(page.locator("input[name='must_licences'][value='B']"))
    tick(page.locator("input[name='nice_licences'][value='muletto']"))
    page.get_by_role("button", name="Salva la richiesta").click()
    page.wait_for_url("**/richieste/*/")
    assert_accessible(page)
    vacancy = Vacancy.objects.get()

    # 2. The ranking, with its explanation.
    page.get_by_role("button", name="Esegui l'abbinamento").click()
    page.wait_for_url("**/abbinamento/abbinamenti/*/")
    assert_accessible(page)
    ranked = page.locator("table", has=page.locator("caption", has_text="Persone in classifica"))
    rows = ranked.locator("tbody tr")
    assert "Rossi Mario" in rows.nth(0).inner_text()
    assert "Bianchi Giulia" in rows.nth(1).inner_text()
    # The excluded, grouped by reason: a group opens to show who and why.
    page.get_by_text("Patente B: 1 persona").click()
    excluded = page.locator("table", has=page.locator("caption", has_text="escluse"))
    assert "Verdi Luca" in excluded.inner_text()
    assert "Patente B" in excluded.inner_text()
    assert_accessible(page)

    # 3. Two people shortlisted, in ranking order (no reason needed).
    page.get_by_role("button", name="Seleziona Rossi Mario").click()
    page.get_by_role("button", name="Seleziona Bianchi Giulia").click()
    assert_accessible(page)
    assert vacancy.candidacies.count() == 2

    # 4. The best one goes through the pipeline and is hired.
    page.goto(f"/richieste/{vacancy.pk}/")
    candidacy = vacancy.candidacies.get(person=best)
    # Each move redraws the board in place, with the outcome beside the row and focused.
    page.evaluate("window.sameDocument = true")
    row = page.locator(f"#candidatura-{candidacy.pk}")
    for stage, shown in (
        ("proposto", "Proposto alla persona"),
        ("accettato", "Ha accettato"),
        ("cv inviato", "CV inviato all'azienda"),
    ):
        page.locator(f"#id_c{candidacy.pk}-stage").select_option(stage)
        page.get_by_role("button", name="Aggiorna la selezione di Rossi Mario").click()
        expect(row.locator("td").nth(2)).to_have_text(shown)
    expect(row.get_by_role("status")).to_have_text("Selezione aggiornata.")
    expect(row.get_by_role("status")).to_be_focused()
    assert page.evaluate("window.sameDocument") is True
    assert_accessible(page)
    page.get_by_role("link", name="Registra l'assunzione di Rossi Mario").click()
    assert_accessible(page)
    page.locator("#id_start_on").fill("2026-12-01")
    page.get_by_role("button", name="Registra l'inserimento").click()
    page.wait_for_url(f"**/lavoro/persone/{best.pk}/")
    assert_accessible(page)
    placement = Placement.objects.get()
    assert (placement.person, placement.vacancy, placement.contract) == (
        best,
        vacancy,
        "tempo determinato",
    )
    timeline = page.locator("#storia + ol").inner_text()
    assert "Inserimento: assunzione (tempo determinato)" in timeline
    assert "assunto" in timeline
    vacancy.refresh_from_db()
    assert vacancy.status == "coperta"
    assert second.candidacies.get().stage == "selezionato"


def test_propose_three_people_to_the_company_in_one_email(page, mailbox, run_tasks):
    employer = company("Pulizie Felsinee Srl")
    CompanyContact.objects.create(company=employer, name="Sara Conti", email="hr@felsinee.example")
    job = new_vacancy(company=employer, job_title="Addetta/o alle pulizie")
    operator = UserFactory(role=Role.OPERATORE, username="paolo")
    people = [ready_person(first_name=name, last_name="Mele") for name in ("Ada", "Bice", "Ciro")]
    store_document(
        person=people[0],
        kind=DocumentKind.CV,
        uploaded_file=SimpleUploadedFile("cv.pdf", PDF, "application/pdf"),
    )
    run, _ = services.run_matching(vacancy=job, by=operator)
    for person in people:
        candidacy = services.shortlist(
            vacancy=job, person=person, by=operator, run=run, override_reason="Già conosciuta"
        )
        for stage in ("proposto", "accettato"):
            services.advance_candidacy(candidacy=candidacy, stage=stage, by=operator)

    log_in(page, operator)
    page.goto(f"/richieste/{job.pk}/")
    for person in people:
        page.get_by_label(f"Scegli {person}").check()
    page.locator("#id_gruppo_stage").select_option("cv inviato")
    page.locator("#id_gruppo_contact").select_option(label="Sara Conti")
    page.locator("#id_gruppo_message").fill("Tutte disponibili dal mattino.")
    assert_accessible(page)
    page.get_by_role("button", name="Aggiorna le persone scelte").click()
    page.get_by_text("I curriculum partono in un'unica e-mail a Sara Conti").wait_for()
    assert_accessible(page)
    run_tasks()
    [message] = [m for m in mailbox if m["To"] == "hr@felsinee.example"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert all(f"{name} Mele" in body for name in ("Ada", "Bice", "Ciro"))
    assert [part.get_filename() for part in message.iter_attachments()] == ["CV Mele Ada.pdf"]

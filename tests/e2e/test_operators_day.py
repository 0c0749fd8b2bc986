"""An operator's day in a real browser: my day on the desk, an overdue task done, a call
and a note recorded, a person reassessed as ready, found in a ranking, proposed with two
others in one batch, a stage recorded and ended early; a coordinator moves a caseload."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from approdo.accounts.roles import Role
from approdo.casework.models import Task
from approdo.companies.models import CompanyContact
from approdo.placements.models import Placement
from tests.e2e.conftest import assert_accessible, log_in, open_menu, tick
from tests.factories import UserFactory, company, occupation, ready_person, vacancy


def test_an_operators_day(page):
    operator = UserFactory(first_name="Marco")
    person = ready_person(case_manager=operator, readiness="non pronto", last_name="Giornata")
    Task.objects.create(
        person=person,
        title="Richiamare per il monitoraggio",
        due_on=timezone.localdate() - timedelta(days=2),
        assignee=operator,
        origin=Task.Origin.MANUAL,
    )
    log_in(page, operator)
    assert "La mia giornata" in page.content() and "in ritardo" in page.content()
    page.get_by_role("link", name=str(person)).first.click()
    assert_accessible(page)

    tasks = page.get_by_role("region", name="Attività", exact=True)
    tasks.get_by_role("button", name="Fatto: Richiamare per il monitoraggio").click()
    assert "Fatto: Richiamare per il monitoraggio" in page.content()
    calls = page.get_by_role("region", name="Telefonate")
    calls.get_by_label("Esito").select_option("si")
    calls.get_by_label("Nota").fill("Disponibile per un tirocinio")
    calls.get_by_role("button", name="Registra la telefonata").click()
    assert "Telefonata registrata" in page.content()
    notes = page.get_by_role("region", name="Note")
    notes.get_by_label("Nota").fill("Ha finito il corso di magazzino, è motivato.")
    notes.get_by_role("button", name="Aggiungi la nota").click()
    assert "Nota registrata" in page.content()
    rating = page.get_by_role("region", name="Valutazione")
    rating.get_by_label("Nuova valutazione").select_option("pronto")
    rating.get_by_label("Perché").fill("Ha finito il corso")
    rating.get_by_role("button", name="Registra la valutazione").click()
    assert "Nuova valutazione: pronto al lavoro" in page.content()
    assert "Ha finito il corso di magazzino" in page.content()  # the note, in the history
    assert_accessible(page)

    open_menu(page, "Persone", "Le mie persone")
    assert "Giornata" in page.content()
    assert_accessible(page)

    page.get_by_role("search").first.get_by_label("Cerca persone e aziende").fill("Giornata")
    page.get_by_role("search").first.get_by_role("button", name="Cerca").click()
    page.wait_for_url("**/cerca/**")
    assert_accessible(page)
    page.get_by_role("link", name=str(person)).click()
    page.wait_for_url(f"**/persone/{person.pk}/")


def test_a_coordinator_moves_part_of_a_caseload(page):
    leaving = UserFactory(first_name="Luca", last_name="Uscente")
    taking = UserFactory(first_name="Sara", last_name="Subentra")
    people = [ready_person(case_manager=leaving) for _ in range(3)]
    log_in(page, UserFactory(role=Role.COORDINATORE))
    open_menu(page, "Persone", "Carichi di lavoro")
    assert_accessible(page)
    page.get_by_role("link", name=str(leaving)).click()
    tick(page.get_by_label(str(people[0])))
    tick(page.get_by_label(str(people[1])))
    page.get_by_label("Nuovo operatore di riferimento").select_option(label=str(taking))
    page.get_by_role("button", name="Assegna").click()
    assert "2 persone assegnate" in page.content()
    assert_accessible(page)
    people[0].refresh_from_db()
    assert people[0].case_manager == taking


def test_from_the_ranking_to_a_stage_ended_early(page, mailbox, run_tasks):
    """The person found in a ranking, proposed with two others in one batch, a stage
    recorded from the selection and ended early with its reason, seen in its chain."""
    warehouse = occupation("Magazziniere")
    people = [
        ready_person(last_name=name, first_name="Anna", desired_occupations=[warehouse.pk])
        for name in ("Giornata", "Seconda", "Terza")
    ]
    employer = company("Magazzini Emiliani Srl")
    CompanyContact.objects.create(company=employer, name="Irene Poli", email="hr@me.example")
    job = vacancy(
        company=employer,
        occupation=warehouse,
        job_title="Tirocinio in magazzino",
        placement_type="tirocinio",
        contract="",
    )
    operator = UserFactory(first_name="Marco")
    log_in(page, operator)

    page.goto(f"/richieste/{job.pk}/")
    page.get_by_role("button", name="Esegui l'abbinamento").click()
    page.wait_for_url("**/abbinamento/abbinamenti/*/")
    assert_accessible(page)
    ranked = page.locator("table", has=page.locator("caption", has_text="Persone in classifica"))
    assert "Giornata Anna" in ranked.inner_text()
    for row in range(3):  # in ranking order: no reason needed
        name = ranked.locator("tbody tr").nth(row).locator("th a").inner_text()
        page.get_by_role("button", name=f"Seleziona {name}", exact=True).click()
        page.wait_for_load_state()

    page.goto(f"/richieste/{job.pk}/")
    for stage, shown in (
        ("proposto", "Proposto alla persona"),
        ("accettato", "Ha accettato"),
        ("cv inviato", "CV inviato all'azienda"),
    ):
        for person in people:
            page.get_by_label(f"Scegli {person}").check()
        page.locator("#id_gruppo_stage").select_option(stage)
        if stage == "cv inviato":
            page.locator("#id_gruppo_contact").select_option(label="Irene Poli")
        page.get_by_role("button", name="Aggiorna le persone scelte").click()
        # The board is redrawn in place: its count per stage says all three moved.
        expect(page.locator("#tabellone-selezione .badge", has_text=f"{shown}: 3")).to_be_visible()
    assert_accessible(page)
    run_tasks()
    assert [m for m in mailbox if m["To"] == "hr@me.example"]

    first = people[0]
    page.get_by_role("link", name=f"Registra l'assunzione di {first}").click()
    assert_accessible(page)
    today = timezone.localdate()
    page.locator("#id_placement_type").select_option("tirocinio")
    page.locator("#id_start_on").fill((today - timedelta(days=20)).isoformat())
    page.locator("#id_end_on").fill((today + timedelta(days=70)).isoformat())
    page.get_by_role("button", name="Registra l'inserimento").click()
    page.wait_for_url(f"**/lavoro/persone/{first.pk}/")
    placement = Placement.objects.get(person=first)

    page.goto(f"/inserimenti/{placement.pk}/")
    assert_accessible(page)
    ending = page.get_by_role("region", name="Conclusione anticipata")
    ending.get_by_label("Concluso il").fill(today.isoformat())
    ending.get_by_label("Motivo").select_option("dimissioni")
    ending.get_by_role("button", name="Registra la conclusione").click()
    page.get_by_text("Conclusione anticipata registrata").wait_for()
    assert_accessible(page)
    chain = page.get_by_role("region", name="La catena dell'inserimento").inner_text()
    assert f"concluso in anticipo il {today:%d/%m/%Y}" in chain
    placement.refresh_from_db()
    assert (placement.end_reason, placement.stage_outcome) == ("dimissioni", "interrotto")

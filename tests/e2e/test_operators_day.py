"""An operator's day in a real browser: my day on the desk, an overdue task done, a note
written, a person reassessed as ready; then a coordinator moves part of a caseload."""

from datetime import timedelta

from django.utils import timezone

from approdo.accounts.roles import Role
from approdo.casework.models import Task
from tests.e2e.conftest import assert_accessible, log_in, open_menu
from tests.factories import UserFactory, ready_person


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
    page.get_by_label(str(people[0])).check(force=True)
    page.get_by_label(str(people[1])).check(force=True)
    page.get_by_label("Nuovo operatore di riferimento").select_option(label=str(taking))
    page.get_by_role("button", name="Assegna").click()
    assert "2 persone assegnate" in page.content()
    assert_accessible(page)
    people[0].refresh_from_db()
    assert people[0].case_manager == taking

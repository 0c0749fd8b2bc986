"""The person's rights and the teams' scope in a real browser: another desk's file opened
with a reason and reported; a consent withdrawn from the e-mail's link on a phone; an
erasure recorded by one member of staff and approved by another."""

import re
from urllib.parse import urlsplit

from django.test import Client

from approdo.accounts.models import Team
from approdo.accounts.roles import Role
from approdo.comms.services import queue_email
from tests.e2e.conftest import assert_accessible, log_in, open_menu
from tests.factories import PersonFactory, UserFactory

REASON = "La persona è allo sportello e chiede della sua candidatura"


def test_another_desks_file_opens_with_a_reason_that_coordinators_read(page):
    centro, navile = Team.objects.create(name="Centro"), Team.objects.create(name="Navile")
    other = PersonFactory(team=navile, last_name="Lontani")
    log_in(page, UserFactory(team=centro))
    page.goto("/lavoro/persone/")
    page.get_by_label("Nome, cognome o codice fiscale").fill(other.fiscal_code)
    page.get_by_label("Nome, cognome o codice fiscale").press("Enter")
    page.get_by_role("link", name="apra la scheda indicando il motivo").click()
    page.wait_for_url("**/accesso-motivato/**")
    assert "Lontani" not in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Apri la scheda").click()
    assert "Indichi il motivo" in page.content()
    assert_accessible(page)
    page.get_by_label("Motivo dell'accesso").fill(REASON)
    page.get_by_role("button", name="Apri la scheda").click()
    page.wait_for_url(f"**/persone/{other.pk}/")
    assert "Lontani" in page.content()
    assert_accessible(page)

    page.context.clear_cookies()
    log_in(page, UserFactory(role=Role.COORDINATORE))
    open_menu(page, "Amministrazione", "Accessi straordinari")
    assert REASON in page.content()
    assert_accessible(page)


def test_a_consent_is_withdrawn_from_the_link_in_an_email(page, run_tasks, mailbox):
    person = PersonFactory()
    queue_email(
        to=person.email,
        kind="prova",
        template="readmission",
        context={"person": person},
        person=person,
    )
    run_tasks()
    link = re.search(r"http\S+/consensi/\S+/", mailbox[0].get_content()).group(0)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(urlsplit(link).path)
    assert_accessible(page)
    section = page.get_by_role("region", name="Invio del curriculum alle aziende")
    section.get_by_role("button", name="Revoco questo consenso").click()
    assert "Consenso revocato" in page.content()
    assert_accessible(page)
    person.refresh_from_db()
    assert person.consent_cv_at is None and person.consent_proposal_at is not None


def test_an_erasure_is_recorded_by_one_and_approved_by_another(page):
    person = PersonFactory(last_name="Dacancellare")
    operator = UserFactory()
    log_in(page, operator)
    page.goto(f"/lavoro/persone/{person.pk}/")
    page.get_by_label("Diritto esercitato").select_option("cancellazione")
    page.get_by_role("button", name="Registra la richiesta").click()
    assert "da evadere entro il" in page.content()
    assert_accessible(page)

    page.context.clear_cookies()
    log_in(page, UserFactory(role=Role.COORDINATORE))
    open_menu(page, "Amministrazione", "Richieste sui dati")
    assert "Cancellazione (art. 17)" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name=str(person)).click()
    requests = page.get_by_role("region", name="Richieste sui dati")
    requests.get_by_label("Esito").select_option("evasa")
    requests.get_by_role("button", name="Chiudi la richiesta").click()
    assert "Scheda anonimizzata" in page.content()
    assert "Dacancellare" not in page.content()
    assert_accessible(page)
    # Logged in elsewhere, the operator's own approval would have been refused.
    assert Client().get(f"/lavoro/persone/{person.pk}/").status_code == 302

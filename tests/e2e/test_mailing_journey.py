"""A coordinator's mailing to a saved search, watched to the end; a recipient who stops
mailings with one click from a phone; the next mailing skips them."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from approdo.accounts.roles import Role
from approdo.people.choices import ExitReason, Status
from approdo.people.models import SavedSearch
from tests.e2e.conftest import assert_accessible, log_in, open_menu
from tests.factories import PersonFactory, UserFactory


def _prepare(page, search_name: str, subject: str) -> None:
    open_menu(page, "Persone", "Invii di massa")
    assert_accessible(page)
    page.get_by_role("link", name="Nuovo invio").click()
    assert_accessible(page)
    page.get_by_label("Ricerca salvata").select_option(label=search_name)
    page.get_by_label("Oggetto").fill(subject)
    page.get_by_label("Testo").fill(
        "Gentile {{ nome }},\nci racconti com'è andata dopo il programma."
    )
    page.get_by_label("Le risposte vanno a").fill("sportello@programma.example.it")
    page.get_by_label("Messaggi al minuto").fill("6000")
    page.get_by_role("button", name="Prepara l'invio").click()
    page.wait_for_url("**/comunicazioni/*/")


def test_a_mailing_to_a_saved_search_completes_and_an_unsubscribed_person_is_skipped_next(
    page, browser, live_server, mailbox, run_tasks
):
    left = timezone.now() - timedelta(days=15)
    people = [
        PersonFactory(
            first_name=name,
            status=Status.FUORI_PROTOCOLLO,
            exit_reason=ExitReason.LAVORA,
            status_changed_at=left,
        )
        for name in ("Amina", "Bruno", "Carla")
    ]
    PersonFactory(
        status=Status.FUORI_PROTOCOLLO,
        exit_reason=ExitReason.LAVORA,
        status_changed_at=left,
        email="",
    )
    coordinator = UserFactory(role=Role.COORDINATORE, username="giulia.rinaldi")
    SavedSearch.objects.create(
        owner=coordinator,
        name="Uscite per lavoro",
        query="status=fuori+protocollo&exit_reason=lavora",
    )
    log_in(page, coordinator)

    # 1. Prepared from the saved search: who is skipped is counted, the text previewed.
    _prepare(page, "Uscite per lavoro", "Come va, {{ nome }}?")
    assert_accessible(page)
    first, second = sorted(people, key=lambda p: (p.last_name, p.first_name, p.pk))[:2]
    expect(page.locator("#anteprima")).to_contain_text(f"Gentile {first.first_name}")
    page.get_by_label("Anteprima per").select_option(
        label=f"{second.last_name} {second.first_name}"
    )
    expect(page.locator("#anteprima")).to_contain_text(f"Gentile {second.first_name}")
    assert_accessible(page)

    # 2. Started; the worker sends; the progress bar reaches the end by itself.
    page.get_by_role("button", name="Avvia l'invio a 3 persone").click()
    expect(page.get_by_role("progressbar")).to_be_visible()
    run_tasks()
    expect(page.locator("#avanzamento")).to_contain_text("Completato", timeout=15_000)
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    assert_accessible(page)
    assert sorted(message["To"] for message in mailbox) == sorted(p.email for p in people)

    # 3. Amina stops mailings with one click, from her phone.
    message = next(m for m in mailbox if m["To"] == people[0].email)
    link = "".join(message["List-Unsubscribe"].split()).strip("<>")
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    phone = browser.new_context(
        base_url=live_server.url, locale="it-IT", viewport={"width": 390, "height": 844}
    ).new_page()
    phone.goto(path)
    assert_accessible(phone)
    phone.get_by_role("button", name="Non voglio più ricevere comunicazioni").click()
    expect(phone.get_by_text("Da ora non riceverà più le comunicazioni")).to_be_visible()
    assert_accessible(phone)
    phone.context.close()

    # 4. The next mailing to the same search skips her and says why.
    mailbox.clear()
    _prepare(page, "Uscite per lavoro", "Un nuovo corso")
    expect(page.locator("#avanzamento")).to_contain_text("Saltate: non vogliono comunicazioni")
    page.get_by_role("button", name="Avvia l'invio a 2 persone").click()
    run_tasks()
    expect(page.locator("#avanzamento")).to_contain_text("Completato", timeout=15_000)
    assert sorted(m["To"] for m in mailbox) == sorted(p.email for p in people[1:])
    page.goto(f"/lavoro/persone/{people[0].pk}/")
    expect(page.get_by_text("Non vuole ricevere le comunicazioni del programma")).to_be_visible()
    assert_accessible(page)

"""A survey as a coordinator sends it and a person answers it on a phone: the ready-made
questionnaire for people who left, a question added, the invitations through a mailing, a
conditional question that appears with the answer, a halfway save, the results."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from approdo.accounts.roles import Role
from approdo.people.choices import ExitReason, Status
from approdo.people.models import SavedSearch
from tests.e2e.conftest import assert_accessible, log_in, open_menu, tick
from tests.factories import PersonFactory, UserFactory


def test_a_survey_is_sent_answered_on_a_phone_and_its_results_shown(
    page, browser, live_server, mailbox, run_tasks
):
    left = timezone.now() - timedelta(days=60)
    people = [
        PersonFactory(
            first_name=name,
            status=Status.FUORI_PROTOCOLLO,
            exit_reason=ExitReason.IRREPERIBILE,
            status_changed_at=left,
        )
        for name in ("Amina", "Bruno")
    ]
    coordinator = UserFactory(role=Role.COORDINATORE, username="giulia.rinaldi")
    SavedSearch.objects.create(owner=coordinator, name="Usciti", query="status=fuori+protocollo")
    log_in(page, coordinator)

    # 1. The ready-made questionnaire, with one more question.
    open_menu(page, "Persone", "Questionari")
    assert_accessible(page)
    page.get_by_role("button", name="Crea il questionario per chi è uscito").click()
    expect(page.get_by_role("heading", name="Come va dopo il programma")).to_be_visible()
    assert_accessible(page)
    page.locator("summary", has_text="Aggiungi una domanda").click()
    page.get_by_label("Tipo").select_option(label="Risposta breve")
    page.locator("#id_domanda-text").fill("In che comune lavora?")
    page.get_by_label("Solo se alla domanda").select_option(label="Oggi lavora?")
    page.get_by_label("Solo se si è risposto").fill("Sì")
    page.get_by_role("button", name="Aggiungi la domanda").click()
    expect(page.get_by_text("Domanda salvata.")).to_be_visible()
    assert_accessible(page)

    # 2. Sent to the saved search: the mailing page follows it to the end.
    page.get_by_label("Ricerca salvata").select_option(label="Usciti")
    page.get_by_role("button", name="Invia il questionario").click()
    page.wait_for_url("**/comunicazioni/*/")
    run_tasks()
    expect(page.locator("#avanzamento")).to_contain_text("Completato", timeout=15_000)
    message = next(m for m in mailbox if m["To"] == people[0].email)
    line = next(line for line in message.get_content().splitlines() if "/questionari/r/" in line)
    path = "/" + line.strip().split("://", 1)[1].split("/", 1)[1]

    # 3. Amina answers on her phone: the contract appears when she says she works.
    phone = browser.new_context(
        base_url=live_server.url, locale="it-IT", viewport={"width": 390, "height": 844}
    ).new_page()
    phone.goto(path)
    assert_accessible(phone)
    contract = phone.get_by_role("group", name="Con quale contratto?")
    expect(contract).to_be_hidden()
    tick(phone.get_by_role("group", name="Oggi lavora?").get_by_label("Sì"))
    expect(contract).to_be_visible()
    tick(contract.get_by_label("Tempo indeterminato"))
    phone.get_by_role("button", name="Salva e continua più tardi").click()
    expect(phone.get_by_text("Risposte salvate")).to_be_visible()
    assert_accessible(phone)
    phone.goto(path)  # later, from the same link: what she gave is still there
    expect(
        phone.get_by_role("group", name="Con quale contratto?").get_by_label("Tempo indeterminato")
    ).to_be_checked()
    phone.get_by_role("button", name="Invia le risposte").click()
    expect(phone.get_by_text("Risponda a questa domanda").first).to_be_visible()
    assert_accessible(phone)
    tick(
        phone.get_by_role(
            "group", name="Ha trovato questo lavoro grazie al programma?"
        ).get_by_label("Sì")
    )
    phone.get_by_label("In che comune lavora?").fill("Bologna")
    tick(phone.get_by_role("group", name="Quanto è soddisfatta/o del programma?").get_by_label("4"))
    phone.get_by_role("button", name="Invia le risposte").click()
    expect(phone.get_by_text("Ha inviato le risposte")).to_be_visible()
    assert_accessible(phone)
    phone.context.close()

    # 4. The results: the answer rate, the counts, the texts.
    page.goto("/questionari/")
    page.get_by_role("link", name="Come va dopo il programma").click()
    page.get_by_role("link", name="Pagina dei risultati, con l'esportazione in Excel").click()
    expect(page.get_by_text("tasso di risposta 50%")).to_be_visible()
    expect(page.get_by_text("Bologna")).to_be_visible()
    assert_accessible(page)

    # 5. Her case manager sees what she said on her file.
    page.goto(f"/lavoro/persone/{people[0].pk}/")
    expect(page.get_by_text("Dalle risposte ai questionari")).to_be_visible()
    assert_accessible(page)

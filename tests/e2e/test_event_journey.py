"""A webinar cycle as a coordinator sets it up and a visitor registers for it on a phone:
the event and a session with its room, the public page, the confirmation e-mail with the
calendar invitation, the visitor's own page; then the attendance and the certificate."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from approdo.accounts.roles import Role
from approdo.events.models import Registration, Session
from tests.e2e.conftest import assert_accessible, log_in, open_menu, tick
from tests.factories import UserFactory


def _path(url: str) -> str:
    return "/" + url.strip().split("://", 1)[1].split("/", 1)[1]


def test_a_visitor_registers_for_a_webinar_and_receives_the_invitation(
    page, browser, live_server, mailbox, run_tasks
):
    coordinator = UserFactory(role=Role.COORDINATORE, username="giulia.rinaldi")
    log_in(page, coordinator)

    # 1. The coordinator creates the cycle and its first session.
    open_menu(page, "Formazione e partner", "Eventi e webinar")
    assert_accessible(page)
    page.get_by_role("link", name="Nuovo evento").click()
    page.locator("#id_title").fill("Il lavoro nella logistica")
    page.locator("#id_description").fill("Tre webinar con le aziende del territorio.")
    tick(page.get_by_label("Ciclo di incontri"))
    tick(page.get_by_label("Iscrizioni aperte"))
    assert_accessible(page)
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Evento salvato.")).to_be_visible()
    page.get_by_role("link", name="Aggiungi una sessione").click()
    assert_accessible(page)
    starts = timezone.localtime(timezone.now() + timedelta(days=5)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )
    page.locator("#id_title").fill("Il magazzino oggi")
    page.locator("#id_starts_at").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_ends_at").fill((starts + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_capacity").fill("100")
    page.get_by_role("button", name="Salva").click()
    expect(page.locator("#id_room_url-error")).to_contain_text("Indichi il collegamento")
    assert_accessible(page)
    page.locator("#id_room_url").fill("https://video.example.org/magazzino")
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Sessione salvata.")).to_be_visible()
    assert_accessible(page)
    public = page.get_by_role("link", name="/eventi/e/").get_attribute("href")

    # 2. A visitor registers from a phone, without an account.
    phone = browser.new_context(
        base_url=live_server.url, locale="it-IT", viewport={"width": 390, "height": 844}
    ).new_page()
    phone.goto(public)
    expect(phone.get_by_role("heading", name="Il lavoro nella logistica")).to_be_visible()
    expect(phone.get_by_text("video.example.org")).to_have_count(0)
    assert_accessible(phone)
    # The only session open is already chosen.
    expect(phone.get_by_label("Il magazzino oggi", exact=False)).to_be_checked()
    phone.locator("#id_first_name").fill("Sara")
    phone.locator("#id_last_name").fill("Gallo")
    phone.locator("#id_email").fill("sara.gallo@example.org")
    phone.get_by_role("button", name="Iscriviti").click()
    expect(phone.locator("#id_privacy_accepted-error")).to_contain_text(
        "Per iscriversi occorre aver letto l'informativa."
    )
    assert_accessible(phone)
    expect(phone.locator("#id_email")).to_have_value("sara.gallo@example.org")
    phone.locator("summary", has_text="Informativa sul trattamento dei dati").click()
    tick(phone.get_by_label("Ho letto l'informativa sul trattamento dei dati"))
    phone.get_by_role("button", name="Iscriviti").click()
    expect(phone.get_by_role("heading", name="Iscrizione ricevuta")).to_be_visible()
    assert_accessible(phone)

    # 3. The invitation arrives, with the calendar entry; the link opens her own page.
    run_tasks()
    message = next(m for m in mailbox if m["To"] == "sara.gallo@example.org")
    assert message["Subject"] == "Iscrizione confermata: Il lavoro nella logistica"
    invitation = next(message.iter_attachments())
    assert invitation.get_content_type() == "text/calendar"
    content = invitation.get_content()
    content = content.decode() if isinstance(content, bytes) else content
    assert "SUMMARY:Il magazzino oggi – Il lavoro nella logistica" in content
    line = next(
        line
        for line in message.get_body(("plain",)).get_content().splitlines()
        if "/eventi/r/" in line
    )
    phone.goto(_path(line.split(": ", 1)[1]))
    expect(phone.get_by_text("Il magazzino oggi", exact=True)).to_be_visible()
    expect(phone.get_by_role("button", name="Annulla l'iscrizione")).to_be_visible()
    assert_accessible(phone)

    # 4. After the session the coordinator marks her present; she downloads the certificate.
    Session.objects.update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    page.get_by_role("link", name="Iscritti e presenze di Il magazzino oggi").click()
    assert_accessible(page)
    tick(page.get_by_label("Sara Gallo presente"))
    page.get_by_role("button", name="Salva le presenze").click()
    expect(page.get_by_text("Presenze salvate: 1 presenti.")).to_be_visible()
    assert Registration.objects.get().attended is True
    phone.reload()
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Scarica l'attestato di partecipazione (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")

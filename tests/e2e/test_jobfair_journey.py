"""The digital job fair: a coordinator opens it with the stand of a Board company, a visitor
books a meeting from a phone, the company sees it in its agenda from the link it received,
and after the fair the meeting of a person of the programme becomes a candidacy."""

from datetime import date, timedelta

from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from approdo.accounts.roles import Role
from approdo.companies.models import BoardMembership, CompanyContact
from approdo.jobfair.models import Slot
from approdo.matching.models import Candidacy
from approdo.people.choices import Status
from tests.e2e.conftest import assert_accessible, log_in, open_menu, tick
from tests.factories import PersonFactory, UserFactory, company, vacancy


def test_a_companys_stand_gets_a_booking_at_the_job_fair(
    page, browser, live_server, mailbox, run_tasks
):
    firm = company("Logistica Emilia Srl")
    BoardMembership.objects.create(company=firm, joined_on=date(2024, 1, 1))
    CompanyContact.objects.create(company=firm, name="Paola Conti", email="hr@logistica.example")
    request = vacancy(company=firm, job_title="Magazziniere con muletto")
    person = PersonFactory(email="mario.rossi@example.org", status=Status.IN_CARICO)
    coordinator = UserFactory(role=Role.COORDINATORE, username="giulia.rinaldi")
    log_in(page, coordinator)

    # 1. The fair and the company's stand, with its contact and its open request.
    open_menu(page, "Aziende e richieste", "Fiera del lavoro")
    assert_accessible(page)
    page.get_by_role("link", name="Nuova fiera").click()
    page.locator("#id_title").fill("Fiera del lavoro metropolitana")
    page.locator("#id_description").fill("Incontri di venti minuti con le aziende del Board.")
    day = timezone.localdate() + timedelta(days=14)
    page.locator("#id_day").fill(day.isoformat())
    tick(page.get_by_label("Prenotazioni aperte"))
    assert_accessible(page)
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Fiera salvata.")).to_be_visible()
    assert_accessible(page)
    public = page.get_by_role("link", name="/fiera/f/").get_attribute("href")
    page.get_by_role("link", name="Aggiungi uno stand").click()
    page.locator("#id_company").select_option(label="Logistica Emilia Srl")
    page.locator("#id_description").fill("Cerchiamo magazzinieri per il nuovo polo.")
    page.locator("#id_video_room_url").fill("https://video.example.org/logistica")
    assert_accessible(page)
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Stand creato")).to_be_visible()
    page.get_by_label("Referente (riceve l'agenda)").select_option(label="Paola Conti")
    tick(page.get_by_label("Magazziniere con muletto"))
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_role("heading", name="Stand di Logistica Emilia Srl")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Manda il collegamento all'agenda al referente").click()
    expect(page.get_by_text("Collegamento all'agenda inviato")).to_be_visible()

    # 2. A person of the programme books from a phone, from the public page.
    phone = browser.new_context(
        base_url=live_server.url, locale="it-IT", viewport={"width": 390, "height": 844}
    ).new_page()
    phone.goto(public)
    assert_accessible(phone)
    phone.get_by_role("link", name="Logistica Emilia Srl").click()
    expect(phone.get_by_text("Magazziniere con muletto").first).to_be_visible()
    assert_accessible(phone)
    phone.locator("#id_slot").select_option(label="09:20–09:40")
    phone.locator("#id_vacancy").select_option(label="Magazziniere con muletto")
    phone.locator("#id_first_name").fill("Mario")
    phone.locator("#id_last_name").fill("Rossi")
    phone.locator("#id_email").fill("mario.rossi@example.org")
    phone.locator("#id_note").fill("Ho il patentino del muletto.")
    tick(phone.get_by_label("Ho letto l'informativa sul trattamento dei dati"))
    phone.get_by_role("button", name="Prenota l'incontro").click()
    expect(phone.get_by_role("heading", name="Incontro prenotato")).to_be_visible()
    assert_accessible(phone)
    run_tasks()
    confirmation = next(m for m in mailbox if m["To"] == "mario.rossi@example.org")
    assert "https://video.example.org/logistica" in confirmation.get_body(("plain",)).get_content()

    # 3. The company opens its agenda from the link it received.
    agenda_mail = next(m for m in mailbox if m["To"] == "hr@logistica.example")
    link = next(line for line in agenda_mail.get_content().splitlines() if "/fiera/agenda/" in line)
    company_page = browser.new_context(base_url=live_server.url, locale="it-IT").new_page()
    company_page.goto("/" + link.strip().split("://", 1)[1].split("/", 1)[1])
    row = company_page.get_by_role("row", name="09:20–09:40")
    expect(row).to_contain_text("Mario Rossi")
    expect(row).to_contain_text("Magazziniere con muletto")
    expect(row).to_contain_text("Ho il patentino del muletto.")
    expect(company_page.get_by_text("mario.rossi@example.org")).to_have_count(0)
    assert_accessible(company_page)

    # 4. After the fair: the meeting took place and becomes a candidacy on the request.
    back = timedelta(days=15)
    Slot.objects.update(starts_at=F("starts_at") - back, ends_at=F("ends_at") - back)
    page.reload()
    page.get_by_role("button", name="Svolto l'incontro con Mario Rossi", exact=True).click()
    expect(page.get_by_text("Esito dell'incontro salvato.")).to_be_visible()
    page.get_by_role("button", name="Crea la candidatura di Mario Rossi").click()
    expect(page.get_by_text("è ora nella selezione")).to_be_visible()
    assert_accessible(page)
    candidacy = Candidacy.objects.get()
    assert (candidacy.person, candidacy.vacancy) == (person, request)

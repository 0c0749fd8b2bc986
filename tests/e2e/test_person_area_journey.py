"""A person in their own area, on a phone: in with a link from the e-mail, an appointment
moved (the invitation follows), a new CV, the consent to send it withdrawn, and the next
ranking no longer offers to send it; every page of the area checked with axe."""

import re

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from icalendar import Calendar
from playwright.sync_api import expect

from approdo.intake.models import InterviewStatus
from approdo.intake.services import book_follow_up
from approdo.people.choices import Status
from tests.documents import pdf_bytes
from tests.e2e.conftest import assert_accessible, log_in, tick
from tests.factories import UserFactory, ready_person, slot_for, vacancy


def _phone(browser, live_server):
    return browser.new_context(
        base_url=live_server.url, locale="it-IT", viewport={"width": 390, "height": 844}
    ).new_page()


def _invitation(message):
    [attachment] = list(message.iter_attachments())
    return Calendar.from_ical(attachment.get_content()).walk("VEVENT")[0]


def test_a_person_moves_an_appointment_sends_a_cv_and_withdraws_a_consent(
    page, browser, live_server, mailbox, run_tasks, tmp_path
):
    operator = UserFactory(username="sara.neri", first_name="Sara", last_name="Neri")
    person = ready_person(
        first_name="Amina", email="amina@esempio.it", case_manager=operator, status=Status.IN_CARICO
    )
    first = book_follow_up(
        person=person, slot_id=slot_for(operator, days_ahead=3).pk, mode="presenza", by=operator
    )
    later = slot_for(operator, days_ahead=6, hour=11)
    run_tasks()
    mailbox.clear()

    # 1. In with a link sent to the address on file.
    phone = _phone(browser, live_server)
    phone.goto("/area/")
    assert_accessible(phone)
    phone.get_by_label("Il suo indirizzo e-mail").fill("amina@esempio.it")
    phone.get_by_role("button", name="Mandami il collegamento").click()
    expect(phone.get_by_role("heading", name="Controlli la sua posta")).to_be_visible()
    assert_accessible(phone)
    run_tasks()
    [message] = mailbox
    link = re.search(r"https?://\S+(/area/accesso/\S+/)", message.get_content()).group(1)
    phone.goto(link)
    assert_accessible(phone)
    phone.get_by_role("button", name="Entra").click()
    expect(phone.get_by_role("heading", name="Buongiorno Amina")).to_be_visible()
    assert_accessible(phone)

    # 2. The appointment moved: the new time on the page, the invitation updated.
    phone.get_by_role("link", name=re.compile("^Sposta")).click()
    assert_accessible(phone)
    tick(phone.get_by_label(date_format(localtime(later.starts_at), r"l j F Y, \o\r\e H:i")))
    phone.get_by_role("button", name="Sposta qui").click()
    expect(phone.get_by_text("Appuntamento spostato")).to_be_visible()
    assert_accessible(phone)
    moved = person.interviews.get(status=InterviewStatus.SCHEDULED)
    assert moved.slot == later
    run_tasks()
    invitation = _invitation(mailbox[-1])
    assert str(invitation["uid"]) == first.calendar_uid and invitation["sequence"] == 1

    # 3. A new CV.
    phone.get_by_role("link", name="I suoi dati", exact=True).click()
    assert_accessible(phone)
    cv = tmp_path / "curriculum-amina.pdf"
    cv.write_bytes(pdf_bytes())
    phone.get_by_label("Nuovo curriculum").set_input_files(cv)
    phone.get_by_role("button", name="Carica il curriculum").click()
    expect(phone.get_by_text("Curriculum caricato")).to_be_visible()
    assert_accessible(phone)

    # 4. The consent to send it to companies withdrawn.
    phone.get_by_role("link", name="Consensi").click()
    assert_accessible(phone)
    phone.get_by_role("button", name=re.compile("Revoca il consenso: invio del curriculum")).click()
    expect(phone.get_by_text("Consenso revocato")).to_be_visible()
    assert_accessible(phone)
    person.refresh_from_db()
    assert person.consent_cv_at is None

    # The other pages of the area.
    for name in ("Corsi ed eventi", "Messaggi", "Copia dei dati", "Accessi"):
        phone.get_by_role("link", name=name, exact=True).click()
        expect(phone.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(phone)
    phone.get_by_role("button", name="Esci da tutti i dispositivi").click()
    expect(phone.get_by_text("Sessioni chiuse")).to_be_visible()

    # 5. The next ranking no longer offers to send her CV.
    job = vacancy()
    log_in(page, operator)
    page.goto(reverse("vacancies:detail", args=[job.pk]))
    page.get_by_role("button", name="Esegui l'abbinamento").click()
    row = page.locator(f"#persona-{person.pk}")
    expect(row).to_contain_text("CV non inviabile: manca il consenso")
    assert_accessible(page)

"""A person in their own area, on a phone: in with a link from the e-mail, an appointment
moved (the invitation follows), a new CV, the consent to send it withdrawn, and the next
ranking no longer offers to send it; every page of the area checked with axe."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from tests.documents import pdf_bytes
from tests.e2e.area_steps import move_the_appointment, phone_page, someone_with_an_appointment
from tests.e2e.conftest import assert_accessible, log_in
from tests.factories import UserFactory, vacancy


def test_a_person_moves_an_appointment_sends_a_cv_and_withdraws_a_consent(
    page, browser, live_server, mailbox, run_tasks, tmp_path
):
    operator = UserFactory(username="sara.neri", first_name="Sara", last_name="Neri")
    amina = someone_with_an_appointment(
        operator, mailbox, run_tasks, first_name="Amina", email="amina@esempio.it"
    )
    person = amina.person

    # 1. In with a link sent to the address on file.
    phone = phone_page(browser, live_server.url)
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
    move_the_appointment(phone, amina, mailbox, run_tasks)

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

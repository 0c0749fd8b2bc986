"""The person's path in a real browser: portal registration, operator login with 2FA,
first interview booked and recorded, audit entries seen."""

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from approdo.accounts.roles import Role
from approdo.intake.models import AgendaSlot
from approdo.people.models import Person
from tests.documents import PDF, PNG
from tests.e2e.conftest import assert_accessible, log_in, open_menu, tick
from tests.factories import UserFactory


def test_register_online_then_book_and_record_the_first_interview(
    page, tmp_path, mailbox, run_tasks
):
    cv = Path(tmp_path / "curriculum.pdf")
    cv.write_bytes(PDF)
    identity = Path(tmp_path / "carta.png")
    identity.write_bytes(PNG)

    # 1. The person registers from a phone-sized screen, one step at a time.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/portale/")
    assert_accessible(page)
    page.locator("#id_first_name").fill("Mario")
    page.locator("#id_last_name").fill("Rossi")
    page.get_by_role("textbox", name="Codice fiscale").fill("RSSMRA85T10A944C")
    page.locator("#id_citizenship").select_option("Italia")
    page.get_by_role("button", name="Avanti").first.click()
    page.locator("#id_residence_comune").fill("San Lazzaro di Savena")
    page.locator("#id_email").fill("mario.rossi@esempio.it")
    page.locator("#id_phone").fill("3331234567")
    page.locator("fieldset:not([hidden])").get_by_role("button", name="Avanti").click()
    page.locator("#id_education").select_option("diploma")
    page.locator("#id_italian_level").select_option("madrelingua")
    tick(page.get_by_label("Patente B", exact=True))
    page.locator("fieldset:not([hidden])").get_by_role("button", name="Avanti").click()
    assert_accessible(page)
    page.locator("#id_identity_document").set_input_files(str(identity))
    page.locator("#id_cv").set_input_files(str(cv))
    tick(page.get_by_label("Ho letto l'informativa"))
    page.get_by_role("button", name="Invia l'iscrizione").click()
    page.wait_for_url("**/portale/grazie/")
    assert_accessible(page)
    person = Person.objects.get(fiscal_code="RSSMRA85T10A944C")
    assert person.residence_comune.name == "San Lazzaro di Savena"
    assert person.documents.count() == 2
    run_tasks()
    assert mailbox[0]["To"] == "mario.rossi@esempio.it"

    # 2. A coordinator logs in with password and TOTP code.
    page.set_viewport_size({"width": 1366, "height": 900})
    coordinator = UserFactory(role=Role.COORDINATORE, username="giulia")
    start = timezone.now() + timedelta(minutes=30)
    AgendaSlot.objects.create(
        operator=coordinator,
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
        location="Sportello",
    )
    log_in(page, coordinator)

    # 3. The queue shows Mario; the first interview is booked in the free slot.
    open_menu(page, "Persone", "Coda primi colloqui")
    assert_accessible(page)
    page.get_by_role("link", name="Fissa il colloquio di Rossi Mario").click()
    assert_accessible(page)
    page.locator("#id_mode").select_option("video")
    page.get_by_role("button", name="Conferma e invia l'invito").click()
    page.wait_for_url(f"**/lavoro/persone/{person.pk}/")
    assert_accessible(page)
    run_tasks()
    invitation = mailbox[-1]
    assert [part.get_filename() for part in invitation.iter_attachments()] == ["invito.ics"]

    # 4. The outcome: in target, ready.
    page.get_by_role("link", name="Registra l'esito").click()
    assert_accessible(page)
    tick(page.get_by_label("In target", exact=True))
    page.locator("#id_readiness").select_option("pronto")
    page.locator("#id_notes").fill("Motivato, cerca lavoro in magazzino.")
    page.get_by_role("button", name="Registra l'esito").click()
    page.wait_for_url(f"**/lavoro/persone/{person.pk}/")
    assert_accessible(page)
    assert page.get_by_text("Presa in carico dopo il primo colloquio").is_visible()
    person.refresh_from_db()
    assert (person.status, person.readiness) == ("in carico", "pronto")

    # 5. The audit log shows who opened the file and what changed.
    open_menu(page, "Amministrazione", "Registro attività")
    assert_accessible(page)
    page.locator("#id_person").fill(str(person.pk))
    page.get_by_role("button", name="Filtra").click()
    assert_accessible(page)
    body = page.locator("table").inner_text()
    assert "Consultazione della scheda" in body
    assert "Stato: Registrato → In carico" in body  # in Italian, with the labels


def test_accessibility_check_catches_a_violation(page):
    import pytest

    page.set_content("<html lang='it'><body><main><img src='data:,'></main></body></html>")
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)

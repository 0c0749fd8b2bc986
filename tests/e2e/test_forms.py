"""What axe-core cannot see on forms: where focus goes after an error, the error summary's
links, steps and the Enter key, the size of a file checked before it is sent."""

import json

from approdo.accounts.roles import Role
from tests.e2e.conftest import assert_accessible, log_in, tick
from tests.factories import PersonFactory, UserFactory

FOCUSED_SUMMARY = "() => document.activeElement.matches('[data-error-summary]')"


def test_a_staff_form_error_moves_focus_to_a_summary_linking_each_field(page):
    log_in(page, UserFactory(role=Role.COORDINATORE, username="coordinatrice"))
    page.goto("/aziende/nuova/")
    page.get_by_role("button", name="Salva").click()
    page.wait_for_load_state()
    assert page.evaluate(FOCUSED_SUMMARY)
    summary = page.locator("[data-error-summary]")
    link = summary.get_by_role("link", name="Ragione sociale")
    assert link.count() == 1
    link.click()
    assert page.evaluate("() => document.activeElement.name") == "name"
    assert_accessible(page)


def test_portal_enter_goes_to_the_next_step_and_errors_name_their_step(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/portale/")
    page.locator("#id_first_name").fill("Mario")
    page.locator("#id_last_name").fill("Rossi")
    # A code with a wrong check character: the browser cannot know, the server does.
    page.get_by_role("textbox", name="Codice fiscale").fill("RSSMRA85T10A944X")
    page.locator("#id_citizenship").select_option("Italia")
    page.locator("#id_last_name").press("Enter")
    assert page.locator("[data-step]:not([hidden]) > legend").inner_text() == (
        "2. Dove vive e come contattarla"
    )
    assert page.url.endswith("/portale/")  # nothing was sent
    page.locator("#id_residence_comune").fill("Bologna")
    page.locator("#id_email").fill("mario.rossi@esempio.it")
    page.locator("#id_phone").fill("3331234567")
    page.locator("#id_phone").press("Enter")
    page.locator("#id_education").select_option("diploma")
    page.locator("#id_italian_level").select_option("madrelingua")
    page.locator("fieldset:not([hidden])").get_by_role("button", name="Avanti").click()
    tick(page.get_by_label("Ho letto l'informativa"))
    page.get_by_role("button", name="Invia l'iscrizione").click()
    page.wait_for_load_state()

    # Back with errors: the summary has focus, names the step, and its link opens it.
    assert page.evaluate(FOCUSED_SUMMARY)
    summary = page.locator("[data-error-summary]")
    assert "Codice fiscale (passo 1. Chi è)" in summary.inner_text()
    page.locator("fieldset:not([hidden])").get_by_role("button", name="Avanti").click()
    summary.get_by_role("link", name="Codice fiscale").click()
    assert page.locator("[data-step]:not([hidden]) > legend").inner_text() == "1. Chi è"
    assert page.evaluate("() => document.activeElement.name") == "fiscal_code"
    assert_accessible(page)


def test_a_file_too_large_is_refused_before_it_is_sent(page):
    page.goto("/portale/")
    page.evaluate(  # straight to the last step: only the file matters here
        "() => document.querySelectorAll('[data-step]').forEach("
        "(step, i, all) => { step.hidden = i !== all.length - 1; })"
    )
    page.locator("#id_identity_document").set_input_files(
        {"name": "scansione.pdf", "mimeType": "application/pdf", "buffer": b"%PDF" * 3_000_000}
    )
    message = page.locator("#id_identity_document-size")
    assert message.inner_text().startswith("Il file «scansione.pdf» pesa 11,4 MB: il massimo")
    assert page.evaluate("() => document.getElementById('id_identity_document').value") == ""
    assert_accessible(page)


def test_a_form_shown_again_without_a_new_login_is_not_said_recovered(page):
    operator = UserFactory()
    person = PersonFactory()
    log_in(page, operator)
    edit = f"/lavoro/persone/{person.pk}/modifica/"
    page.goto(edit)
    # What a sent form leaves in the tab when no login came between (a redirect back, an
    # error without a field): it must not be put back as "recovered".
    stash = {"path": edit, "values": {"phone": ["3471112233"]}}
    page.evaluate(
        "stash => window.sessionStorage.setItem('approdo-form-stash', stash)", json.dumps(stash)
    )
    page.reload()
    assert page.get_by_text("abbiamo recuperato i dati").count() == 0
    assert page.locator("#id_phone").input_value() != "3471112233"


def test_the_menu_groups_open_with_the_keyboard_and_close_with_escape(page):
    log_in(page, UserFactory(role=Role.COORDINATORE, username="coordinatrice"))
    menu = page.get_by_role("navigation", name="Menu principale")
    people = menu.get_by_text("Persone", exact=True)
    people.focus()
    page.keyboard.press("Enter")
    entry = menu.get_by_role("link", name="Coda primi colloqui")
    assert entry.is_visible()
    assert_accessible(page)
    menu.get_by_text("Amministrazione", exact=True).click()  # one group open at a time
    assert not entry.is_visible()
    page.keyboard.press("Escape")
    assert not menu.get_by_role("link", name="Importazione").is_visible()
    assert page.evaluate("() => document.activeElement.textContent") == "Amministrazione"
    # On one row at a desktop width.
    tops = {
        round(box["y"])
        for box in menu.locator("[data-menu] > li").evaluate_all(
            "items => items.map(item => item.getBoundingClientRect())"
        )
    }
    assert len(tops) == 1


def test_labels_stay_above_empty_fields_when_they_lose_focus(page):
    operator = UserFactory()
    log_in(page, operator)
    page.goto("/password/")
    label = page.locator("label[for='id_old_password']")
    before = label.bounding_box()
    page.locator("#id_old_password").focus()
    page.locator("#id_new_password1").focus()  # the first, still empty, loses focus
    assert label.bounding_box() == before


def test_the_people_list_announces_the_new_count_in_a_region_that_stays(page):
    for surname in ("Rossi", "Rossini", "Bianchi"):
        PersonFactory(last_name=surname)
    log_in(page, UserFactory())
    page.goto("/lavoro/persone/")
    region = page.locator("#annuncio-risultati")
    handle = region.element_handle()
    page.get_by_label("Nome, cognome o codice fiscale").fill("Bianchi")
    page.get_by_role("form", name="Filtri").get_by_role("button", name="Cerca").click()
    page.wait_for_function(
        "() => document.getElementById('annuncio-risultati').textContent.includes('trovata')"
    )
    assert region.inner_text() == "1 persona trovata"
    assert page.evaluate("element => element.isConnected", handle)  # changed, not replaced
    assert region.get_attribute("role") == "status"
    assert_accessible(page)


def test_a_warning_comes_before_the_session_ends_and_keeps_it_going(page, settings):
    settings.SESSION_COOKIE_AGE = 12  # warned 6 seconds before the end
    log_in(page, UserFactory())
    page.goto("/lavoro/persone/")
    warning = page.get_by_role("alertdialog")
    warning.wait_for(state="visible", timeout=15_000)
    assert "sta per scadere" in warning.inner_text() or "scade tra" in warning.inner_text()
    assert page.evaluate("() => document.activeElement.textContent") == "Resta collegato"
    assert_accessible(page)
    with page.expect_response("**/sessione/rinnova/") as renewal:
        page.keyboard.press("Enter")
    assert renewal.value.status == 204
    assert warning.is_hidden()
    page.reload()
    assert "/accesso/" not in page.url

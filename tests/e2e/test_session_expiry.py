"""An operator whose session expires mid-form loses nothing."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from approdo.people.models import Person
from tests.e2e.conftest import assert_accessible, log_in
from tests.factories import PersonFactory, UserFactory


def test_form_input_survives_an_expired_session(page):
    operator = UserFactory()
    person = PersonFactory(phone="3330000000")
    log_in(page, operator)
    page.goto(f"/lavoro/persone/{person.pk}/modifica/")
    assert_accessible(page)
    page.locator("#id_phone").fill("3471112233")
    page.locator("#id_address").fill("Via Zamboni 33")

    page.context.clear_cookies()  # the session expires while the operator types
    page.get_by_role("button", name="Salva").click()
    page.wait_for_url("**/accesso/**")
    assert Person.objects.get(pk=person.pk).phone == "3330000000"

    # A TOTP code is good once: pretend the next 30-second code has come up.
    TOTPDevice.objects.filter(user=operator).update(last_t=-1)
    log_in(page, operator)
    page.wait_for_url(f"**/lavoro/persone/{person.pk}/modifica/")
    assert page.get_by_text("abbiamo recuperato i dati").is_visible()
    assert page.locator("#id_phone").input_value() == "3471112233"
    assert page.locator("#id_address").input_value() == "Via Zamboni 33"
    assert_accessible(page)
    page.get_by_role("button", name="Salva").click()
    page.wait_for_url(f"**/lavoro/persone/{person.pk}/")
    person.refresh_from_db()
    assert (person.phone, person.address) == ("3471112233", "Via Zamboni 33")

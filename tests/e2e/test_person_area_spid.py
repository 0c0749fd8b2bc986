"""SPID in a phone's browser, against the package's own trust anchor and identity provider run
locally (approdo/spid_testbed): a person logs in, moves an appointment and gets the new
invitation; someone with an unknown fiscal code is sent to register and sees nothing.

axe checks Approdo's pages; the identity provider's pages belong to the test federation (a
real person sees their own provider's pages instead)."""

import json
import os
import socket

import pytest
from django.db import connection
from playwright.sync_api import expect

from approdo.area import federation
from approdo.area.models import AccessMethod, AreaSession
from approdo.spid_testbed import runner
from tests.e2e.area_steps import move_the_appointment, phone_page, someone_with_an_appointment
from tests.e2e.conftest import assert_accessible
from tests.factories import UserFactory, ready_person

MARIO = runner.TestIdentity(
    username="mario.rossi",
    password="spid-di-prova",
    fiscal_code="RSSMRA85T10A944C",
    given_name="Mario",
    family_name="Rossi",
    email="mario.rossi@esempio.it",
)
LARA = runner.TestIdentity(
    username="lara.bianchi",
    password="spid-di-prova",
    fiscal_code="BNCLRA90A41F205X",
    given_name="Lara",
    family_name="Bianchi",
    email="lara.bianchi@esempio.it",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    """The test database, on the server the suite runs against."""
    return runner.with_database(os.environ["DATABASE_URL"], connection.settings_dict["NAME"])


@pytest.fixture
def approdo_url(live_server):
    # The federation's schemas want addresses with an IP or a real domain, not "localhost".
    return live_server.url.replace("localhost", "127.0.0.1")


@pytest.fixture
def testbed(approdo_url, settings, tmp_path, reference_data):
    port = _free_port()
    settings.PUBLIC_BASE_URL = approdo_url
    anchor = f"http://127.0.0.1:{port}"
    settings.OIDCFED_TRUST_ANCHORS = [anchor]
    settings.OIDCFED_DEFAULT_TRUST_ANCHOR = anchor
    settings.OIDCFED_IDENTITY_PROVIDERS = {"spid": {f"{anchor}/oidc/op": anchor}, "cie": {}}
    settings.APPRODO_IDENTITY_PROVIDER_NAMES = {f"{anchor}/oidc/op": runner.PROVIDER_NAME}
    relying_party = tmp_path / "relying-party.json"
    relying_party.write_text(
        json.dumps(federation.onboarding_data(federation.ensure_relying_party()))
    )
    started = runner.start(
        port=port,
        database_url=_database_url(),
        relying_party_file=relying_party,
        identities=[MARIO, LARA],
    )
    yield started
    started.stop()


def _log_in_with_spid(phone, identity) -> None:
    phone.goto("/area/")
    assert_accessible(phone)
    phone.get_by_role("link", name="Entra con SPID (Identity provider di prova)").click()
    # The test provider's own pages: its login, then its consent to share the attributes.
    phone.locator("#id_username").fill(identity.username)
    phone.locator("#id_password").fill(identity.password)
    phone.locator("#submit").click()
    phone.locator("#agree").click()


def test_a_person_logs_in_with_spid_and_moves_an_appointment(
    browser, testbed, approdo_url, mailbox, run_tasks
):
    operator = UserFactory(username="sara.neri", first_name="Sara", last_name="Neri")
    mario = someone_with_an_appointment(
        operator,
        mailbox,
        run_tasks,
        first_name="Mario",
        fiscal_code=MARIO.fiscal_code,
        email="mario@esempio.it",
    )
    person = mario.person

    phone = phone_page(browser, approdo_url)
    _log_in_with_spid(phone, MARIO)
    expect(phone.get_by_role("heading", name="Buongiorno Mario")).to_be_visible()
    assert_accessible(phone)
    session = AreaSession.objects.get()
    assert (session.person, session.method) == (person, AccessMethod.SPID)

    move_the_appointment(phone, mario, mailbox, run_tasks)

    # The access history says how she came in.
    phone.get_by_role("link", name="Accessi", exact=True).click()
    expect(phone.get_by_role("listitem").filter(has_text="(questa)")).to_contain_text("SPID")
    assert_accessible(phone)


def test_an_unknown_fiscal_code_is_sent_to_register_and_sees_nothing(browser, testbed, approdo_url):
    ready_person(first_name="Mario", fiscal_code=MARIO.fiscal_code, email="mario@esempio.it")
    phone = phone_page(browser, approdo_url)
    _log_in_with_spid(phone, LARA)
    expect(phone.get_by_text("Non abbiamo una scheda con il suo codice fiscale")).to_be_visible()
    assert phone.url.endswith("/portale/")
    assert_accessible(phone)
    # The form starts from what the identity said; nothing of anyone else is on the page.
    expect(phone.get_by_role("textbox", name="Codice fiscale")).to_have_value(LARA.fiscal_code)
    expect(phone.locator("#id_first_name")).to_have_value("Lara")
    assert "Mario" not in phone.content()
    assert not AreaSession.objects.exists()
    phone.goto("/area/")
    expect(phone.get_by_role("heading", name="La sua area personale")).to_be_visible()

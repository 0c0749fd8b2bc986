"""SPID and CIE on Approdo's side: its entity, the choice of provider, and what a verified
identity opens. The whole exchange with a provider runs in
tests/e2e/test_person_area_spid.py against the local test federation."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from spid_cie_oidc.entity.jwtse import unpad_jwt_payload
from spid_cie_oidc.entity.models import FederationEntityConfiguration
from spid_cie_oidc.relying_party.models import OidcAuthentication

from approdo.area import federation, services, views
from approdo.area.models import AccessMethod, AreaSession
from approdo.portal.views import PREFILL_SESSION_KEY
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

ANCHOR = "http://127.0.0.1:8999"
PROVIDER = f"{ANCHOR}/oidc/op"
CIE_PROVIDER = "http://127.0.0.1:8998/oidc/op"


@pytest.fixture
def federated(settings):
    settings.OIDCFED_TRUST_ANCHORS = [ANCHOR]
    settings.OIDCFED_DEFAULT_TRUST_ANCHOR = ANCHOR
    settings.OIDCFED_IDENTITY_PROVIDERS = {
        "spid": {PROVIDER: ANCHOR},
        "cie": {CIE_PROVIDER: ANCHOR},
    }
    settings.APPRODO_IDENTITY_PROVIDER_NAMES = {PROVIDER: "Gestore di prova"}
    return settings


def test_without_providers_the_login_offers_the_link_only():
    page = Client().get(reverse("area:login")).content.decode()
    assert "SPID" not in page and "Mandami il collegamento" in page
    assert not federation.is_configured()


def test_the_login_offers_each_configured_provider(federated):
    assert federation.is_configured()
    page = Client().get(reverse("area:login")).content.decode()
    assert "Entra con SPID (Gestore di prova)" in page
    assert "Entra con CIE (127.0.0.1:8998)" in page


def test_the_entity_configuration_is_signed_and_names_the_callback(federated):
    entity = federation.ensure_relying_party()
    again = federation.ensure_relying_party()
    assert again.pk == entity.pk and again.jwks_fed == entity.jwks_fed  # keys made once
    federated.PUBLIC_BASE_URL = "https://approdo.example.org"
    moved = federation.ensure_relying_party()
    assert FederationEntityConfiguration.objects.get() == moved  # one relying party only
    federated.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    federation.ensure_relying_party()
    response = Client().get("/area/oidc/.well-known/openid-federation")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/entity-statement+jwt"
    statement = unpad_jwt_payload(response.content.decode())
    assert statement["sub"] == federation.entity_id() == "http://127.0.0.1:8000/area/oidc"
    assert statement["authority_hints"] == [ANCHOR]
    assert statement["metadata"]["openid_relying_party"]["redirect_uris"] == [
        "http://127.0.0.1:8000/area/oidc/callback"
    ]
    # Only public keys leave the server.
    for key in (
        statement["jwks"]["keys"] + statement["metadata"]["openid_relying_party"]["jwks"]["keys"]
    ):
        assert "d" not in key


def test_only_a_configured_provider_can_be_asked_for(federated):
    begin = reverse("area:federation_begin")
    assert Client().get(begin, {"provider": "http://evil.example/op"}).status_code == 400
    # A provider asked for with the other profile's claims.
    assert Client().get(begin, {"provider": PROVIDER, "profile": "cie"}).status_code == 400


def test_asking_to_begin_too_often_is_refused(federated):
    client = Client(REMOTE_ADDR="203.0.113.9")
    begin = reverse("area:federation_begin")
    for _ in range(views.FEDERATION_BEGINS_PER_HOUR):
        client.get(begin, {"provider": "unknown"})  # refused before counting
    statuses = set()
    for _ in range(views.FEDERATION_BEGINS_PER_HOUR + 1):
        # The provider is unreachable here: each attempt counts, then fails politely.
        statuses.add(client.get(begin, {"provider": PROVIDER, "profile": "spid"}).status_code)
    assert 429 in statuses and 500 not in statuses


def test_a_callback_with_an_error_or_junk_shows_only_our_words(federated):
    callback = reverse("area:federation_callback")
    for query in (
        {"error": "access_denied", "error_description": "<b>Chiami il 899 123 456</b>"},
        {"error": "x", "area_person": "1", "too_many": ""},
        {"state": "nessuno", "code": "c", "iss": PROVIDER},
        {"state": "'; DROP TABLE x; --", "code": "c"},
        {"state": "\x00", "code": "c"},
        {},
    ):
        response = Client().get(callback, query)
        page = response.content.decode()
        assert response.status_code in (400, 401), query
        assert "899" not in page and "Esci" not in page
    assert not AreaSession.objects.exists()


def _verified(claims, *, provider=PROVIDER):
    """What the package's callback hands over once tokens and userinfo are verified."""
    state = "s" * 32
    OidcAuthentication.objects.create(
        client_id=federation.entity_id(), state=state, provider_id=provider, data="{}"
    )
    request = RequestFactory().get("/area/oidc/callback", {"state": state, "code": "c"})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.META["REMOTE_ADDR"] = "198.51.100.7"
    return request, views._federation_login(request, claims)


def test_a_known_fiscal_code_opens_that_persons_area(federated):
    person = PersonFactory(fiscal_code="RSSMRA85T10A944C")
    PersonFactory(fiscal_code="VRDLGU80A01A944S")
    request, response = _verified(
        {"fiscal_number": "TINIT-RSSMRA85T10A944C", "first_name": "Mario"}
    )
    assert response.status_code == 302 and response.url == reverse("area:home")
    session = AreaSession.objects.get()
    assert (session.person, session.method) == (person, AccessMethod.SPID)
    assert response.cookies["approdo_area"]["httponly"]
    # Nothing of the exchange is kept once the person is in.
    assert not OidcAuthentication.objects.exists()


def test_a_cie_login_is_recorded_as_such(federated):
    PersonFactory(fiscal_code="RSSMRA85T10A944C")
    _verified({"fiscal_number": "rssmra85t10a944c"}, provider=CIE_PROVIDER)
    assert AreaSession.objects.get().method == AccessMethod.CIE


@pytest.mark.parametrize(
    "claims",
    [
        {"fiscal_number": "TINIT-BNCLRA90A41F205X", "first_name": "Lara", "email": "l@e.it"},
        {"fiscal_number": "", "first_name": "Lara"},
        {"first_name": "Lara"},
        {"fiscal_number": "TINIT-RSSMRA85T10A944C' OR 1=1", "first_name": "Lara"},
    ],
)
def test_an_unknown_or_missing_fiscal_code_starts_a_registration_and_shows_nothing(
    federated, claims
):
    PersonFactory(fiscal_code="RSSMRA85T10A944C")
    request, response = _verified(claims)
    assert response.url == reverse("portal:register")
    assert not AreaSession.objects.exists() and "approdo_area" not in response.cookies
    prefill = request.session[PREFILL_SESSION_KEY]
    assert prefill["first_name"] == "Lara" and len(prefill["fiscal_code"]) <= 16


def test_an_anonymised_file_is_never_opened(federated):
    PersonFactory(fiscal_code="RSSMRA85T10A944C", anonymised_at=timezone.now())
    _, response = _verified({"fiscal_number": "TINIT-RSSMRA85T10A944C"})
    assert response.url == reverse("portal:register") and not AreaSession.objects.exists()


def test_the_registration_starts_from_what_the_identity_said():
    session = SessionStore()
    session[PREFILL_SESSION_KEY] = {
        "first_name": "Lara",
        "last_name": "Bianchi",
        "email": "lara@esempio.it",
        "fiscal_code": "BNCLRA90A41F205X",
    }
    session.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    page = client.get(reverse("portal:register")).content.decode()
    for value in ("Lara", "Bianchi", "lara@esempio.it", "BNCLRA90A41F205X"):
        assert f'value="{value}"' in page


def test_the_entity_command_checks_the_trust_marks_file(federated, tmp_path, capsys):
    marks = tmp_path / "marks.json"
    marks.write_text('{"not": "a list"}')
    with pytest.raises(CommandError, match="lista di oggetti"):
        call_command("spid_entity", trust_marks=marks)
    marks.write_text(json.dumps([{"id": "https://example/tm", "trust_mark": "eyJ.x.y"}]))
    public = tmp_path / "public.json"
    call_command("spid_entity", trust_marks=marks, public_out=public)
    data = json.loads(public.read_text())
    assert data["sub"] == federation.entity_id()
    assert all("d" not in key for key in data["jwks"])
    assert federation.ensure_relying_party().trust_marks[0]["id"] == "https://example/tm"


def test_abandoned_federation_logins_are_forgotten_after_a_day():
    for state, hours in (("old", 25), ("new", 2)):
        authentication = OidcAuthentication.objects.create(client_id="x", state=state, data="{}")
        OidcAuthentication.objects.filter(pk=authentication.pk).update(
            created=timezone.now() - timedelta(hours=hours)
        )
    services.forget_old_accesses()
    assert list(OidcAuthentication.objects.values_list("state", flat=True)) == ["new"]

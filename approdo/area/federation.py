"""SPID and CIE: Approdo as a relying party of the Italian OpenID Connect federation, through
the `spid-cie-oidc` package.

The federation trusts Approdo by its entity configuration (served at
`<PUBLIC_BASE_URL>/area/oidc/.well-known/openid-federation`), signed with keys kept in the
database; `approdo spid_entity` makes them once and prints what the onboarding asks for.
A login is matched to a file by the fiscal code the identity provider returns, and by
nothing else.
"""

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from spid_cie_oidc.entity.jwks import create_jwk, public_jwk_from_private_jwk
from spid_cie_oidc.entity.models import FederationEntityConfiguration
from spid_cie_oidc.relying_party.models import OidcAuthentication

from approdo.people.models import Person

from .models import AccessMethod
from .services import start_session

ENTITY_PATH = "area/oidc"
FISCAL_NUMBER_CLAIM = "https://attributes.eid.gov.it/fiscal_number"
# The fiscal number claim carries the ETSI prefix for natural persons of Italy.
FISCAL_NUMBER_PREFIX = "TINIT-"


def entity_id() -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/{ENTITY_PATH}"


def is_configured() -> bool:
    return bool(settings.OIDCFED_TRUST_ANCHORS) and any(
        settings.OIDCFED_IDENTITY_PROVIDERS.values()
    )


@dataclass(frozen=True)
class Provider:
    method: str  # AccessMethod.SPID or AccessMethod.CIE
    entity_id: str
    name: str

    @property
    def method_label(self) -> str:
        return AccessMethod(self.method).label

    @property
    def login_url(self) -> str:
        query = urlencode({"provider": self.entity_id, "profile": self.method})
        return f"{reverse('area:federation_begin')}?{query}"


def providers() -> list[Provider]:
    """The identity providers a person may choose, SPID first, in the configured order."""
    found = []
    for method in (AccessMethod.SPID, AccessMethod.CIE):
        for provider_id in settings.OIDCFED_IDENTITY_PROVIDERS.get(method.value, {}):
            name = settings.APPRODO_IDENTITY_PROVIDER_NAMES.get(provider_id) or (
                urlsplit(provider_id).netloc
            )
            found.append(Provider(method=method, entity_id=provider_id, name=name))
    return found


def method_of(provider_id: str) -> str | None:
    for provider in providers():
        if provider.entity_id == provider_id:
            return provider.method
    return None


def _key(use: str) -> dict:
    return {**create_jwk(), "use": use}


@transaction.atomic
def ensure_relying_party(*, trust_marks: list[dict] | None = None):
    """Approdo's entity configuration, created with new keys the first time and brought in
    line with the settings afterwards (keys kept)."""
    sub = entity_id()
    # The package's views take the first relying party they find: an entity under an earlier
    # address (APPRODO_PUBLIC_BASE_URL changed, which means onboarding again) must go.
    FederationEntityConfiguration.objects.filter(entity_type="openid_relying_party").exclude(
        sub=sub
    ).delete()
    entity = FederationEntityConfiguration.objects.select_for_update().filter(sub=sub).first()
    if entity is None:
        entity = FederationEntityConfiguration(
            sub=sub, jwks_fed=[_key("sig")], jwks_core=[_key("sig"), _key("enc")]
        )
    entity.entity_type = "openid_relying_party"
    entity.authority_hints = list(settings.OIDCFED_TRUST_ANCHORS)
    if trust_marks is not None:
        entity.trust_marks = trust_marks
    entity.metadata = _metadata(sub, entity.jwks_core)
    entity.is_active = True
    entity.save()
    return entity


def _metadata(sub: str, core_keys: list[dict]) -> dict:
    name = settings.APPRODO_ORGANISATION_NAME
    contacts = [settings.APPRODO_FEDERATION_CONTACT]
    return {
        "federation_entity": {
            "organization_name": name,
            "homepage_uri": settings.PUBLIC_BASE_URL,
            "policy_uri": f"{settings.PUBLIC_BASE_URL.rstrip('/')}/portale/privacy/",
            "contacts": contacts,
        },
        "openid_relying_party": {
            "organization_name": name,
            "client_name": name,
            "client_id": sub,
            "application_type": "web",
            "client_registration_types": ["automatic"],
            "contacts": contacts,
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
            "redirect_uris": [f"{sub}/callback"],
            "subject_type": "pairwise",
            "jwks": {"keys": [public_jwk_from_private_jwk(key) for key in core_keys]},
        },
    }


def active_entity():
    return FederationEntityConfiguration.objects.filter(sub=entity_id(), is_active=True).first()


def onboarding_data(entity) -> dict:
    """What a programme hands to the federation's registry: who it is and its public keys."""
    return {
        "sub": entity.sub,
        "entity_configuration": f"{entity.sub}/.well-known/openid-federation",
        "authority_hints": entity.authority_hints,
        "jwks": entity.public_jwks,
        "metadata": entity.metadata,
    }


def fiscal_code_of(claims: dict) -> str:
    value = str(claims.get("fiscal_number") or claims.get(FISCAL_NUMBER_CLAIM) or "")
    value = value.strip().upper()
    if value.startswith(FISCAL_NUMBER_PREFIX):
        value = value[len(FISCAL_NUMBER_PREFIX) :]
    return value


def person_for(fiscal_code: str) -> Person | None:
    """The file a login with this fiscal code opens: never an anonymised one."""
    if len(fiscal_code) != 16:
        return None
    return Person.objects.filter(fiscal_code=fiscal_code, anonymised_at__isnull=True).first()


@dataclass(frozen=True)
class Unknown:
    """A verified identity with no file: what it said, to start a registration with."""

    prefill: dict[str, str]


@transaction.atomic
def enter_with_identity(*, state: str, claims: dict, visitor) -> str | Unknown:
    """The identity the provider verified for the login `state`: a session in the area of
    the file with its fiscal code (its token), or Unknown. Nothing of any file is shown to
    an unknown fiscal code, and nothing of the exchange is kept."""
    authentication = OidcAuthentication.objects.filter(state=state).first()
    method = method_of(authentication.provider_id if authentication else "")
    OidcAuthentication.objects.filter(state=state).delete()
    fiscal_code = fiscal_code_of(claims)
    person = person_for(fiscal_code)
    if person is None or method is None:
        return Unknown(
            prefill={
                "first_name": str(claims.get("first_name") or "")[:100],
                "last_name": str(claims.get("last_name") or "")[:100],
                "email": str(claims.get("email") or "")[:254],
                "fiscal_code": fiscal_code[:16],
            }
        )
    _, token = start_session(person=person, method=method, visitor=visitor)
    return token

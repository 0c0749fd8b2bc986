"""Set up the local test federation: the trust anchor, one identity provider, the relying
party it trusts (Approdo) and the test users. Run on an empty database (the runner flushes
it): each start of the test federation has new keys.

    testbed_setup --relying-party FILE --users FILE

FILE for the relying party is what `approdo spid_entity --public-out` writes (its entity ID and
public federation keys); FILE for the users is a JSON list of
{"username", "password", "fiscal_code", "given_name", "family_name", "email"}.
"""

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from spid_cie_oidc.authority.models import FederationDescendant
from spid_cie_oidc.entity.jwks import create_jwk, public_jwk_from_private_jwk
from spid_cie_oidc.entity.models import FederationEntityConfiguration

SIGNING_ALGS = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"]
ENCRYPTION_ALGS = ["RSA-OAEP", "RSA-OAEP-256"]
ENCRYPTION_ENCS = ["A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM", "A256GCM"]
FISCAL_NUMBER = "https://attributes.eid.gov.it/fiscal_number"


class Command(BaseCommand):
    help = "Prepara la federazione SPID/CIE di prova (trust anchor, provider, utenti)."

    def add_arguments(self, parser):
        parser.add_argument("--relying-party", type=Path, required=True)
        parser.add_argument("--users", type=Path, required=True)

    @transaction.atomic
    def handle(self, *args, relying_party, users, **options):
        anchor_url = settings.BASE_URL
        provider_url = f"{anchor_url}/oidc/op"
        anchor = _entity(anchor_url, "federation_entity", [], _anchor_metadata(anchor_url))
        provider = _entity(
            provider_url, "openid_provider", [anchor_url], _provider_metadata(provider_url)
        )
        # The provider lists its own core keys in its metadata.
        provider.metadata["openid_provider"]["jwks"] = {
            "keys": [public_jwk_from_private_jwk(key) for key in provider.jwks_core]
        }
        provider.save(update_fields=["metadata"])
        _descendant(provider.sub, "openid_provider", provider.public_jwks)
        rp = json.loads(relying_party.read_text())
        _descendant(rp["sub"], "openid_relying_party", rp["jwks"])
        for person in json.loads(users.read_text()):
            _user(person)
        self.stdout.write(f"Federazione di prova pronta: {anchor.sub}, {provider.sub}")


def _entity(sub, entity_type, authority_hints, metadata):
    return FederationEntityConfiguration.objects.create(
        sub=sub,
        jwks_fed=[{**create_jwk(), "use": "sig"}],
        jwks_core=[{**create_jwk(), "use": "sig"}, {**create_jwk(), "use": "enc"}],
        entity_type=entity_type,
        authority_hints=authority_hints,
        metadata=metadata,
        is_active=True,
    )


def _descendant(sub, entity_type, jwks):
    FederationDescendant.objects.update_or_create(
        sub=sub,
        defaults={
            "name": sub,
            "type": entity_type,
            "jwks": jwks,
            "is_active": True,
            "status": "valid",
        },
    )


def _user(person):
    user, _ = get_user_model().objects.get_or_create(username=person["username"])
    user.set_password(person["password"])
    user.email = person["email"]
    user.attributes = {
        "given_name": person["given_name"],
        "family_name": person["family_name"],
        "email": person["email"],
        FISCAL_NUMBER: f"TINIT-{person['fiscal_code']}",
    }
    user.save()


def _anchor_metadata(url):
    return {
        "federation_entity": {
            "organization_name": "Trust anchor di prova",
            "homepage_uri": url,
            "contacts": ["ops@localhost"],
            "federation_fetch_endpoint": f"{url}/fetch",
            "federation_resolve_endpoint": f"{url}/resolve",
            "federation_list_endpoint": f"{url}/list",
            "federation_trust_mark_status_endpoint": f"{url}/trust_mark_status",
        }
    }


def _provider_metadata(url):
    return {
        "federation_entity": {
            "organization_name": "Identity provider di prova",
            "homepage_uri": url,
            "contacts": ["ops@localhost"],
            "federation_resolve_endpoint": f"{url}/resolve",
        },
        "openid_provider": {
            "issuer": url,
            "organization_name": "Identity provider di prova",
            "op_name": "Identity provider di prova",
            "authorization_endpoint": f"{url}/authorization",
            "token_endpoint": f"{url}/token",
            "userinfo_endpoint": f"{url}/userinfo",
            "introspection_endpoint": f"{url}/introspection",
            "revocation_endpoint": f"{url}/revocation",
            "jwks_uri": f"{url}/openid_provider/jwks.json",
            "scopes_supported": ["openid", "offline_access"],
            "response_types_supported": ["code"],
            "response_modes_supported": ["form_post", "query"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "acr_values_supported": [
                "https://www.spid.gov.it/SpidL1",
                "https://www.spid.gov.it/SpidL2",
                "https://www.spid.gov.it/SpidL3",
            ],
            "subject_types_supported": ["pairwise"],
            "claims_supported": ["given_name", "family_name", "email", FISCAL_NUMBER],
            "claims_parameter_supported": True,
            "code_challenge_methods_supported": ["S256"],
            "client_registration_types_supported": ["automatic"],
            "request_authentication_methods_supported": {"ar": ["request_object"]},
            "request_parameter_supported": True,
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": SIGNING_ALGS,
            "id_token_signing_alg_values_supported": SIGNING_ALGS,
            "userinfo_signing_alg_values_supported": SIGNING_ALGS,
            "request_object_signing_alg_values_supported": SIGNING_ALGS,
            "id_token_encryption_alg_values_supported": ENCRYPTION_ALGS,
            "id_token_encryption_enc_values_supported": ENCRYPTION_ENCS,
            "userinfo_encryption_alg_values_supported": ENCRYPTION_ALGS,
            "userinfo_encryption_enc_values_supported": ENCRYPTION_ENCS,
            "request_object_encryption_alg_values_supported": ENCRYPTION_ALGS,
            "request_object_encryption_enc_values_supported": ENCRYPTION_ENCS,
        },
    }

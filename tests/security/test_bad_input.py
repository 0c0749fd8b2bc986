"""Junk in any GET parameter of any page is an Italian 400 or a page, never a server error.

Every page without arguments is opened as each role; the parameters of its GET forms (and
the pagination's) are each given values an attacker or a broken link would send.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from approdo.accounts.roles import Role
from conftest import login
from tests.factories import PersonFactory, UserFactory

JUNK = (
    "x",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "2025-13-45",
    "'; DROP TABLE people_person; --",
    "<script>alert(1)</script>",
    "\u202e" + "a" * 5000,
    "%",
    "[]",
)
FORM = re.compile(r"<form[^>]*method=\"get\"[^>]*>(.*?)</form>", re.S | re.I)
FIELD = re.compile(r"<(?:input|select|textarea)[^>]*\bname=\"([^\"]+)\"", re.I)


def pages_without_arguments(resolver=None, prefix="") -> list[str]:
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if "<" in route or route.startswith("^"):
            continue
        if isinstance(pattern, URLResolver):
            found += pages_without_arguments(pattern, prefix + route)
        elif isinstance(pattern, URLPattern):
            found.append("/" + prefix + route)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.COORDINATORE, Role.AMMINISTRATORE, Role.SOLA_LETTURA])
def test_junk_in_every_get_parameter_is_never_a_server_error(role):
    PersonFactory()
    client = login(Client(raise_request_exception=False), UserFactory(role=role))
    checked, failures = 0, set()
    for url in pages_without_arguments():
        page = client.get(url)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        html = page.content.decode()
        names = {"pagina"} | {name for form in FORM.findall(html) for name in FIELD.findall(form)}
        for name in sorted(names - {"csrfmiddlewaretoken"}):
            for value in JUNK:
                response = client.get(url, {name: value})
                if response.status_code not in (200, 400):
                    failures.add((url, name, value[:20], response.status_code))
                checked += 1
    assert checked > 200
    assert not failures, "\n".join(map(str, sorted(failures)))


@pytest.mark.django_db
def test_an_unknown_action_on_a_company_is_not_found(operator_client):
    from tests.factories import company

    response = operator_client.post(f"/aziende/{company('Prova Srl').pk}/sconosciuta/", {})
    assert response.status_code == 404

"""What every response tells the browser, and the error pages in Italian."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_every_page_sets_a_content_security_policy_and_refuses_framing(client):
    response = client.get("/accesso/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-eval'" not in policy and "script-src 'self' 'unsafe-inline'" not in policy
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["TRACE", "TRACK", "CONNECT"])
def test_trace_and_its_kin_are_refused(client, method):
    response = client.generic(method, "/accesso/")
    assert response.status_code == 405


@pytest.mark.django_db
def test_a_missing_page_is_an_italian_404_on_the_products_layout(operator_client):
    response = Client().get("/portale/non-esiste/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Pagina non trovata" in page and "Not Found" not in page
    assert '<html lang="it">' in page


@pytest.mark.django_db
def test_a_body_too_large_is_refused_from_its_length_before_it_is_read(client, settings):
    big = settings.MAX_REQUEST_BYTES + 1
    response = client.generic(
        "POST", "/portale/", b"x", content_type="multipart/form-data", CONTENT_LENGTH=str(big)
    )
    assert response.status_code == 413
    assert "Invio troppo grande" in response.content.decode()
    # The legacy import takes its larger archives.
    import_page = client.generic(
        "POST",
        "/importazione/",
        b"x",
        content_type="multipart/form-data",
        CONTENT_LENGTH=str(big),
    )
    assert import_page.status_code != 413

import pytest
from django.db import OperationalError, connection
from django.test import Client


@pytest.mark.django_db
def test_a_nul_character_in_a_public_query_is_a_400_not_a_server_error():
    response = Client().get("/portale/comuni/", {"residence_comune": "Bo\x00"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_nul_character_in_a_form_is_a_400(client):
    response = client.post("/accesso/", {"username": "a\x00", "password": "x"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_an_unreachable_database_is_a_503_in_italian_with_retry(operator_client, monkeypatch):
    def database_down(**filters):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("approdo.people.views.filter_people", database_down)
    monkeypatch.setattr(connection, "is_usable", lambda: False)
    operator_client.raise_request_exception = False
    response = operator_client.get("/lavoro/persone/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "Non è stato salvato nulla" in response.content.decode()


@pytest.mark.django_db
def test_any_other_error_is_a_500_that_promises_nothing_partial(operator_client, monkeypatch):
    def broken(**filters):
        raise RuntimeError("bug")

    monkeypatch.setattr("approdo.people.views.filter_people", broken)
    operator_client.raise_request_exception = False
    response = operator_client.get("/lavoro/persone/")
    assert response.status_code == 500
    assert "Si è verificato un errore" in response.content.decode()

"""How long a staff session lasts, and how passwords are kept."""

import time

import pytest
from django.contrib.auth.hashers import identify_hasher

from approdo.accounts.middleware import LOGGED_IN_AT_KEY
from approdo.accounts.models import User
from tests.factories import UserFactory


@pytest.mark.django_db
def test_a_session_ends_ten_hours_after_the_login_however_active(operator_client, settings):
    assert operator_client.get("/lavoro/persone/").status_code == 200
    session = operator_client.session
    session[LOGGED_IN_AT_KEY] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = operator_client.get("/lavoro/persone/")
    assert response.status_code == 302 and "/accesso/" in response["Location"]


def test_idle_sessions_last_thirty_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2id_and_old_ones_upgraded_at_login(client):
    user = UserFactory()
    assert identify_hasher(user.password).algorithm == "argon2"
    assert "argon2id" in user.password
    # A password hashed by the earlier setting is rehashed when it is next checked.
    from django.contrib.auth.hashers import make_password

    User.objects.filter(pk=user.pk).update(
        password=make_password("password-di-prova-lunga", hasher="pbkdf2_sha256")
    )
    user.refresh_from_db()
    assert user.check_password("password-di-prova-lunga")
    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == "argon2"

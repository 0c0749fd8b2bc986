import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from approdo.accounts.roles import Role
from tests.factories import UserFactory

PASSWORD = "password-di-prova-lunga"


def current_code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def password_step(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_every_staff_page_requires_login(client):
    response = client.get(reverse("people:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_login_needs_password_and_totp_code(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the waiting after a wrong code is tested below
    user = UserFactory()
    device = user.totpdevice_set.get()
    response = password_step(client, user.username)
    assert response["Location"].startswith(reverse("accounts:token"))
    # The password alone does not open anything.
    assert client.get(reverse("people:list")).status_code == 302
    response = client.post(reverse("accounts:token"), {"token": "000000"})
    assert "Codice non valido" in response.content.decode()
    response = client.post(reverse("accounts:token"), {"token": current_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("people:list")).status_code == 200


@pytest.mark.django_db
def test_a_right_code_right_after_a_wrong_one_must_wait(client):
    user = UserFactory()
    device = user.totpdevice_set.get()
    password_step(client, user.username)
    client.post(reverse("accounts:token"), {"token": "000000"})
    response = client.post(reverse("accounts:token"), {"token": current_code(device)})
    assert "attenda qualche secondo" in response.content.decode()


@pytest.mark.django_db
def test_first_login_enrols_an_authenticator(client):
    user = UserFactory(totp=False)
    password_step(client, user.username)
    page = client.get(reverse("accounts:token"))
    assert "<svg" in page.content.decode() and page.context["secret"]
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(reverse("accounts:token"), {"token": current_code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("people:list")).status_code == 200


@pytest.mark.django_db
def test_account_is_locked_after_five_failed_logins(client):
    user = UserFactory()
    for _ in range(5):
        password_step(client, user.username, "sbagliata")
    response = password_step(client, user.username)
    assert response.status_code == 429
    assert "bloccato" in response.content.decode()


@pytest.mark.django_db
def test_a_stranger_elsewhere_cannot_lock_an_operator_out():
    from django.test import Client

    user = UserFactory()
    stranger = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(6):
        password_step(stranger, user.username, "sbagliata")
    assert password_step(stranger, user.username).status_code == 429
    at_the_office = Client(REMOTE_ADDR="192.0.2.10")
    assert password_step(at_the_office, user.username).status_code == 302


@pytest.mark.django_db
def test_one_address_trying_many_usernames_is_held_up():
    from django.test import Client

    from approdo.accounts.services import FAILED_LOGINS_PER_ADDRESS

    prober = Client(REMOTE_ADDR="203.0.113.7")
    limit, _ = FAILED_LOGINS_PER_ADDRESS
    for number in range(limit):
        assert password_step(prober, f"utente{number}", "sbagliata").status_code == 200
    user = UserFactory()
    assert password_step(prober, user.username).status_code == 429  # even the right one


@pytest.mark.django_db
def test_wrong_totp_codes_count_towards_the_lockout(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = UserFactory()
    password_step(client, user.username)
    for _ in range(5):
        client.post(reverse("accounts:token"), {"token": "123456"})
    response = password_step(client, user.username)
    assert response.status_code == 429


@pytest.mark.django_db
def test_logout_everywhere_closes_other_sessions(client, operator):
    from django.test import Client

    from conftest import login

    other_device = login(Client(), operator)
    login(client, operator)
    client.post(reverse("accounts:logout_everywhere"))
    assert other_device.get(reverse("people:list")).status_code == 302


@pytest.mark.django_db
def test_password_policy_refuses_short_passwords(operator_client):
    response = operator_client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "corta1", "new_password2": "corta1"},
    )
    assert response.status_code == 200
    assert "troppo corta" in response.content.decode()


@pytest.mark.django_db
def test_session_expires_when_idle(settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, status",
    [
        (Role.OPERATORE, 403),
        (Role.SPECIALISTA_IPS, 403),
        (Role.COORDINATORE, 200),
        (Role.AMMINISTRATORE, 200),
        (Role.SOLA_LETTURA, 200),
    ],
)
def test_audit_log_is_for_coordinators_admins_and_auditors(client, role, status):
    from conftest import login

    login(client, UserFactory(role=role))
    assert client.get(reverse("audit:log")).status_code == status


@pytest.mark.django_db
def test_a_forgotten_password_is_reset_by_a_link_good_once_without_saying_who_exists(
    client, mailbox, run_tasks
):
    import re

    user = UserFactory(email="giulia@approdo.test")
    known = client.post(reverse("accounts:password_reset"), {"email": "giulia@approdo.test"})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nessuno@approdo.test"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    run_tasks()
    [message] = mailbox  # the request sent nothing itself: the worker did
    assert message["To"] == "giulia@approdo.test"
    link = re.search(r"https?://\S+/password/nuova/\S+/", message.get_content())[0]
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    new = "un-altra-password-lunga-7"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    user.refresh_from_db()
    assert user.check_password(new)
    again = client.get("/" + path, follow=True)
    assert "non è più valido" in again.content.decode()

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from approdo.accounts.models import User
from approdo.accounts.roles import Role
from conftest import login
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client):
    return login(client, UserFactory(role=Role.AMMINISTRATORE, username="amministratrice"))


@pytest.mark.django_db
def test_administrator_creates_a_colleague_with_a_temporary_password(admin_client):
    response = admin_client.post(
        reverse("accounts:user_create"),
        {
            "username": "nuovo.operatore",
            "first_name": "Nuovo",
            "last_name": "Operatore",
            "email": "nuovo@approdo.test",
            "role": Role.SPECIALISTA_IPS,
            "is_active": "on",
        },
        follow=True,
    )
    user = User.objects.get(username="nuovo.operatore")
    assert user.role == Role.SPECIALISTA_IPS
    shown = next(str(m) for m in response.context["messages"])
    password = re.search(r"password provvisoria (\S+)", shown)[1]
    code = re.search(r"codice di attivazione (\d{8})", shown)[1]
    assert user.check_password(password) and user.must_change_password
    assert not TOTPDevice.objects.filter(user=user).exists()  # enrolled at first login

    # First login: the password alone does not enrol an authenticator; the code does.
    from django_otp.oath import totp

    newcomer = Client()
    newcomer.post(reverse("accounts:login"), {"username": user.username, "password": password})
    enrolment = newcomer.get(reverse("accounts:token"))
    assert "Codice di attivazione" in enrolment.content.decode()
    device = TOTPDevice.objects.get(user=user)

    def current() -> str:
        return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"

    refused = newcomer.post(
        reverse("accounts:token"), {"token": current(), "enrolment_code": "12345678"}
    )
    assert "Codice di attivazione non valido" in refused.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    newcomer.post(reverse("accounts:token"), {"token": current(), "enrolment_code": code})
    device.refresh_from_db()
    assert device.confirmed
    # Then a password of their own before anything else.
    response = newcomer.get(reverse("people:list"))
    assert response["Location"] == reverse("accounts:password_change")
    newcomer.post(
        reverse("accounts:password_change"),
        {
            "old_password": password,
            "new_password1": "una-password-tutta-mia-42",
            "new_password2": "una-password-tutta-mia-42",
        },
    )
    assert newcomer.get(reverse("people:list")).status_code == 200


@pytest.mark.django_db
def test_only_administrators_manage_users(operator_client, coordinator_client):
    assert operator_client.get(reverse("accounts:users")).status_code == 403
    assert coordinator_client.get(reverse("accounts:users")).status_code == 403


@pytest.mark.django_db
def test_disabling_an_account_closes_its_sessions(admin_client):
    colleague = UserFactory()
    their_browser = login(Client(), colleague)
    admin_client.post(
        reverse("accounts:user_edit", args=[colleague.pk]),
        {
            "first_name": "A",
            "last_name": "B",
            "email": "a@b.it",
            "role": Role.OPERATORE,
        },
    )
    colleague.refresh_from_db()
    assert not colleague.is_active
    assert their_browser.get(reverse("people:list")).status_code == 302


@pytest.mark.django_db
def test_resetting_the_second_factor_forces_a_new_enrolment(admin_client):
    colleague = UserFactory()
    admin_client.post(reverse("accounts:user_reset_2fa", args=[colleague.pk]))
    assert not TOTPDevice.objects.filter(user=colleague).exists()


@pytest.mark.django_db
def test_duplicate_username_is_refused_in_italian(admin_client):
    UserFactory(username="mario")
    response = admin_client.post(
        reverse("accounts:user_create"),
        {
            "username": "Mario",
            "first_name": "M",
            "last_name": "R",
            "email": "m@r.it",
            "role": Role.OPERATORE,
        },
    )
    assert response.status_code == 400
    assert "Esiste già un utente" in response.content.decode()


@pytest.mark.django_db
def test_administrators_actions_on_accounts_are_in_the_audit_log(admin_client):
    from auditlog.models import LogEntry

    administrator = User.objects.get(username="amministratrice")
    colleague = UserFactory(role=Role.OPERATORE)
    admin_client.post(
        reverse("accounts:user_edit", args=[colleague.pk]),
        {
            "first_name": "A",
            "last_name": "B",
            "email": "a@b.it",
            "role": Role.COORDINATORE,
            "is_active": "on",
        },
    )
    admin_client.post(reverse("accounts:user_reset_2fa", args=[colleague.pk]))
    admin_client.post(reverse("accounts:user_unlock", args=[colleague.pk]))
    entries = LogEntry.objects.filter(object_pk=str(colleague.pk), actor=administrator)
    assert entries.filter(changes__role=[Role.OPERATORE, Role.COORDINATORE]).exists()
    texts = set(entries.values_list("changes_text", flat=True))
    assert {
        "Verifica in due passaggi azzerata",
        "Accesso sbloccato dopo i tentativi falliti",
    } <= texts
    assert not any("password" in str(entry.changes) for entry in entries)


@pytest.mark.django_db
def test_accounts_unused_for_ninety_days_are_disabled(capsys):
    from datetime import timedelta

    from auditlog.models import LogEntry
    from django.core.management import call_command
    from django.utils import timezone

    now = timezone.now()
    idle = UserFactory(last_login=now - timedelta(days=100))
    recent = UserFactory(last_login=now - timedelta(days=10))
    never_but_new = UserFactory(last_login=None)
    never_and_old = UserFactory(last_login=None)
    User.objects.filter(pk=never_and_old.pk).update(date_joined=now - timedelta(days=120))
    call_command("disable_unused_accounts")
    assert "Account disattivati: 2" in capsys.readouterr().out
    states = dict(User.objects.values_list("pk", "is_active"))
    assert not states[idle.pk] and not states[never_and_old.pk]
    assert states[recent.pk] and states[never_but_new.pk]
    assert LogEntry.objects.filter(
        object_pk=str(idle.pk), changes_text__startswith="Disattivato: non usato"
    ).exists()


@pytest.mark.django_db
def test_the_quarterly_access_review_is_recorded(admin_client):
    page = admin_client.get(reverse("accounts:users")).content.decode()
    assert "Nessuna revisione registrata" in page and "alert-warning" in page
    admin_client.post(reverse("accounts:users"))
    page = admin_client.get(reverse("accounts:users")).content.decode()
    assert "Ultima revisione:" in page and "Nessuna revisione registrata" not in page

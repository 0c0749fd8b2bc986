"""Login with two factors, sessions, and staff accounts."""

import base64
import time
from datetime import timedelta
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib.auth import login, user_logged_in, user_login_failed
from django.db import transaction
from django.db.models import F
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from approdo.core.ratelimit import exceeded, record

from .middleware import LOGGED_IN_AT_KEY, SESSION_EPOCH_KEY
from .models import Team, User
from .roles import Role

PENDING_USER_KEY = "approdo_pending_user"
PENDING_FAILURES_KEY = "approdo_pending_failures"
MAX_TOKEN_FAILURES = 5


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    """The user's enrolled authenticator, if any."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_totp_device(user: User) -> TOTPDevice:
    """The device being enrolled: created once, confirmed by the first valid code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Autenticatore", confirmed=False)


def totp_secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def totp_qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG (made here, nothing leaves the server)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def second_factor_throttled(user: User) -> bool:
    """After wrong codes django-otp makes the user wait, doubling the wait each time."""
    device = confirmed_totp_device(user) or pending_totp_device(user)
    allowed, _ = device.verify_is_allowed()
    return not allowed


def verify_second_factor(request, user: User, token: str) -> bool:
    """Check the code; on success log the user in with the verified device.

    Wrong codes count towards the same lockout as wrong passwords.
    """
    device = confirmed_totp_device(user) or pending_totp_device(user)
    if token and device.verify_token(token.replace(" ", "")):
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            User.objects.filter(pk=user.pk).update(enrolment_code="")  # used once
        complete_login(request, user, device)
        return True
    failures = request.session.get(PENDING_FAILURES_KEY, 0) + 1
    request.session[PENDING_FAILURES_KEY] = failures
    user_login_failed.send(
        sender=__name__, credentials={"username": user.username}, request=request
    )
    if failures >= MAX_TOKEN_FAILURES:
        request.session.pop(PENDING_USER_KEY, None)
    return False


def complete_login(request, user: User, device: TOTPDevice) -> None:
    request.session.pop(PENDING_FAILURES_KEY, None)
    request.session.pop(PENDING_USER_KEY, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    request.session[SESSION_EPOCH_KEY] = user.session_epoch
    request.session[LOGGED_IN_AT_KEY] = time.time()
    user_logged_in.send(sender=user.__class__, request=request, user=user)


# Besides django-axes (5 failures lock a username from one address for 30 minutes): an
# address that tries many usernames, and a username tried from many addresses, wait too.
# Neither lasts longer than its window: no stranger can lock an operator out for good.
FAILED_LOGINS_PER_ADDRESS = (20, timedelta(minutes=15))
FAILED_LOGINS_PER_USERNAME = (30, timedelta(hours=1))


def too_many_failed_logins(address_key: str, username: str) -> bool:
    limit, window = FAILED_LOGINS_PER_ADDRESS
    if exceeded(address_key, limit=limit, window=window):
        return True
    limit, window = FAILED_LOGINS_PER_USERNAME
    return exceeded(f"accesso:utente:{username.lower()}", limit=limit, window=window)


def count_failed_login(address_key: str, username: str) -> None:
    record(address_key)
    record(f"accesso:utente:{username.lower()}")


def logout_everywhere(user: User) -> None:
    """Close every open session of the user, on every device."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)


@transaction.atomic
def create_staff_user(
    *,
    username: str,
    role: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    team: Team | None = None,
    enrol_totp: bool = False,
) -> tuple[User, TOTPDevice | None]:
    """Create a member of staff; optionally with a confirmed authenticator (demo, tests)."""
    if role not in Role.values:
        raise ValueError(f"Ruolo sconosciuto: {role}")
    user = User.objects.create_user(
        username=username,
        password=password,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
        team=team,
    )
    device = None
    if enrol_totp:
        device = TOTPDevice.objects.create(user=user, name="Autenticatore", confirmed=True)
    return user, device


def new_enrolment_code(user: User) -> str:
    """A one-time code for enrolling an authenticator, to hand over in person; kept hashed."""
    import secrets

    from django.contrib.auth.hashers import make_password

    code = f"{secrets.randbelow(10**8):08d}"
    user.enrolment_code = make_password(code)
    user.save(update_fields=["enrolment_code"])
    return code


def enrolment_code_accepted(user: User, code: str) -> bool:
    from django.contrib.auth.hashers import check_password

    return not user.enrolment_code or check_password(code.replace(" ", ""), user.enrolment_code)


def generate_temporary_password() -> str:
    """A random password to hand over once; the user changes it after logging in."""
    import secrets

    return "-".join(secrets.token_urlsafe(6) for _ in range(3))


@transaction.atomic
def update_staff_user(
    *,
    user: User,
    role: str,
    is_active: bool,
    first_name: str,
    last_name: str,
    email: str,
    team: Team | None = None,
) -> User:
    """Change a colleague's role or team, or disable the account (sessions are closed when
    disabled)."""
    user.role, user.team = role, team
    user.first_name, user.last_name, user.email = first_name, last_name, email
    if user.is_active and not is_active:
        user.session_epoch += 1
    user.is_active = is_active
    user.full_clean(exclude=["password"])
    user.save()
    return user


def _log_account_action(user: User, by: User | None, detail: str) -> None:
    """An administrator's action on an account that changes no field of it, in the log."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(User),
        object_pk=str(user.pk),
        object_id=user.pk,
        object_repr=str(user)[:200],
        action=LogEntry.Action.UPDATE,
        actor=by,
        changes_text=detail,
        additional_data={"detail": detail},
    )


@transaction.atomic
def reset_second_factor(*, user: User, by: User | None = None) -> str:
    """Remove the authenticator (lost phone): the next login enrols a new one with the
    one-time code returned here."""
    TOTPDevice.objects.filter(user=user).delete()
    logout_everywhere(user)
    _log_account_action(user, by, "Verifica in due passaggi azzerata")
    return new_enrolment_code(user)


@transaction.atomic
def unlock(*, user: User, by: User | None = None) -> None:
    """Lift a lockout caused by failed logins."""
    from axes.utils import reset

    reset(username=user.username)
    _log_account_action(user, by, "Accesso sbloccato dopo i tentativi falliti")


UNUSED_ACCOUNT_DAYS = 90
ACCESS_REVIEW = "Revisione periodica degli accessi"


@transaction.atomic
def disable_unused_accounts(*, now=None) -> list[User]:
    """Disable staff accounts not used for 90 days (never used: 90 days after creation),
    closing their sessions; each in the audit log. An administrator enables them again."""
    from django.db.models import Q
    from django.utils import timezone

    cutoff = (now or timezone.now()) - timedelta(days=UNUSED_ACCOUNT_DAYS)
    unused = list(
        User.objects.filter(is_active=True).filter(
            Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
        )
    )
    for user in unused:
        user.is_active = False
        user.session_epoch += 1
        user.save(update_fields=["is_active", "session_epoch"])
        _log_account_action(user, None, f"Disattivato: non usato da {UNUSED_ACCOUNT_DAYS} giorni")
    return unused


def record_access_review(*, by: User) -> None:
    """An administrator reviewed who has access and with which role (every quarter)."""
    _log_account_action(by, by, ACCESS_REVIEW)


def last_access_review():
    from auditlog.models import LogEntry

    return LogEntry.objects.filter(changes_text=ACCESS_REVIEW).order_by("-timestamp").first()

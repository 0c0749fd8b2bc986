"""Approdo settings: one module, configured from the environment.

Defaults suit the demo on a laptop; APPRODO_PRODUCTION=1 turns on the
settings that `manage.py check --deploy` asks for.
"""

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

import aiohttp
import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from approdo.embedded_db import data_dir


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()
DOCUMENTS_DIR = DATA_DIR / "documents"
EXPORTS_DIR = DATA_DIR / "exports"
ASSETS_DIR = Path(os.environ.get("APPRODO_ASSETS_DIR", BASE_DIR / "node_modules"))

PRODUCTION = env_bool("APPRODO_PRODUCTION")
DEBUG = env_bool("APPRODO_DEBUG")


def _secret_key() -> str:
    if key := os.environ.get("APPRODO_SECRET_KEY"):
        return key
    if PRODUCTION:
        raise RuntimeError("APPRODO_SECRET_KEY must be set in production.")
    # Demo and development: a random key kept in the data folder.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("APPRODO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("APPRODO_CSRF_TRUSTED_ORIGINS", "")

PROGRAMME_NAME = os.environ.get("APPRODO_PROGRAMME_NAME", "Insieme per il lavoro")
PROGRAMME_LOGO = os.environ.get("APPRODO_PROGRAMME_LOGO", "")
# Online registrations: at most so many from one address per hour, and from everyone per
# ten minutes (a programme registers 1,000-1,500 people a year).
PORTAL_LIMIT_PER_ADDRESS = int(os.environ.get("APPRODO_PORTAL_LIMIT_PER_ADDRESS", "5"))
PORTAL_LIMIT_OVERALL = int(os.environ.get("APPRODO_PORTAL_LIMIT_OVERALL", "60"))
# How people reach the programme: at the foot of every e-mail; replies go to the address.
PROGRAMME_PHONE = os.environ.get("APPRODO_PROGRAMME_PHONE", "")
PROGRAMME_ADDRESS = os.environ.get("APPRODO_PROGRAMME_ADDRESS", "")
PROGRAMME_EMAIL = os.environ.get("APPRODO_PROGRAMME_EMAIL", "")
PUBLIC_BASE_URL = os.environ.get("APPRODO_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# Public holidays close the agendas: the national ones and the patron saint of this
# province (ISTAT two-letter code; empty for national holidays only).
HOLIDAYS_PROVINCE = os.environ.get("APPRODO_HOLIDAYS_PROVINCE", "BO")
# The programme promises a first interview within this many days of registration.
FIRST_INTERVIEW_PROMISE_DAYS = int(os.environ.get("APPRODO_FIRST_INTERVIEW_DAYS", "15"))
# The IPS service: how many paths it runs at once (its target) and, per the model, how
# many people one specialist follows at most.
IPS_ACTIVE_TARGET = int(os.environ.get("APPRODO_IPS_ACTIVE_TARGET", "40"))
IPS_CASELOAD_LIMIT = int(os.environ.get("APPRODO_IPS_CASELOAD_LIMIT", "20"))
# Unusual volumes raise an alert to the administrators: more than so many files or
# documents read by one user within so many minutes, an export of so many rows or more.
READ_ALERT_COUNT = int(os.environ.get("APPRODO_READ_ALERT_COUNT", "80"))
READ_ALERT_MINUTES = int(os.environ.get("APPRODO_READ_ALERT_MINUTES", "10"))
EXPORT_ALERT_ROWS = int(os.environ.get("APPRODO_EXPORT_ALERT_ROWS", "2000"))
# Personal data are anonymised after so many years without activity (privacy notice).
RETENTION_YEARS = int(os.environ.get("APPRODO_RETENTION_YEARS", "10"))
# Where clamd listens ("/run/clamav/clamd.ctl" or "host:port"); empty: uploads not scanned.
CLAMD_ADDRESS = os.environ.get("APPRODO_CLAMD_ADDRESS", "")
CLAMD_RETRY_SECONDS = int(os.environ.get("APPRODO_CLAMD_RETRY_SECONDS", "60"))
PRIVACY_NOTICE_VERSION = os.environ.get("APPRODO_PRIVACY_NOTICE_VERSION", "2026-01")
DEMO_MAILBOX_DIR = os.environ.get("APPRODO_DEMO_MAILBOX_DIR", "")
# Set by `approdo demo` for its processes: the login page then shows the demo's logins.
DEMO_PASSWORD = os.environ.get("APPRODO_DEMO_PASSWORD", "") if not PRODUCTION else ""

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "approdo.core",
    "approdo.places",
    "approdo.accounts",
    "approdo.audit",
    "approdo.people",
    "approdo.portal",
    "approdo.intake",
    "approdo.comms",
    "approdo.exports",
    "approdo.demo",
    "approdo.ui",
    "approdo.occupations",
    "approdo.companies",
    "approdo.partners",
    "approdo.vacancies",
    "approdo.matching",
    "approdo.placements",
    "approdo.training",
    "approdo.projects",
    "approdo.mailings",
    "approdo.surveys",
    "approdo.events",
    "approdo.jobfair",
    "approdo.area",
    "spid_cie_oidc.entity",
    "spid_cie_oidc.relying_party",
    "approdo.casework",
    "approdo.reports",
    "approdo.legacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "approdo.core.middleware.SecurityHeadersMiddleware",
    "approdo.core.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "approdo.core.middleware.RejectNullCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Before the CSRF check: a form posted after the session expired goes to the login
    # page (which gives the input back), not to a CSRF error.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "approdo.accounts.middleware.StaffAccessMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "approdo.people.middleware.BreakGlassMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "approdo.urls"
WSGI_APPLICATION = "approdo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "approdo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "approdo.accounts.context_processors.programme",
            ],
        },
    },
    {
        # Plain-text e-mails: nothing is HTML-escaped (D'Angelo, not D&#x27;Angelo).
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "approdo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]


def _database_url() -> str:
    # Set by the entry points (approdo.embedded_db.configure_database) or by the deployment.
    if url := os.environ.get("DATABASE_URL"):
        return url
    raise ImproperlyConfigured(
        "DATABASE_URL is not set: start Approdo with the `approdo` command (it starts the "
        "embedded PostgreSQL) or set DATABASE_URL to a PostgreSQL server."
    )


DATABASES = {"default": dj_database_url.parse(_database_url(), conn_max_age=60)}
DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
# A persistent connection is checked before reuse: after a database restart a process opens a
# new one instead of failing its next request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get(
    "APPRODO_TEST_DATABASE", "test_approdo"
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "approdo.accounts.validators.ItalianMinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id; passwords hashed before are rehashed at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 3600  # a reset link is good for an hour (and once)
LOGIN_REDIRECT_URL = "people:dashboard"

# Idle sessions expire after 30 minutes (every request extends them); however active, a
# session ends 10 hours after the login.
SESSION_COOKIE_AGE = int(os.environ.get("APPRODO_SESSION_SECONDS", 30 * 60))
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("APPRODO_SESSION_MAX_SECONDS", 10 * 3600))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "approdo.accounts.views.csrf_failure"
# The person's own area has its own sessions (approdo/area), apart from the staff's.
AREA_COOKIE_NAME = "__Host-area" if PRODUCTION else "approdo_area"

# SPID and CIE for the area (approdo/area/federation.py, README "SPID e CIE"): the
# federation's trust anchors and the identity providers offered, by entity ID, separated by
# spaces. With no provider the area offers the e-mail link only.
OIDCFED_TRUST_ANCHORS = os.environ.get("APPRODO_FEDERATION_TRUST_ANCHORS", "").split()
OIDCFED_DEFAULT_TRUST_ANCHOR = (OIDCFED_TRUST_ANCHORS or [""])[0]
OIDCFED_IDENTITY_PROVIDERS = {
    method: {
        provider: OIDCFED_DEFAULT_TRUST_ANCHOR for provider in os.environ.get(name, "").split()
    }
    for method, name in (("spid", "APPRODO_SPID_PROVIDERS"), ("cie", "APPRODO_CIE_PROVIDERS"))
}
# Names shown on the buttons, by entity ID (JSON); otherwise the provider's host name.
APPRODO_IDENTITY_PROVIDER_NAMES = json.loads(
    os.environ.get("APPRODO_IDENTITY_PROVIDER_NAMES", "{}")
)
APPRODO_ORGANISATION_NAME = os.environ.get("APPRODO_ORGANISATION_NAME", PROGRAMME_NAME)
APPRODO_FEDERATION_CONTACT = os.environ.get(
    "APPRODO_FEDERATION_CONTACT", PROGRAMME_EMAIL or "privacy@example.org"
)
# The package's calls to the federation: TLS verified, 10 seconds at most.
HTTPC_PARAMS = {
    "connection": {"ssl": True},
    "session": {"timeout": aiohttp.ClientTimeout(total=10)},
}

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
# A username from one address: a stranger elsewhere cannot lock an operator out (the
# per-address and per-username limits are in accounts/services.py).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Lockout is per user name: it cannot be dodged by changing cookies or browser, and a
# team behind one office IP address is not locked out by a single colleague's typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_VERBOSE = False

OTP_TOTP_ISSUER = PROGRAMME_NAME

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker silent for this long has vanished: its jobs go back to the queue.
# Mailings: messages per minute unless a mailing says otherwise (the mail relay's limit).
MAILING_RATE_PER_MINUTE = int(os.environ.get("APPRODO_MAILING_RATE", "600"))
WORKER_LEASE_SECONDS = int(os.environ.get("APPRODO_WORKER_LEASE_SECONDS", "60"))

LANGUAGE_CODE = "it"
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it, even when empty
STATICFILES_DIRS = [
    ("vendor/bootstrap-italia", ASSETS_DIR / "bootstrap-italia" / "dist"),
    ("vendor/chartjs", ASSETS_DIR / "chart.js" / "dist"),
]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded documents live outside the web root and are served only by an authorised view.
MAX_UPLOAD_BYTES = int(os.environ.get("APPRODO_MAX_UPLOAD_MB", "10")) * 1024 * 1024
# A whole request: the portal's two documents and its fields; the legacy import's ZIP.
MAX_REQUEST_BYTES = 2 * MAX_UPLOAD_BYTES + 1024 * 1024
LARGER_REQUESTS = {"/importazione/": 201 * 1024 * 1024}
# Below this much free space in the data folder, the system-health roles are warned.
MIN_FREE_DISK_BYTES = int(os.environ.get("APPRODO_MIN_FREE_DISK_MB", "1024")) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("APPRODO_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("APPRODO_EMAIL_PORT", "8025"))
EMAIL_HOST_USER = os.environ.get("APPRODO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("APPRODO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("APPRODO_EMAIL_USE_TLS")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("APPRODO_FROM_EMAIL", "Approdo <noreply@approdo.local>")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # "__Host-": sent only over HTTPS, to this host, for the whole site (no subdomain can
    # set or read them).
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env_bool("APPRODO_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("APPRODO_LOG_LEVEL", "WARNING")},
}

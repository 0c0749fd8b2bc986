"""Settings of the local test federation (trust anchor + identity provider).

Run by `approdo.spid_testbed.runner`, which passes the public address and the database in
the environment. Not a production identity provider: test users, no TLS, one process.
"""

import os

import aiohttp
import dj_database_url

BASE_URL = os.environ.get("APPRODO_SPID_TESTBED_URL", "http://127.0.0.1:8010").rstrip("/")
SECRET_KEY = os.environ.get("APPRODO_SPID_TESTBED_SECRET", "spid-testbed-not-a-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
APPEND_SLASH = False
ROOT_URLCONF = "approdo.spid_testbed.urls"
AUTH_USER_MODEL = "spid_cie_oidc_accounts.User"

INSTALLED_APPS = [
    "spid_cie_oidc.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "spid_cie_oidc.entity",
    "spid_cie_oidc.authority",
    "spid_cie_oidc.provider",
    "approdo.spid_testbed",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {"default": dj_database_url.parse(os.environ["APPRODO_SPID_TESTBED_DATABASE_URL"])}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "it"
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]

OIDCFED_DEFAULT_TRUST_ANCHOR = BASE_URL
OIDCFED_TRUST_ANCHORS = [BASE_URL]
OIDCFED_PROVIDER_PROFILE = "spid"
OIDCFED_REQUIRED_TRUST_MARKS: list[str] = []
HTTPC_PARAMS = {
    "connection": {"ssl": True},
    "session": {"timeout": aiohttp.ClientTimeout(total=10)},
}
LOGIN_URL = "/oidc/op/authorization"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"spid_cie_oidc": {"handlers": ["console"], "level": "WARNING"}},
}

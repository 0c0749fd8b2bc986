"""Start the local test federation in its own process and database, for the demo and the
browser tests. The federation trusts the relying party described in `relying_party_file`
(written by `approdo spid_entity --public-out`) and knows the test people given."""

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import psycopg
from psycopg import sql

SETTINGS = "approdo.spid_testbed.settings"
STARTUP_SECONDS = 30
PROVIDER_NAME = "Identity provider di prova"


@dataclass(frozen=True)
class TestIdentity:
    """Someone the test identity provider can log in, with the fiscal code it returns."""

    __test__ = False  # not a test class, whatever pytest guesses from the name
    username: str
    password: str
    fiscal_code: str
    given_name: str
    family_name: str
    email: str


@dataclass
class Testbed:
    url: str
    process: subprocess.Popen

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def testbed_environment(port: int) -> dict[str, str]:
    """The settings that make Approdo offer the test provider on `port` (approdo/settings.py)."""
    anchor = f"http://127.0.0.1:{port}"
    provider = f"{anchor}/oidc/op"
    return {
        "APPRODO_FEDERATION_TRUST_ANCHORS": anchor,
        "APPRODO_SPID_PROVIDERS": provider,
        "APPRODO_IDENTITY_PROVIDER_NAMES": json.dumps({provider: PROVIDER_NAME}),
    }


def with_database(database_url: str, name: str) -> str:
    """The same server, another database (the URL may name a socket folder, as the embedded
    server's does: only the database name changes)."""
    return urlunsplit(urlsplit(database_url)._replace(path=f"/{name}"))


def testbed_database_url(database_url: str) -> str:
    """A database of its own beside Approdo's, on the same server."""
    return with_database(
        database_url, f"{dj_database_url.parse(database_url)['NAME']}_spid_testbed"
    )


def _create_database(url: str) -> None:
    name = dj_database_url.parse(url)["NAME"]
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def start(
    *,
    port: int,
    database_url: str,
    relying_party_file: Path,
    identities: list[TestIdentity],
    log_file=None,
) -> Testbed:
    url = f"http://127.0.0.1:{port}"
    own_database = testbed_database_url(database_url)
    _create_database(own_database)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "APPRODO_SPID_TESTBED_URL": url,
        "APPRODO_SPID_TESTBED_DATABASE_URL": own_database,
    }
    django = [sys.executable, "-m", "django"]
    subprocess.run([*django, "migrate", "--noinput", "-v0"], env=env, check=True)
    # A fresh federation each time: new keys, no entity of an earlier start on another port.
    subprocess.run([*django, "flush", "--noinput"], env=env, check=True)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as people_file:
        json.dump([asdict(identity) for identity in identities], people_file)
    try:
        subprocess.run(
            [
                *django,
                "testbed_setup",
                "--relying-party",
                str(relying_party_file),
                "--users",
                people_file.name,
            ],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    finally:
        os.unlink(people_file.name)
    process = subprocess.Popen(
        [*django, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=log_file or subprocess.DEVNULL,
        stderr=log_file or subprocess.DEVNULL,
    )
    testbed = Testbed(url=url, process=process)
    _wait_until_up(testbed)
    return testbed


def _wait_until_up(testbed: Testbed) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    address = f"{testbed.url}/.well-known/openid-federation"
    while time.monotonic() < deadline:
        if testbed.process.poll() is not None:
            raise RuntimeError("La federazione SPID/CIE di prova non è partita.")
        try:
            with urllib.request.urlopen(address, timeout=2):  # noqa: S310 (local address)
                return
        except (URLError, OSError):
            time.sleep(0.2)
    testbed.stop()
    raise RuntimeError(f"La federazione SPID/CIE di prova non risponde su {testbed.url}.")

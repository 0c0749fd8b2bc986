"""Uploads scanned by ClamAV's daemon (clamd), over its INSTREAM protocol.

A file waits in quarantine until clamd says it is clean; when clamd cannot be reached it
keeps waiting (and is scanned again later), it never passes unscanned.
"""

import socket
import struct
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import models

CHUNK = 64 * 1024
TIMEOUT_SECONDS = 60


class ScanStatus(models.TextChoices):
    NOT_CONFIGURED = "non analizzato", "Non analizzato (antivirus non configurato)"
    QUARANTINE = "in quarantena", "In quarantena, in attesa dell'antivirus"
    CLEAN = "pulito", "Controllato dall'antivirus"
    INFECTED = "infetto", "Infetto: file rimosso"


SERVABLE = (ScanStatus.NOT_CONFIGURED, ScanStatus.CLEAN)


class ScannedUpload(models.Model):
    """A stored upload the antivirus looks at (a document version, a portal document)."""

    scan_status = models.CharField(
        "antivirus", max_length=20, choices=ScanStatus.choices, default=ScanStatus.NOT_CONFIGURED
    )
    scan_signature = models.CharField("minaccia trovata", max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def servable(self) -> bool:
        """Clean, or stored when no scanner was configured; not in quarantine nor infected."""
        return self.scan_status in SERVABLE


class ScannerUnavailable(Exception):
    """clamd could not be reached or could not scan: try again later."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""


def scanning_enabled() -> bool:
    return bool(settings.CLAMD_ADDRESS)


def initial_status() -> str:
    """What a new upload starts as: in quarantine when a scanner is configured."""
    return ScanStatus.QUARANTINE if scanning_enabled() else ScanStatus.NOT_CONFIGURED


def _connect(address: str) -> socket.socket:
    if address.startswith("/"):
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target: str | tuple[str, int] = address
    else:
        host, _, port = address.rpartition(":")
        connection = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        target = (host, int(port))
    connection.settimeout(TIMEOUT_SECONDS)
    connection.connect(target)
    return connection


def scan_file(path: Path, *, address: str | None = None) -> ScanResult:
    """Stream the file to clamd and read its verdict."""
    address = address or settings.CLAMD_ADDRESS
    try:
        with _connect(address) as connection, open(path, "rb") as handle:
            connection.sendall(b"zINSTREAM\0")
            while chunk := handle.read(CHUNK):
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                received = connection.recv(4096)
                if not received:
                    break
                reply += received
    except OSError as error:
        raise ScannerUnavailable(f"clamd non raggiungibile ({address}): {error}") from error
    text = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    # "stream: OK", "stream: <signature> FOUND", or "... ERROR" (size limit, ...).
    verdict = text.partition(": ")[2]
    if verdict == "OK":
        return ScanResult(clean=True)
    if verdict.endswith(" FOUND"):
        return ScanResult(clean=False, signature=verdict.removesuffix(" FOUND"))
    raise ScannerUnavailable(
        f"clamd non ha potuto analizzare il file: {text or 'nessuna risposta'}"
    )

"""Files Approdo writes (documents, exports, reports): whole or not at all, and the disk's
free space watched."""

import errno
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

# What the kernel answers when a file cannot grow: the disk is full, the user's quota is
# used up, or a size limit is reached. For the person saving, all three are the same.
NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class DiskFull(OSError):
    """No room left for the file on the data disk; the message is for people."""

    def __init__(self):
        super().__init__(
            errno.ENOSPC,
            "Spazio su disco esaurito: il file non è stato salvato. Avvisi l'amministratore "
            "del sistema.",
        )

    def __str__(self) -> str:
        return self.strerror or ""


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed onto it when the block ends without error and
    removed otherwise: nobody ever reads a half-written file, and a failure leaves nothing."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
    try:
        yield part
        os.replace(part, target)
    except BaseException as error:
        part.unlink(missing_ok=True)
        if isinstance(error, OSError) and error.errno in NO_ROOM:
            raise DiskFull() from error
        raise


def free_space_warning() -> str:
    """An Italian warning when the data disk has less free space than configured, else ''."""
    try:
        free = shutil.disk_usage(settings.DATA_DIR).free
    except OSError:
        return ""
    if free >= settings.MIN_FREE_DISK_BYTES:
        return ""
    return (
        f"Spazio su disco quasi esaurito: restano {free // (1024 * 1024)} MB liberi nella "
        "cartella dei dati. Documenti ed esportazioni potrebbero non essere salvati."
    )


def stored_document_path(relative: str) -> Path:
    """The file of a stored upload (a document version, a portal document), refused if its
    recorded path would lead outside DOCUMENTS_DIR."""
    from django.core.exceptions import ValidationError

    path = (settings.DOCUMENTS_DIR / relative).resolve()
    if settings.DOCUMENTS_DIR.resolve() not in path.parents:
        raise ValidationError("Percorso del documento non valido.")
    return path

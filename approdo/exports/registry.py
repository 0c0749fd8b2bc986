"""The kinds of file the worker writes for a user: each app declares its own.

`exports` keeps the requests, runs the writers and serves the files; it knows no
kind by name. An app registers a FileKind in its `AppConfig.ready` (in a small
`exports.py`): its label, formats, the capability needed to ask for it and
download it, the function that writes it and, for filtered lists, the form that
reads the list's filters.
"""

from collections.abc import Callable
from dataclasses import dataclass

# (export, path) -> (rows written or None, the file's name for the download)
Writer = Callable[..., tuple[int | None, str]]


@dataclass(frozen=True)
class FileKind:
    slug: str
    label: str
    formats: tuple[str, ...]
    capability: str
    write: Writer
    # Filtered lists: the list's filter form; its `filters()` are stored with the request.
    filter_form: type | None = None
    # The file's page: its heading (export -> text; the label by default) and the way back
    # to the page it was asked from (export -> (link text, url)).
    heading: Callable | None = None
    back: Callable | None = None
    # A per-object rule on top of the capability: (user, filters) -> may they ask for it.
    allowed: Callable | None = None


_KINDS: dict[str, FileKind] = {}


def register_file_kind(kind: FileKind) -> FileKind:
    if kind.slug in _KINDS and _KINDS[kind.slug] != kind:
        raise ValueError(f"File kind {kind.slug!r} is registered twice.")
    _KINDS[kind.slug] = kind
    return kind


def file_kind(slug: str) -> FileKind | None:
    return _KINDS.get(slug)


def file_kinds() -> list[FileKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.label)

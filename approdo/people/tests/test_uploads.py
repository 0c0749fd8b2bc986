"""What an upload must be before it is kept, and what of it is kept."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from approdo.people.choices import DocumentKind
from approdo.people.services import document_path, store_document
from tests.documents import image_bytes
from tests.factories import PersonFactory


def _exif_with_author_and_place() -> bytes:
    exif = Image.Exif()
    exif[0x013B] = "Mario Rossi"  # Artist
    exif[0x8825] = {1: "N", 2: (44.0, 29.0, 38.0), 3: "E", 4: (11.0, 20.0, 33.0)}  # GPS
    return exif.tobytes()


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny file whose header announces a huge image (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


@pytest.mark.django_db
def test_a_photo_is_kept_without_its_metadata():
    photo = image_bytes("JPEG", size=(64, 48), exif=_exif_with_author_and_place())
    assert Image.open(io.BytesIO(photo)).getexif()  # the original has them
    version = store_document(
        person=PersonFactory(),
        kind=DocumentKind.IDENTITY,
        uploaded_file=SimpleUploadedFile("foto.jpg", photo, "image/jpeg"),
    )
    with Image.open(document_path(version)) as kept:
        assert kept.size == (64, 48)
        assert not kept.getexif()
        assert "exif" not in kept.info
    assert version.size == document_path(version).stat().st_size


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bomba.png", _png_claiming(50_000, 50_000), "troppo grande per un documento"),
        ("grande.png", _png_claiming(9_000, 8_000), "9000 × 8000 pixel"),
        ("finto.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n", "non è un PDF"),
        ("rotta.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "danneggiata"),
    ],
)
def test_bombs_broken_files_and_polyglots_are_refused(name, content, message):
    with pytest.raises(ValidationError, match=message):
        store_document(
            person=PersonFactory(),
            kind=DocumentKind.CV,
            uploaded_file=SimpleUploadedFile(name, content, "application/octet-stream"),
        )

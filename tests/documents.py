"""Real, small documents for tests: a PDF a reader opens, images Pillow decodes."""

import io

from PIL import Image
from pypdf import PdfWriter

# The test signature the antivirus of the tests knows (conftest.py's clamd): a file that
# carries it is "infected".
CLAMAV_TEST_SIGNATURE = "ApprodoClamavTestSignature5e1f0c"


def pdf_bytes(*, padding: int = 0, subject: str = "") -> bytes:
    """A one-page PDF; `padding` bytes of metadata make it as large as a test needs."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if padding:
        writer.add_metadata({"/Padding": "0" * padding})
    if subject:
        writer.add_metadata({"/Subject": subject})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(kind: str = "PNG", *, size=(40, 30), exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    picture = Image.new("RGB", size, (200, 120, 40))
    picture.save(out, kind, **({"exif": exif} if exif else {}))
    return out.getvalue()


PDF = pdf_bytes()
INFECTED_PDF = pdf_bytes(subject=CLAMAV_TEST_SIGNATURE)
PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")

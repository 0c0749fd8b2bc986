"""Checks on uploaded documents: real type by content, size, pixels, structure; images are
re-encoded so that nothing but the picture is kept (no EXIF author or GPS position)."""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

from approdo.core.antivirus import ScanStatus

# A scan or a phone photo: up to 50 megapixels (8,000 × 6,000 is 48). Beyond, it is not a
# document but a "decompression bomb" that would take gigabytes to open.
MAX_IMAGE_PIXELS = 50_000_000

# Magic numbers of the accepted formats; the browser's declared type is not trusted.
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


def sniff_upload(uploaded_file) -> tuple[str, str]:
    """Return (content type, extension) of an upload, or raise a ValidationError in Italian."""
    limit_mb = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
    if uploaded_file.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"Il file «{uploaded_file.name}» è troppo grande "
            f"({uploaded_file.size / 1024 / 1024:.1f} MB): il limite è {limit_mb} MB."
        )
    if uploaded_file.size == 0:
        raise ValidationError(f"Il file «{uploaded_file.name}» è vuoto.")
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            _check_structure(uploaded_file, content_type)
            return content_type, extension
    raise ValidationError(
        f"Il file «{uploaded_file.name}» non è un PDF, un JPEG o un PNG: "
        "carichi una scansione o una foto in uno di questi formati."
    )


def _check_structure(uploaded_file, content_type: str) -> None:
    """A PDF that a PDF reader can open; an image of a sensible number of pixels."""
    name = uploaded_file.name
    try:
        if content_type == "application/pdf":
            from pypdf import PdfReader
            from pypdf.errors import PdfReadError

            try:
                if not PdfReader(uploaded_file).pages:
                    raise ValidationError(f"Il PDF «{name}» non ha pagine.")
            except (PdfReadError, ValueError, KeyError, TypeError) as error:
                raise ValidationError(
                    f"Il file «{name}» non è un PDF leggibile: è danneggiato o contraffatto."
                ) from error
        else:
            try:
                with Image.open(uploaded_file) as image:
                    width, height = image.size
            except Image.DecompressionBombError as error:
                raise ValidationError(
                    f"L'immagine «{name}» è troppo grande per un documento (al massimo 50 "
                    "milioni di pixel)."
                ) from error
            except (UnidentifiedImageError, OSError) as error:
                raise ValidationError(f"L'immagine «{name}» è danneggiata.") from error
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    f"L'immagine «{name}» è di {width} × {height} pixel: troppo grande "
                    "per un documento (al massimo 50 milioni di pixel)."
                )
    finally:
        uploaded_file.seek(0)


def clean_image(uploaded_file, content_type: str) -> bytes:
    """The picture only, re-encoded: metadata (EXIF author, GPS, comments) and anything
    hidden after the image data are gone; the orientation is applied."""
    uploaded_file.seek(0)
    with Image.open(uploaded_file) as image:
        upright = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        if content_type == "image/jpeg":
            upright.convert("RGB").save(out, "JPEG", quality=90)
        else:
            upright.save(out, "PNG")
    uploaded_file.seek(0)
    return out.getvalue()


def unservable_message(upload) -> str:
    if upload.scan_status == ScanStatus.INFECTED:
        return (
            f"Il file «{upload.original_name}» conteneva un virus ({upload.scan_signature}) "
            "ed è stato rimosso: chieda alla persona di inviarne un altro."
        )
    return (
        f"Il file «{upload.original_name}» è in quarantena in attesa del controllo antivirus: "
        "riprovi tra qualche minuto."
    )

"""Checks on uploaded documents: real type by content, size limit."""

from django.conf import settings
from django.core.exceptions import ValidationError

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
            return content_type, extension
    raise ValidationError(
        f"Il file «{uploaded_file.name}» non è un PDF, un JPEG o un PNG: "
        "carichi una scansione o una foto in uno di questi formati."
    )

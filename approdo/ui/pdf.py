"""Printed documents (reports, registers, certificates) as tagged PDF."""

from django.conf import settings
from django.template.loader import render_to_string


def programme_fonts() -> list[tuple[int, str]]:
    """The programme's typeface from the local copy of Bootstrap Italia: nothing is fetched."""
    fonts = settings.ASSETS_DIR / "bootstrap-italia" / "dist" / "fonts" / "Titillium_Web"
    return [
        (weight, (fonts / f"titillium-web-v10-latin-ext_latin-{name}.ttf").as_uri())
        for weight, name in ((400, "regular"), (600, "600"), (700, "700"))
    ]


def render_pdf(template: str, context: dict) -> bytes:
    """`template` printed, with the programme's name and fonts in its context. PDF/UA:
    tagged (headings, tables, figures with their text), with language and title, so that a
    screen reader reads it as it reads the page."""
    from weasyprint import HTML

    html = render_to_string(
        template,
        {"programme_name": settings.PROGRAMME_NAME, "fonts": programme_fonts(), **context},
    )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")

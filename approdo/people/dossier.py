"""The person's whole file, for the right of access and portability (GDPR art. 15 and 20):
every personal field the records of processing list, in Italian, as JSON and as a readable
PDF, with every version of every document. Made by the worker (see exports.py)."""

import json
import zipfile
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from approdo.accounts.roles import VIEW_SENSITIVE_NOTES
from approdo.audit.processing import HEALTH, RECORDS
from approdo.core.antivirus import SERVABLE

from .models import DocumentVersion, Person
from .services import document_path

# Not about the person as such: staff accounts, company contacts.
OTHER_PEOPLE = {"accounts.User", "companies.CompanyContact", "partners.PartnerContact"}
# Held for the seconds of a login, or a day for the ranking's pool to catch up, and
# saying nothing about the person: nothing of it to hand over.
TRANSIENT = {"spid_cie_oidc_relying_party.OidcAuthenticationToken", "matching.PoolChange"}
# How the rows of a table reach the person.
PATHS = {
    "people.DocumentVersion": "document__person",
    "portal.PendingDocument": "registration__person",
    "comms.OutboundDocument": "version__document__person",
    "placements.StipendPayment": "placement__person",
    "training.PathPhaseChange": "path__person",
    "training.EmployerContact": "path__person",
    "training.Attendance": "participation__person",
    "projects.ProjectStateChange": "project__person",
    "projects.ProjectMeeting": "project__person",
}


def _readable(row, name: str) -> str:
    field = row._meta.get_field(name)
    value = getattr(row, name)
    if field.choices and not isinstance(value, list):
        return str(getattr(row, f"get_{name}_display")())
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "sì" if value else "no"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def person_dossier(person: Person, *, include_health: bool) -> list[dict]:
    """One section per table: its purpose, legal basis, retention, and the person's rows."""
    sections = []
    for record in RECORDS:
        if record.table in OTHER_PEOPLE | TRANSIENT:
            continue
        model = record.model
        if model is Person:
            rows = [person]
        else:
            rows = list(model.objects.filter(**{PATHS.get(record.table, "person"): person}))
        names = [
            name
            for category, names in record.categories.items()
            if include_health or category != HEALTH
            for name in names
        ]
        if not rows or not names:
            continue
        sections.append(
            {
                "title": str(model._meta.verbose_name_plural).capitalize(),
                "purpose": record.purpose,
                "basis": record.basis,
                "retention": record.retention,
                "rows": [
                    {
                        str(model._meta.get_field(name).verbose_name): _readable(row, name)
                        for name in names
                    }
                    for row in rows
                ],
            }
        )
    return sections


def write_dossier(export, path: Path) -> tuple[None, str]:
    person = Person.objects.get(pk=export.filters["person"])
    include_health = export.requested_by.can(VIEW_SENSITIVE_NOTES)
    return None, write_person_dossier(person, path, include_health=include_health)


def write_person_dossier(person: Person, path: Path, *, include_health: bool) -> str:
    """Write the archive (JSON, PDF, documents) at `path`; returns its file name."""
    from weasyprint import HTML

    sections = person_dossier(person, include_health=include_health)
    made_on = timezone.localdate()
    context = {
        "person": person,
        "sections": sections,
        "made_on": made_on,
        "programme_name": settings.PROGRAMME_NAME,
        "health_left_out": not include_health,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "dati.json",
            json.dumps(
                {"persona": str(person), "preparato il": made_on.isoformat(), "dati": sections},
                ensure_ascii=False,
                indent=2,
            ),
        )
        html = render_to_string("people/dossier_pdf.html", context)
        archive.writestr("scheda.pdf", HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))
        for version in DocumentVersion.objects.filter(
            document__person=person, scan_status__in=SERVABLE
        ).select_related("document"):
            extension = Path(version.storage_path).suffix
            archive.write(
                document_path(version),
                f"documenti/{version.document.kind}-versione-{version.number}{extension}",
            )
    return f"fascicolo-{person.pk}-{made_on:%Y%m%d}.zip"

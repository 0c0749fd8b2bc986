"""The companies list as a file made by the worker (see approdo/exports/registry.py)."""

from django.urls import reverse

from approdo.accounts.roles import EXPORT_PEOPLE
from approdo.exports.registry import FileKind, register_file_kind
from approdo.exports.services import LIST_FORMATS, list_writer

from .forms import CompanyFilterForm
from .selectors import filter_companies

COMPANY_COLUMNS = (
    ("ID", lambda c: c.pk),
    ("Ragione sociale", lambda c: c.name),
    ("Partita IVA", lambda c: c.vat_number or ""),
    ("Codice fiscale", lambda c: c.fiscal_code),
    ("Famiglia privata", lambda c: "sì" if c.is_private_family else "no"),
    ("Codice ATECO", lambda c: c.ateco_code),
    ("Sezione ATECO", lambda c: c.sector),
    ("Comune", lambda c: c.comune.name if c.comune else ""),
    ("Primo contatto", lambda c: c.first_contact_on),
    ("Nel Board", lambda c: "sì" if c.in_board else "no"),
    ("Richieste aperte", lambda c: c.open_requests),
    ("Inserimenti nell'anno", lambda c: c.placements_this_year),
)

register_file_kind(
    FileKind(
        slug="aziende",
        label="Elenco delle aziende",
        formats=LIST_FORMATS,
        capability=EXPORT_PEOPLE,
        write=list_writer(select=filter_companies, columns=COMPANY_COLUMNS, sheet_title="Aziende"),
        filter_form=CompanyFilterForm,
        back=lambda export: ("Torna all'elenco", reverse("companies:list")),
    )
)

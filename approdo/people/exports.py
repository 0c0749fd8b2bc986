"""The people list as a file made by the worker (see approdo/exports/registry.py)."""

from django.urls import reverse
from django.utils import timezone

from approdo.accounts.roles import EXPORT_PEOPLE
from approdo.exports.registry import FileKind, register_file_kind
from approdo.exports.services import LIST_FORMATS, list_writer
from approdo.places.geography import citizenship_area

from .dossier import write_dossier
from .forms import DossierForm, PersonFilterForm
from .permissions import visible_people
from .selectors import filter_people

PEOPLE_COLUMNS = (
    ("ID", lambda p: p.pk),
    ("Cognome", lambda p: p.last_name),
    ("Nome", lambda p: p.first_name),
    ("Codice fiscale", lambda p: p.fiscal_code or ""),
    ("Sesso", lambda p: p.sex),
    ("Data di nascita", lambda p: p.birth_date),
    ("Cittadinanza", lambda p: p.citizenship),
    ("Area cittadinanza", lambda p: citizenship_area(p.citizenship)),
    ("Comune di residenza", lambda p: p.residence_comune.name),
    ("E-mail", lambda p: p.email),
    ("Telefono", lambda p: p.phone),
    ("Data di iscrizione", lambda p: timezone.localtime(p.registered_at).date()),
    ("Canale", lambda p: p.get_channel_display()),
    ("Stato", lambda p: p.get_status_display()),
    ("Motivo fuori protocollo", lambda p: p.get_exit_reason_display()),
    ("Esito primo colloquio", lambda p: p.get_first_interview_outcome_display()),
    ("Valutazione", lambda p: p.get_readiness_display()),
    ("Giorni di attesa", lambda p: p.waiting.days),
    ("Patenti e attestati", lambda p: " ".join(p.licences)),
    ("Livello italiano", lambda p: p.italian_level),
)

register_file_kind(
    FileKind(
        slug="persone",
        label="Elenco delle persone",
        formats=LIST_FORMATS,
        capability=EXPORT_PEOPLE,
        write=list_writer(
            select=filter_people,
            columns=PEOPLE_COLUMNS,
            sheet_title="Persone",
            scoped=visible_people,
        ),
        filter_form=PersonFilterForm,
        back=lambda export: ("Torna all'elenco", reverse("people:list")),
    )
)


register_file_kind(
    FileKind(
        slug="fascicolo",
        label="Fascicolo completo di una persona (diritto di accesso)",
        formats=("zip",),
        capability=EXPORT_PEOPLE,
        write=write_dossier,
        filter_form=DossierForm,
        allowed=lambda user, filters: (
            visible_people(user).filter(pk=filters.get("person")).exists()
        ),
        back=lambda export: (
            "Torna alla scheda",
            reverse("people:detail", args=[export.filters["person"]]),
        ),
    )
)

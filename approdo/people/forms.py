"""Forms of the person's file; the identity checks are shared with the portal."""

from django import forms
from django.conf import settings
from django.utils import timezone

from approdo.places.forms import ComuneField, country_choices
from approdo.places.geography import CitizenshipArea, normalise
from approdo.places.models import Comune
from approdo.ui.forms import (
    CommaListField,
    ConcurrentEditMixin,
    ListFilterForm,
    OwnIdsMixin,
    size_limited_file_input,
)

from .choices import (
    ConsentPurpose,
    DocumentKind,
    ExitReason,
    Licence,
    Readiness,
    RightsRequestKind,
    RightsRequestStatus,
    Sex,
    Shift,
    Status,
)
from .consents import PURPOSES
from .identity import birth_date_problems, decode_fiscal_code, identity_mismatches
from .models import CurriculumText, Person, WorkExperience
from .selectors import PERSON_ORDERS
from .services import MAX_CV_TEXT, PERSON_FIELDS


class IdentityFields(forms.Form):
    """Who the person is and where they live, as the desk and the portal ask it; the fiscal
    code is decoded and cross-checked, the birth date rules applied, derived fields filled."""

    sex = forms.ChoiceField(
        label="Sesso",
        required=False,
        choices=[("", "—"), *Sex.choices],
        help_text="Obbligatorio se non ha il codice fiscale.",
        widget=forms.Select(attrs={"autocomplete": "sex"}),
    )
    birth_country = forms.ChoiceField(
        label="Stato di nascita", choices=country_choices, required=False
    )
    citizenship = forms.ChoiceField(label="Cittadinanza", choices=country_choices)
    residence_comune = ComuneField(label="Comune di residenza")
    domicile_comune = ComuneField(label="Comune di domicilio, se diverso", required=False)

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        raw_code = cleaned.get("fiscal_code") or ""
        if raw_code:
            try:
                decoded = decode_fiscal_code(raw_code)
            except ValueError as error:
                self.add_error("fiscal_code", str(error))
                return cleaned
            for field, message in identity_mismatches(
                decoded, birth_date=cleaned.get("birth_date"), sex=cleaned.get("sex")
            ).items():
                self.add_error(field, message)
            cleaned["fiscal_code"] = decoded.code
            cleaned["birth_date"] = decoded.birth_date
            cleaned["sex"] = decoded.sex
            cleaned["birth_country"] = decoded.birth_country
            cleaned["birth_comune"] = (
                Comune.objects.filter(cadastral_code=decoded.birth_cadastral_code).first()
                if decoded.birth_cadastral_code
                else None
            )
        else:
            cleaned["fiscal_code"] = None
            if not cleaned.get("birth_date") and "birth_date" not in self.errors:
                self.add_error(
                    "birth_date", "Senza codice fiscale la data di nascita è obbligatoria."
                )
            if not cleaned.get("sex") and "sex" not in self.errors:
                self.add_error("sex", "Senza codice fiscale indichi il sesso.")
        if cleaned.get("birth_date"):
            for message in birth_date_problems(cleaned["birth_date"], today):
                self.add_error("fiscal_code" if raw_code else "birth_date", message)
        return cleaned


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WorkPreferenceFields(forms.Form):
    """What work the person looks for and can take, as they say it themselves (the portal,
    their area): the same questions with the same words."""

    licences = forms.MultipleChoiceField(
        label="Patenti e attestati",
        choices=Licence.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    desired_jobs = CommaListField(
        label="Che lavoro cerca?",
        required=False,
        help_text="Uno o più lavori, separati da virgole.",
    )
    weekly_hours = forms.IntegerField(
        label="Ore alla settimana che può lavorare", min_value=1, max_value=60, required=False
    )
    shifts = forms.MultipleChoiceField(
        label="Quando può lavorare",
        choices=Shift.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    own_transport = forms.BooleanField(label="Ho un mezzo proprio per spostarmi", required=False)


class PersonForm(ConcurrentEditMixin, IdentityFields, forms.ModelForm):
    """The registry data of a person, as operators edit it."""

    # The fiscal code gives the birth data (IdentityFields.clean).
    derived_fields = {"fiscal_code": ("birth_date", "sex", "birth_country", "birth_comune")}

    fiscal_code = forms.CharField(
        label="Codice fiscale",
        required=False,
        max_length=20,
        help_text="Se presente, data e luogo di nascita e sesso sono ricavati dal codice.",
    )
    birth_date = forms.DateField(label="Data di nascita", required=False, widget=_date_input())
    licences = forms.MultipleChoiceField(
        label="Patenti e attestati",
        choices=Licence.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    shifts = forms.MultipleChoiceField(
        label="Turni disponibili",
        choices=Shift.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    desired_jobs = CommaListField(
        label="Lavori desiderati", required=False, help_text="Separati da virgole."
    )
    desired_occupations = forms.ModelMultipleChoiceField(
        label="Professioni cercate (vocabolario)",
        required=False,
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    skills = CommaListField(label="Competenze", required=False, help_text="Separate da virgole.")
    cv_text = forms.CharField(
        label="Testo del curriculum",
        required=False,
        max_length=MAX_CV_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Si compila da solo caricando il CV in PDF; serve all'abbinamento.",
    )

    class Meta:
        model = Person
        # birth_comune is derived from the fiscal code, not typed.
        fields = [name for name in PERSON_FIELDS if name != "birth_comune"]

    def __init__(self, *args, user=None, **kwargs):
        from approdo.accounts.roles import VIEW_WHOLE_PROGRAMME
        from approdo.occupations.models import Occupation

        super().__init__(*args, **kwargs)
        # Who follows the person decides who reads the file: coordinators move people.
        if user is None or not user.can(VIEW_WHOLE_PROGRAMME):
            for name in ("team", "case_manager", "second_case_manager"):
                del self.fields[name]
        else:
            self.fields["team"].help_text = (
                "Il gruppo che segue la persona: i suoi operatori leggono la scheda. Vuoto: "
                "nella coda comune, la leggono tutti gli operatori."
            )
        self.fields["desired_occupations"].queryset = Occupation.objects.filter(active=True)
        if self.instance.pk:
            self.initial["desired_occupations"] = self.instance.desired_occupations
            curriculum = CurriculumText.objects.filter(person=self.instance).first()
            self.initial["cv_text"] = curriculum.text if curriculum else ""

    def clean(self):
        cleaned = super().clean()
        cleaned["birth_country"] = cleaned.get("birth_country") or "Italia"
        cleaned["desired_occupations"] = [o.pk for o in cleaned.get("desired_occupations") or []]
        cleaned["skills"] = [normalise(skill) for skill in cleaned.get("skills") or []]
        return cleaned

    def _post_clean(self):
        # Array of vocabulary ids, not model instances: set by the service from cleaned data.
        desired = self.cleaned_data.pop("desired_occupations", [])
        super()._post_clean()
        self.cleaned_data["desired_occupations"] = desired


CONSENT_FIELD_NAMES = tuple(f"consent_{code}" for code in PURPOSES)


class ConsentFieldsMixin(forms.Form):
    """One checkbox per purpose (people/consents.py), unticked: the person says yes to each."""

    def add_consent_fields(self, *, who: str) -> None:
        for name, purpose in zip(CONSENT_FIELD_NAMES, PURPOSES.values(), strict=True):
            self.fields[name] = forms.BooleanField(
                label=f"{who}: {purpose.label.lower()}",
                required=False,
                help_text=purpose.explanation,
            )

    def given_consents(self) -> list[str]:
        return consents_given(self.cleaned_data)


def consents_given(cleaned_data) -> list[str]:
    """The purposes ticked on a form with the consent fields."""
    return [
        code
        for code, name in zip(PURPOSES, CONSENT_FIELD_NAMES, strict=True)
        if cleaned_data.get(name)
    ]


class NewPersonForm(ConsentFieldsMixin, PersonForm):
    """Registration at the desk: the registry data and the consents the person gives."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_consent_fields(who="La persona acconsente")


class ConsentForm(OwnIdsMixin, forms.Form):
    """A consent given or withdrawn at the desk."""

    ids = "consenso"

    purpose = forms.ChoiceField(label="Finalità", choices=ConsentPurpose.choices)
    given = forms.TypedChoiceField(
        label="La persona",
        choices=[("1", "dà il consenso"), ("0", "revoca il consenso")],
        coerce=lambda value: value == "1",
    )


class StatusChangeForm(OwnIdsMixin, forms.Form):
    ids = "stato"

    to_status = forms.ChoiceField(
        label="Nuovo stato",
        choices=[
            (Status.IN_CARICO, "In carico (anche riammissione)"),
            (Status.FUORI_PROTOCOLLO, "Fuori protocollo"),
        ],
    )
    reason = forms.ChoiceField(
        label="Motivo (se fuori protocollo)",
        required=False,
        choices=[("", "—"), *ExitReason.choices],
    )
    note = forms.CharField(label="Nota", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to_status") == Status.FUORI_PROTOCOLLO and not cleaned.get("reason"):
            self.add_error("reason", "Indichi il motivo dell'uscita dal programma.")
        return cleaned


class ContactAttemptForm(OwnIdsMixin, forms.Form):
    ids = "tentativo"

    answered = forms.TypedChoiceField(
        label="Esito",
        coerce=lambda value: value == "si",
        choices=[("no", "Non ha risposto"), ("si", "Ha risposto")],
    )
    called_at = forms.DateTimeField(
        label="Data e ora",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Lasci vuoto per adesso.",
    )
    note = forms.CharField(label="Nota", required=False, max_length=300)


class DocumentUploadForm(OwnIdsMixin, forms.Form):
    ids = "documento"

    kind = forms.ChoiceField(label="Tipo di documento", choices=DocumentKind.choices)
    file = forms.FileField(
        label="File (PDF, JPEG o PNG)",
        help_text=f"Massimo {settings.MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
        widget=size_limited_file_input(settings.MAX_UPLOAD_BYTES),
    )


class DossierForm(forms.Form):
    """Whose whole file the worker prepares (exports' filter form)."""

    person = forms.IntegerField(min_value=1)

    def filters(self) -> dict:
        return {"person": self.cleaned_data["person"]} if self.is_valid() else {}


class RestrictionForm(OwnIdsMixin, forms.Form):
    ids = "limitazione"

    reason = forms.CharField(
        label="Motivo (la richiesta della persona)",
        required=False,
        max_length=300,
        help_text="Ad esempio: contesta l'esattezza dei dati, richiesta del 3/12.",
    )


class SensitiveNoteForm(OwnIdsMixin, forms.Form):
    ids = "nota"

    text = forms.CharField(label="Nota riservata", widget=forms.Textarea(attrs={"rows": 3}))


class PersonFilterForm(ListFilterForm):
    q = forms.CharField(label="Nome, cognome o codice fiscale", required=False)
    status = forms.ChoiceField(
        label="Stato", required=False, choices=[("", "Tutti"), *Status.choices]
    )
    outcome = forms.ChoiceField(
        label="Esito primo colloquio",
        required=False,
        choices=[("", "Tutti"), ("in target", "In target"), ("fuori target", "Non in target")],
    )
    readiness = forms.ChoiceField(
        label="Valutazione",
        required=False,
        choices=[
            ("", "Tutte"),
            ("pronto", "Pronto"),
            ("non pronto", "Non pronto"),
            ("profilo fragile", "Profilo fragile"),
        ],
    )
    comune = ComuneField(label="Comune di residenza", required=False)
    age_band = forms.ChoiceField(label="Fascia d'età", required=False)
    citizenship_area = forms.ChoiceField(
        label="Cittadinanza",
        required=False,
        choices=[("", "Tutte"), *CitizenshipArea.choices],
    )
    licences = forms.MultipleChoiceField(
        label="Patenti e attestati (tutti)",
        choices=Licence.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_waiting_days = forms.IntegerField(
        label="In attesa da almeno (giorni)", required=False, min_value=0, max_value=36_500
    )
    exit_reason = forms.ChoiceField(
        label="Motivo di uscita", required=False, choices=[("", "Tutti"), *ExitReason.choices]
    )
    exited_from = forms.DateField(
        label="Uscita/o dal", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    exited_to = forms.DateField(
        label="Uscita/o fino al", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    case_manager = forms.ModelChoiceField(
        label="Operatore di riferimento", required=False, queryset=None, empty_label="Tutti"
    )
    needs_review = forms.BooleanField(label="Solo schede da verificare", required=False)
    without_fiscal_code = forms.BooleanField(label="Solo senza codice fiscale", required=False)
    # Set by the sortable column headers; kept by the form so that filtering keeps it.
    ordine = forms.ChoiceField(
        required=False,
        widget=forms.HiddenInput,
        choices=[("", ""), *((key, key) for key in PERSON_ORDERS)],
    )

    def __init__(self, *args, **kwargs):
        from approdo.accounts.models import User

        from .choices import AgeBand

        super().__init__(*args, **kwargs)
        self.fields["age_band"].choices = [("", "Tutte"), *AgeBand.choices]
        self.fields["case_manager"].queryset = User.objects.filter(is_active=True).order_by(
            "last_name", "first_name"
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("exited_from"), data.get("exited_to")
        if start and end and start > end:
            self.add_error("exited_to", "Questa data viene prima di quella iniziale.")
        return data

    def filters(self) -> dict:
        data = super().filters()
        if data.get("case_manager") is not None:
            data["case_manager"] = data["case_manager"].pk
        if data:
            data["order"] = data.pop("ordine")
        return data


class SavedSearchForm(forms.Form):
    name = forms.CharField(label="Nome della ricerca", max_length=80)
    shared = forms.BooleanField(label="Condividi con il mio gruppo", required=False)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


class WorkExperienceForm(OwnIdsMixin, forms.ModelForm):
    ids = "esperienza"

    class Meta:
        model = WorkExperience
        fields = ["job_title", "employer", "started_on", "ended_on", "description"]
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ended_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        cleaned = super().clean()
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", "La fine dell'esperienza non può precedere l'inizio.")
        if started and started > timezone.localdate():
            self.add_error("started_on", "L'inizio dell'esperienza è nel futuro.")
        return cleaned


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Motivo dell'accesso",
        min_length=15,
        max_length=300,
        help_text="Ad esempio: la persona è allo sportello e chiede della sua candidatura.",
        error_messages={
            "required": "Indichi il motivo per cui apre questa scheda.",
            "min_length": "Descriva il motivo in almeno 15 caratteri.",
        },
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BreakGlassFilterForm(forms.Form):
    date_from = forms.DateField(label="Dal", required=False, widget=_date_input())
    date_to = forms.DateField(label="Al", required=False, widget=_date_input())


class RightsRequestForm(OwnIdsMixin, forms.Form):
    ids = "richiesta"

    kind = forms.ChoiceField(label="Diritto esercitato", choices=RightsRequestKind.choices)
    received_on = forms.DateField(label="Ricevuta il", widget=_date_input())
    detail = forms.CharField(
        label="Dettagli", required=False, max_length=500, help_text="Come è arrivata, cosa chiede."
    )


class RightsRequestCloseForm(OwnIdsMixin, forms.Form):
    ids = "chiusura"

    status = forms.ChoiceField(
        label="Esito",
        choices=[
            (RightsRequestStatus.EVASA, "Evasa"),
            (RightsRequestStatus.RESPINTA, "Respinta"),
        ],
    )
    outcome = forms.CharField(
        label="Come è stata evasa o perché è respinta", required=False, max_length=500
    )


class RightsRequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Stato",
        required=False,
        choices=[("", "Tutte"), *RightsRequestStatus.choices],
    )


class ReassessmentForm(OwnIdsMixin, forms.Form):
    ids = "valutazione"

    readiness = forms.ChoiceField(label="Nuova valutazione", choices=Readiness.choices)
    reason = forms.CharField(
        label="Perché",
        max_length=500,
        help_text="Ad esempio: completato il corso, ha ritrovato stabilità.",
    )

from django import forms
from django.conf import settings
from django.utils import timezone

from approdo.accounts.models import User
from approdo.accounts.roles import RUN_PROJECTS, roles_with
from approdo.partners.models import Partner, PartnerKind
from approdo.ui.forms import OwnIdsMixin, size_limited_file_input

from .models import (
    CallCriterion,
    Decision,
    FundMovementKind,
    FundSettings,
    GrantCall,
    GrantKind,
    MeetingKind,
    Payment,
    PaymentKind,
    ProjectCall,
    ProjectDocumentKind,
    ProjectKind,
    ProjectMeeting,
    ProjectState,
)

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}


def _date():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _today_field(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=_date(), initial=timezone.localdate, **kwargs)


def _money(label: str, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(label=label, **MONEY, **kwargs)


class ProjectForm(forms.Form):
    title = forms.CharField(label="Titolo del progetto", max_length=200)
    description = forms.CharField(
        label="Descrizione", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    organisation = forms.ModelChoiceField(
        label="Ente proponente",
        queryset=Partner.objects.all(),
        help_text="Una cooperativa sociale, un'associazione, un ente del terzo settore. Se "
        "manca, lo registri prima tra i partner.",
    )
    call = forms.ModelChoiceField(
        label="Bando", queryset=ProjectCall.objects.all(), required=False, empty_label="Nessuno"
    )
    submitted_on = _today_field("Data di candidatura")
    coach = forms.ModelChoiceField(
        label="Accompagnatore", queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, for_person: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = User.objects.filter(
            is_active=True, role__in=roles_with(RUN_PROJECTS)
        ).order_by("last_name", "first_name")
        if for_person:
            del self.fields["organisation"]
            del self.fields["call"]


class MoveForm(OwnIdsMixin, forms.Form):
    ids = "stato"
    to_state = forms.ChoiceField(label="Nuovo stato", choices=())
    on = _today_field("Data")
    reason = forms.CharField(
        label="Motivo",
        max_length=300,
        required=False,
        help_text="Obbligatorio per rifiuto, stand by e ritiro.",
    )

    def __init__(self, *args, states: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_state"].choices = [(s, ProjectState(s).label) for s in states]


class MeetingForm(OwnIdsMixin, forms.ModelForm):
    ids = "incontro"

    class Meta:
        model = ProjectMeeting
        fields = ["held_on", "kind", "notes"]
        widgets = {"held_on": _date(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = MeetingKind.choices


class DocumentForm(OwnIdsMixin, forms.Form):
    ids = "documento"
    kind = forms.ChoiceField(label="Tipo", choices=ProjectDocumentKind.choices)
    file = forms.FileField(
        label="File (PDF, JPEG o PNG)",
        widget=size_limited_file_input(settings.MAX_UPLOAD_BYTES),
    )


class PaymentForm(OwnIdsMixin, forms.ModelForm):
    ids = "erogazione"

    class Meta:
        model = Payment
        fields = ["kind", "amount", "due_on", "paid_on", "note"]
        widgets = {"due_on": _date(), "paid_on": _date()}
        help_texts = {"paid_on": "Vuota per una rata prevista, non ancora pagata."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            c for c in PaymentKind.choices if c[0] != PaymentKind.FINANZIAMENTO_GARANTITO
        ]


class LoanForm(OwnIdsMixin, forms.Form):
    ids = "finanziamento"
    amount = _money("Importo del finanziamento (euro)")
    guarantee = _money(
        "Garanzia del fondo (euro)", help_text="La parte del finanziamento che il fondo garantisce."
    )
    paid_on = _today_field("Data di erogazione")
    note = forms.CharField(label="Note (banca, durata)", max_length=200, required=False)


class PaidForm(OwnIdsMixin, forms.Form):
    ids = "pagata"
    paid_on = _today_field("Pagata il")


class PlacementLinkForm(OwnIdsMixin, forms.Form):
    ids = "inserimento"
    fiscal_code = forms.CharField(label="Codice fiscale della persona", max_length=16)
    start_on = forms.DateField(label="Inizio dell'inserimento", widget=_date())


class CommitteeForm(forms.Form):
    held_on = _today_field("Data della seduta")
    members = forms.CharField(
        label="Componenti presenti",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Uno per riga, con il ruolo (es. «Maria Rossi, Comune di Bologna»).",
    )
    notes = forms.CharField(
        label="Note al verbale", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = list(projects)
        for project in self.projects:
            self.fields[f"decisione_{project.pk}"] = forms.ChoiceField(
                label=f"Decisione su «{project.title}»",
                required=False,
                choices=[("", "Non esaminato"), *Decision.choices],
            )
            self.fields[f"importo_{project.pk}"] = _money(
                f"Importo approvato per «{project.title}» (euro)", required=False
            )
            self.fields[f"motivo_{project.pk}"] = forms.CharField(
                label=f"Motivazione per «{project.title}»", max_length=300, required=False
            )

    def project_fields(self) -> list[tuple]:
        """Each project with its three fields, for the page to group them."""
        return [
            (project, [self[f"{name}_{project.pk}"] for name in ("decisione", "importo", "motivo")])
            for project in self.projects
        ]

    def decisions(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "project": project,
                "decision": data[f"decisione_{project.pk}"],
                "amount": data[f"importo_{project.pk}"],
                "reason": data[f"motivo_{project.pk}"],
            }
            for project in self.projects
            if data.get(f"decisione_{project.pk}")
        ]


class CallForm(forms.ModelForm):
    class Meta:
        model = ProjectCall
        fields = ["title", "opens_on", "closes_on", "description"]
        widgets = {
            "opens_on": _date(),
            "closes_on": _date(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "La chiusura precede l'apertura.")
        return data


class CriterionForm(OwnIdsMixin, forms.ModelForm):
    ids = "criterio"

    class Meta:
        model = CallCriterion
        fields = ["name", "weight"]


class ScoreForm(OwnIdsMixin, forms.Form):
    ids = "punteggi"

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"criterio_{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.name} (peso {criterion.weight})", min_value=0, max_value=10
            )

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterio_{c.pk}"] for c in self.criteria}


class FundMovementForm(OwnIdsMixin, forms.Form):
    ids = "movimento"
    kind = forms.ChoiceField(label="Movimento", choices=FundMovementKind.choices)
    on = _today_field("Data")
    amount = _money("Importo (euro)")
    # A number, not a list: a region's fund backs thousands of loans.
    loan = forms.ModelChoiceField(
        label="Numero del finanziamento",
        queryset=Payment.objects.filter(kind=PaymentKind.FINANZIAMENTO_GARANTITO),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1}),
        help_text="Per garanzie, svincoli ed escussioni: il numero «n.» del finanziamento, "
        "nella tabella qui accanto o nella pagina del progetto.",
        error_messages={"invalid_choice": "Nessun finanziamento garantito ha questo numero."},
    )
    note = forms.CharField(label="Note", max_length=200, required=False)


class FundSettingsForm(OwnIdsMixin, forms.ModelForm):
    ids = "impostazioni"

    class Meta:
        model = FundSettings
        fields = ["bank", "warning_threshold"]


class GrantCallForm(forms.ModelForm):
    eligible_kinds = forms.MultipleChoiceField(
        label="Enti ammessi", choices=PartnerKind.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = GrantCall
        fields = [
            "kind",
            "title",
            "year",
            "opens_on",
            "deadline",
            "yearly_cap",
            "minimum_age",
            "eligible_kinds",
            "public",
            "description",
        ]
        widgets = {
            "opens_on": _date(),
            "deadline": _date(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        if data.get("kind") == GrantKind.OVER_55 and not data.get("minimum_age"):
            self.add_error("minimum_age", "Indichi l'età minima alla data dell'assunzione.")
        if data.get("deadline") and data.get("opens_on") and data["deadline"] < data["opens_on"]:
            self.add_error("deadline", "La scadenza precede l'apertura.")
        return data


class _ApplicationFields(forms.Form):
    """The fields of an application; those of the other kind of call are removed."""

    email = forms.EmailField(label="E-mail per le comunicazioni")
    amount_requested = _money("Importo richiesto (euro)")
    fiscal_code = forms.CharField(label="Codice fiscale della persona assunta", max_length=16)
    hired_on = forms.DateField(label="Data di assunzione", widget=_date())
    contract_end = forms.DateField(
        label="Fine del contratto",
        required=False,
        widget=_date(),
        help_text="Vuota per il tempo indeterminato.",
    )
    title = forms.CharField(label="Titolo del progetto", max_length=200)
    description = forms.CharField(
        label="Descrizione del progetto", widget=forms.Textarea(attrs={"rows": 4})
    )

    INCENTIVE_ONLY = ("fiscal_code", "hired_on", "contract_end")
    PROJECT_ONLY = ("title", "description")

    def __init__(self, *args, call: GrantCall, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.PROJECT_ONLY if call.kind == GrantKind.OVER_55 else self.INCENTIVE_ONLY:
            del self.fields[name]

    def application_fields(self) -> dict:
        names = [
            "email",
            "amount_requested",
            *(n for n in self.INCENTIVE_ONLY + self.PROJECT_ONLY if n in self.fields),
        ]
        return {name: self.cleaned_data[name] for name in names}


class ApplicationForm(_ApplicationFields):
    organisation = forms.ModelChoiceField(label="Ente", queryset=Partner.objects.all())
    submitted_on = _today_field("Data di presentazione")
    field_order = ["organisation", "submitted_on"]

    def __init__(self, *args, call: GrantCall, **kwargs):
        super().__init__(*args, call=call, **kwargs)
        self.fields["organisation"].queryset = Partner.objects.filter(kind__in=call.eligible_kinds)


class PublicApplicationForm(_ApplicationFields):
    organisation_name = forms.CharField(label="Denominazione dell'ente", max_length=200)
    organisation_fiscal_code = forms.CharField(
        label="Codice fiscale o partita IVA dell'ente", max_length=16, min_length=11
    )
    organisation_kind = forms.ChoiceField(label="Tipo di ente", choices=())
    document_1 = forms.FileField(
        label="Documento (PDF, JPEG o PNG)",
        required=False,
        widget=size_limited_file_input(settings.MAX_UPLOAD_BYTES),
    )
    document_2 = forms.FileField(
        label="Altro documento",
        required=False,
        widget=size_limited_file_input(settings.MAX_UPLOAD_BYTES),
    )
    privacy = forms.BooleanField(
        label="Ho letto l'informativa sul trattamento dei dati della domanda",
    )
    field_order = ["organisation_name", "organisation_fiscal_code", "organisation_kind"]

    def __init__(self, *args, call: GrantCall, **kwargs):
        super().__init__(*args, call=call, **kwargs)
        self.fields["organisation_kind"].choices = [
            (kind, PartnerKind(kind).label) for kind in call.eligible_kinds
        ]

    def organisation_data(self) -> dict:
        return {
            "name": self.cleaned_data["organisation_name"],
            "fiscal_code": self.cleaned_data["organisation_fiscal_code"],
            "kind": self.cleaned_data["organisation_kind"],
        }

    def documents(self) -> list:
        return [f for f in (self.cleaned_data["document_1"], self.cleaned_data["document_2"]) if f]


class DecisionForm(OwnIdsMixin, forms.Form):
    ids = "decisione"
    admit = forms.TypedChoiceField(
        label="Decisione",
        choices=[("1", "Ammessa"), ("0", "Non ammessa")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    amount = _money(
        "Importo concesso (euro)",
        required=False,
        help_text="Per l'incentivo over 55 lo calcola Approdo: il massimo annuo, in proporzione "
        "per i contratti più brevi di un anno.",
    )
    reason = forms.CharField(
        label="Motivazione", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProjectFilterForm(forms.Form):
    tipo = forms.ChoiceField(label="Tipo", required=False)
    stato = forms.ChoiceField(label="Stato", required=False)
    q = forms.CharField(label="Titolo, ente o cognome", required=False, max_length=100)

    def __init__(self, *args, counts: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tipo"].choices = [("", "Tutti"), *ProjectKind.choices]
        self.fields["stato"].choices = [
            ("", "Tutti"),
            *(
                (value, f"{label} ({counts.get(value, 0)})")
                for value, label in ProjectState.choices
            ),
        ]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"kind": data["tipo"], "state": data["stato"], "search": data["q"].strip()}

from django import forms

from approdo.companies.models import Company
from approdo.occupations.models import Occupation
from approdo.ui.forms import OwnIdsMixin, PlainFilterForm
from approdo.vacancies.models import Vacancy
from approdo.vacancies.terms import Contract, PlacementType

from .choices import EndReason
from .models import Placement, StageOutcome
from .services import PLACEMENT_FIELDS


def _date():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlacementForm(forms.ModelForm):
    company = forms.ModelChoiceField(label="Azienda", queryset=Company.objects.order_by("name"))
    vacancy = forms.ModelChoiceField(
        label="Richiesta di personale (se c'è)",
        required=False,
        queryset=Vacancy.objects.select_related("company"),
    )
    occupation = forms.ModelChoiceField(
        label="Professione", required=False, queryset=Occupation.objects.filter(active=True)
    )
    continues = forms.ModelChoiceField(
        label="Continua l'inserimento (rinnovo, proroga, trasformazione)",
        required=False,
        queryset=Placement.objects.none(),
    )
    readmit = forms.BooleanField(label="Riammetti la persona (è fuori protocollo)", required=False)
    move_out_as_working = forms.BooleanField(
        label="Tempo indeterminato: la persona esce dal programma come «lavora» (dal giorno "
        "di inizio)",
        required=False,
    )

    class Meta:
        model = Placement
        fields = ["company", "vacancy", "continues", *PLACEMENT_FIELDS]
        widgets = {"start_on": _date(), "end_on": _date()}

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["continues"].queryset = person.placements.select_related("company")

    def _post_clean(self):
        # The terms are checked by the service (with Italian messages) before writing.
        pass


class PlacementEditForm(forms.ModelForm):
    """A placement's terms corrected later (company and chain stay as recorded)."""

    occupation = forms.ModelChoiceField(
        label="Professione", required=False, queryset=Occupation.objects.filter(active=True)
    )

    class Meta:
        model = Placement
        fields = [name for name in PLACEMENT_FIELDS if name != "continuation"]
        widgets = {"start_on": _date(), "end_on": _date()}

    def _post_clean(self):
        # The terms are checked by the service (with Italian messages) before writing.
        pass


class EndEarlyForm(OwnIdsMixin, forms.Form):
    ids = "conclusione"

    ended_on = forms.DateField(label="Concluso il", widget=_date())
    reason = forms.ChoiceField(label="Motivo", choices=EndReason.choices)
    note = forms.CharField(label="Note", required=False, max_length=300)


class StageOutcomeForm(OwnIdsMixin, forms.Form):
    ids = "esito"

    outcome = forms.ChoiceField(label="Esito dello stage", choices=StageOutcome.choices)


class StipendForm(OwnIdsMixin, forms.Form):
    ids = "indennita"

    month = forms.DateField(
        label="Mese",
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": "Indichi il mese (per esempio 2026-11)."},
    )
    amount = forms.DecimalField(
        label="Importo pagato (€)", min_value=0, max_digits=7, decimal_places=2
    )
    during_suspension = forms.BooleanField(
        label="Mantenuta come sostegno al reddito durante una sospensione", required=False
    )
    note = forms.CharField(label="Note", required=False, max_length=300)


class PlacementFilterForm(PlainFilterForm):
    date_ranges = (("started_from", "started_to"),)

    q = forms.CharField(
        label="Persona, azienda o mansione",
        required=False,
        max_length=100,
        help_text="Nome o codice fiscale della persona, nome o partita IVA dell'azienda.",
    )
    placement_type = forms.ChoiceField(
        label="Tipologia", required=False, choices=[("", "Tutte"), *PlacementType.choices]
    )
    contract = forms.ChoiceField(
        label="Contratto", required=False, choices=[("", "Tutti"), *Contract.choices]
    )
    started_from = forms.DateField(label="Iniziati dal", required=False, widget=_date())
    started_to = forms.DateField(label="Iniziati fino al", required=False, widget=_date())
    stage_outcome = forms.ChoiceField(
        label="Esito dello stage", required=False, choices=[("", "Tutti"), *StageOutcome.choices]
    )
    end_reason = forms.ChoiceField(
        label="Motivo della conclusione anticipata",
        required=False,
        choices=[("", "Tutti"), *EndReason.choices],
    )
    ended_early = forms.BooleanField(label="Solo conclusi in anticipo", required=False)

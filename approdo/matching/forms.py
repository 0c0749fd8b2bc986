from django import forms

from approdo.companies.models import CompanyContact
from approdo.ui.forms import PlainFilterForm

from .models import CANDIDACY_WORKFLOW, CandidacyStage, MatchingWeights, RefusalReason


def _date():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RankingFileForm(forms.Form):
    """Which stored run the full ranking file is for (exports' filter form)."""

    run = forms.IntegerField(min_value=1)

    def filters(self) -> dict:
        return {"run": self.cleaned_data["run"]} if self.is_valid() else {}


class CandidacyFilterForm(PlainFilterForm):
    date_ranges = (("since", "until"),)

    q = forms.CharField(
        label="Persona, azienda o mansione",
        required=False,
        max_length=100,
        help_text="Nome o codice fiscale della persona, nome dell'azienda, mansione.",
    )
    stage = forms.ChoiceField(
        label="Fase", required=False, choices=[("", "Tutte"), *CandidacyStage.choices]
    )
    refusal = forms.ModelChoiceField(
        label="Motivo del rifiuto", required=False, queryset=RefusalReason.objects.all()
    )
    since = forms.DateField(label="In selezione dal", required=False, widget=_date())
    until = forms.DateField(label="In selezione fino al", required=False, widget=_date())
    open_requests = forms.BooleanField(label="Solo richieste aperte", required=False)


class ShortlistForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    override_reason = forms.CharField(
        label="Motivo (se si scosta dalla classifica)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AdvanceForm(forms.Form):
    stage = forms.ChoiceField(label="Fase successiva")
    refusal = forms.TypedChoiceField(
        label="Motivo del rifiuto", required=False, coerce=int, empty_value=None
    )
    refusal_reason = forms.CharField(
        label="Commento sul rifiuto (facoltativo)", required=False, max_length=200
    )
    interview_on = forms.DateField(
        label="Data del colloquio in azienda",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(label="Nota", required=False, max_length=300)

    def __init__(self, *args, candidacy, reasons=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A hire is recorded with its placement, not by moving the stage here.
        self.fields["stage"].choices = [
            (stage, CandidacyStage(stage).label)
            for stage in CANDIDACY_WORKFLOW.next_states(candidacy.stage)
            if stage != CandidacyStage.HIRED
        ]
        self.fields["refusal"].choices = [("", "—"), *refusal_choices(reasons)]

    def clean_refusal(self):
        chosen = self.cleaned_data["refusal"]
        if chosen is None:
            return None
        reason = RefusalReason.objects.filter(pk=chosen, active=True).first()
        if reason is None:
            raise forms.ValidationError("Scelga un motivo dall'elenco.")
        return reason


def refusal_choices(reasons=None) -> list:
    """The active reasons grouped by who refused, for a select with groups."""
    reasons = reasons if reasons is not None else RefusalReason.objects.filter(active=True)
    groups: dict[str, list] = {}
    for reason in reasons:
        groups.setdefault(reason.get_side_display(), []).append((reason.pk, reason.label))
    return list(groups.items())


class RefusalReasonForm(forms.ModelForm):
    class Meta:
        model = RefusalReason
        fields = ["side", "label", "active"]


class WeightsForm(forms.ModelForm):
    class Meta:
        model = MatchingWeights
        fields = list(MatchingWeights.CRITERIA)


class BatchAdvanceForm(forms.Form):
    """The same next stage for several people in a selection."""

    candidacies = forms.TypedMultipleChoiceField(label="Persone", coerce=int, choices=[])
    stage = forms.ChoiceField(label="Porta le persone scelte alla fase")
    refusal = forms.TypedChoiceField(
        label="Motivo del rifiuto (se rifiutano o non sono scelte)",
        required=False,
        coerce=int,
        empty_value=None,
    )
    interview_on = forms.DateField(
        label="Data del colloquio in azienda (se la fase è il colloquio)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    contact = forms.ModelChoiceField(
        label="Invia i curriculum per e-mail a (con la fase «CV inviato all'azienda»)",
        required=False,
        queryset=CompanyContact.objects.none(),
        empty_label="Nessuno: li consegno io",
        help_text="Un'unica e-mail al referente con i curriculum in allegato.",
    )
    message = forms.CharField(
        label="Messaggio per l'azienda (facoltativo)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, candidacies=(), reasons=None, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        if company is None:
            del self.fields["contact"], self.fields["message"]
        else:
            self.fields["contact"].queryset = company.contacts.exclude(email="")
        self.fields["candidacies"].choices = [(c.pk, str(c.person)) for c in candidacies]
        self.fields["candidacies"].error_messages["required"] = "Scelga almeno una persona."
        self.fields["stage"].choices = [
            (stage, label)
            for stage, label in CandidacyStage.choices
            if stage not in (CandidacyStage.SHORTLISTED, CandidacyStage.HIRED)
        ]
        self.fields["refusal"].choices = [("", "—"), *refusal_choices(reasons)]

    clean_refusal = AdvanceForm.clean_refusal

    def clean(self):
        data = super().clean()
        if data.get("contact") and data.get("stage") != CandidacyStage.CV_SENT:
            self.add_error(
                "contact", "I curriculum si inviano solo con la fase «CV inviato all'azienda»."
            )
        return data

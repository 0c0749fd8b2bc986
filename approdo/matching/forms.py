from django import forms

from .models import CANDIDACY_WORKFLOW, CandidacyStage, MatchingWeights


class RankingFileForm(forms.Form):
    """Which stored run the full ranking file is for (exports' filter form)."""

    run = forms.IntegerField(min_value=1)

    def filters(self) -> dict:
        return {"run": self.cleaned_data["run"]} if self.is_valid() else {}


class ShortlistForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    override_reason = forms.CharField(
        label="Motivo (se si scosta dalla classifica)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AdvanceForm(forms.Form):
    stage = forms.ChoiceField(label="Fase successiva")
    refusal_reason = forms.CharField(label="Motivo del rifiuto", required=False, max_length=200)
    interview_on = forms.DateField(
        label="Data del colloquio in azienda",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(label="Nota", required=False, max_length=300)

    def __init__(self, *args, candidacy, **kwargs):
        super().__init__(*args, **kwargs)
        # A hire is recorded with its placement, not by moving the stage here.
        self.fields["stage"].choices = [
            (stage, CandidacyStage(stage).label)
            for stage in CANDIDACY_WORKFLOW.next_states(candidacy.stage)
            if stage != CandidacyStage.HIRED
        ]


class WeightsForm(forms.ModelForm):
    class Meta:
        model = MatchingWeights
        fields = list(MatchingWeights.CRITERIA)

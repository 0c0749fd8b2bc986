from django import forms

from .models import MatchingWeights
from .services import NEXT_STAGES


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
        allowed = NEXT_STAGES.get(candidacy.stage, set())
        self.fields["stage"].choices = [
            (value, label)
            for value, label in candidacy._meta.get_field("stage").choices
            if value in allowed and value != "assunto"
        ]


class WeightsForm(forms.ModelForm):
    class Meta:
        model = MatchingWeights
        fields = list(MatchingWeights.CRITERIA)

from django import forms
from django.utils import timezone

from approdo.people.choices import FirstInterviewOutcome, Readiness

from .models import InterviewMode


class SlotsForm(forms.Form):
    day = forms.DateField(label="Giorno", widget=forms.DateInput(attrs={"type": "date"}))
    first_start = forms.TimeField(label="Dalle", widget=forms.TimeInput(attrs={"type": "time"}))
    last_end = forms.TimeField(label="Alle", widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(
        label="Durata di ogni colloquio (minuti)", initial=45, min_value=15, max_value=240
    )
    location = forms.CharField(label="Luogo", required=False, max_length=200)


class BookingForm(forms.Form):
    slot = forms.TypedChoiceField(label="Appuntamento libero", coerce=int)
    mode = forms.ChoiceField(label="Modalità", choices=InterviewMode.choices)

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [
            (slot.pk, f"{timezone.localtime(slot.starts_at):%d/%m/%Y %H:%M} – {slot.operator}")
            for slot in slots
        ]
        if not self.fields["slot"].choices:
            self.fields[
                "slot"
            ].help_text = "Nessun appuntamento libero: aprirne di nuovi in agenda."


class FollowUpForm(forms.Form):
    notes = forms.CharField(
        label="Com'è andato il colloquio",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Scriva com'è andato il colloquio."},
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Esito", choices=FirstInterviewOutcome.choices, widget=forms.RadioSelect
    )
    readiness = forms.ChoiceField(
        label="Valutazione (se in target)", required=False, choices=[("", "—"), *Readiness.choices]
    )
    notes = forms.CharField(
        label="Note del colloquio", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == FirstInterviewOutcome.IN_TARGET and not cleaned.get(
            "readiness"
        ):
            self.add_error(
                "readiness",
                "Per chi è in target indichi la valutazione: pronto, non pronto o profilo fragile.",
            )
        return cleaned

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from approdo.people.choices import FirstInterviewOutcome, Readiness

from .models import InterviewMode

WEEKDAYS = list(enumerate(["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"]))


class SlotsForm(forms.Form):
    day = forms.DateField(label="Giorno", widget=forms.DateInput(attrs={"type": "date"}))
    first_start = forms.TimeField(label="Dalle", widget=forms.TimeInput(attrs={"type": "time"}))
    last_end = forms.TimeField(label="Alle", widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(
        label="Durata di ogni colloquio (minuti)", initial=45, min_value=15, max_value=240
    )
    location = forms.CharField(label="Luogo", required=False, max_length=200)
    repeat_until = forms.DateField(
        label="Ripeti ogni settimana fino al",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Lasciare vuoto per un giorno solo. Festivi e chiusure sono saltati.",
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="Nei giorni",
        required=False,
        coerce=int,
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        help_text="Se si ripete; nessuno scelto: lo stesso giorno della settimana del primo.",
    )


class ClosureForm(forms.Form):
    starts_on = forms.DateField(label="Dal", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="Al", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label="Motivo", max_length=200, help_text="Per esempio: ferie, formazione, ufficio chiuso."
    )
    whole_programme = forms.BooleanField(
        label="Chiude le agende di tutto il programma", required=False
    )

    def __init__(self, *args, may_close_programme: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_close_programme:
            del self.fields["whole_programme"]


class BookingFilterForm(forms.Form):
    """Narrows the free slots offered for a booking to an operator and a day."""

    operator = forms.ModelChoiceField(
        label="Operatore", required=False, queryset=None, empty_label="Tutti"
    )
    day = forms.DateField(
        label="Giorno", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, operators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = operators

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {"operator": self.cleaned_data["operator"], "day": self.cleaned_data["day"]}


class BookingForm(forms.Form):
    slot = forms.TypedChoiceField(label="Appuntamento libero", coerce=int)
    mode = forms.ChoiceField(label="Modalità", choices=InterviewMode.choices)

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [
            (
                slot.pk,
                f"{date_format(timezone.localtime(slot.starts_at), 'D d/m/Y H:i')} "
                f"– {slot.operator}",
            )
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

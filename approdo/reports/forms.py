from datetime import date, timedelta

from django import forms
from django.utils import timezone

from approdo.people.choices import AgeBand, Sex
from approdo.places.forms import ComuneField
from approdo.places.geography import CitizenshipArea
from approdo.training.models import ProgrammePath

from .indicators import Scope

LONGEST_PERIOD_YEARS = 10


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """The dashboard's period and filters on the people (GET: the address can be shared)."""

    start = forms.DateField(label="Dal", widget=_date_input())
    end = forms.DateField(label="Al", widget=_date_input())
    comune = ComuneField(label="Comune di residenza", required=False)
    citizenship = forms.ChoiceField(
        label="Cittadinanza",
        required=False,
        choices=[("", "Tutte"), *CitizenshipArea.choices],
    )
    age_band = forms.ChoiceField(
        label="Fascia d'età",
        required=False,
        choices=[("", "Tutte"), *AgeBand.choices],
        help_text="Età all'ultimo giorno del periodo.",
    )
    sex = forms.ChoiceField(label="Sesso", required=False, choices=[("", "Tutti"), *Sex.choices])
    programme = forms.ChoiceField(
        label="Programma",
        required=False,
        choices=[("", "Tutti"), *ProgrammePath.Programme.choices],
    )

    @classmethod
    def from_query(cls, query) -> "PeriodForm":
        """Bound to the query string; without one, the current year up to today."""
        if "start" in query or "end" in query:
            return cls(query)
        today = timezone.localdate()
        return cls({"start": date(today.year, 1, 1).isoformat(), "end": today.isoformat()})

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "La fine del periodo precede l'inizio.")
            elif (end - start).days > 366 * LONGEST_PERIOD_YEARS:
                self.add_error(
                    "end", f"Il periodo può durare al massimo {LONGEST_PERIOD_YEARS} anni."
                )
        return cleaned

    def scope(self) -> Scope:
        data = self.cleaned_data
        comune = data.get("comune")
        return Scope(
            data["start"],
            data["end"],
            comune_id=comune.pk if comune else None,
            citizenship=data.get("citizenship", ""),
            age_band=data.get("age_band", ""),
            sex=data.get("sex", ""),
            programme=data.get("programme", ""),
        )


class FairnessPeriodForm(forms.Form):
    """The last N days of the fairness comparison."""

    DEFAULT_DAYS = 365

    giorni = forms.IntegerField(
        min_value=1,
        max_value=3660,
        error_messages={
            "invalid": "Il periodo è un numero di giorni, ad esempio 90.",
            "min_value": "Il periodo è di almeno un giorno.",
            "max_value": "Il periodo è al massimo di dieci anni (3660 giorni).",
        },
    )

    def period(self) -> tuple[date, date]:
        until = timezone.localdate()
        return until - timedelta(days=self.cleaned_data["giorni"]), until

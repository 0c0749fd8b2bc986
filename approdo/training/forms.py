from django import forms
from django.utils import timezone

from approdo.companies.models import Company
from approdo.ui.forms import OwnIdsMixin

from .models import EmployerContact, IPSPhase, PathEndReason
from .selectors import ips_specialists


def _date():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OpenPathForm(forms.Form):
    referred_by = forms.CharField(
        label="Servizio che invia la persona",
        max_length=200,
        help_text="Per esempio: Centro di salute mentale Bologna Est.",
    )
    referred_on = forms.DateField(label="Data dell'invio", widget=_date())
    referral_reason = forms.CharField(
        label="Motivo dell'invio", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    start_on = forms.DateField(label="Inizio del percorso", widget=_date())
    specialist = forms.ModelChoiceField(
        label="Specialista IPS che segue la persona", queryset=None, required=False
    )
    consent_given = forms.BooleanField(
        label="La persona ha dato il consenso al percorso IPS e al trattamento dei dati "
        "sulla salute che comporta",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialist"].queryset = ips_specialists()
        today = timezone.localdate()
        self.fields["referred_on"].initial = today
        self.fields["start_on"].initial = today


class PhaseForm(OwnIdsMixin, forms.Form):
    ids = "fase"
    phase = forms.ChoiceField(label="Nuova fase", choices=IPSPhase.choices)
    on = forms.DateField(label="Dal giorno", widget=_date())
    note = forms.CharField(
        label="Nota (obbligatoria per tornare a una fase precedente)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EmployerContactForm(OwnIdsMixin, forms.ModelForm):
    ids = "contatto"
    company = forms.ModelChoiceField(
        label="Azienda tra i partner", required=False, queryset=Company.objects.order_by("name")
    )

    class Meta:
        model = EmployerContact
        fields = ["company", "employer", "contacted_on", "kind", "outcome"]
        widgets = {"contacted_on": _date(), "outcome": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"employer": "Se l'azienda non è tra i partner, il suo nome."}


class ClosePathForm(OwnIdsMixin, forms.Form):
    ids = "chiusura"
    end_on = forms.DateField(label="Data di chiusura", widget=_date())
    reason = forms.ChoiceField(
        label="Motivo", choices=[("", "Scelga il motivo"), *PathEndReason.choices]
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CaseloadFilterForm(forms.Form):
    specialist = forms.ChoiceField(label="Specialista", required=False)
    phase = forms.ChoiceField(
        label="Fase", required=False, choices=[("", "Tutte"), *IPSPhase.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialist"].choices = [
            ("", "Tutti"),
            ("nessuno", "Senza specialista"),
            *((str(user.pk), user.get_full_name() or user.username) for user in ips_specialists()),
        ]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        chosen = self.cleaned_data["specialist"]
        specialist = None
        if chosen == "nessuno":
            specialist = False
        elif chosen:
            specialist = ips_specialists().get(pk=chosen)
        return {"specialist": specialist, "phase": self.cleaned_data["phase"]}

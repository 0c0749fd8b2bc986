from django import forms

from approdo.places.forms import ComuneField
from approdo.ui.forms import OwnIdsMixin

from .models import Agreement, Partner, PartnerContact, PartnerKind


def _date():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PartnerForm(forms.Form):
    name = forms.CharField(label="Nome", max_length=200)
    kind = forms.ChoiceField(label="Tipo", choices=PartnerKind.choices)
    fiscal_code = forms.CharField(
        label="Codice fiscale o partita IVA", max_length=16, required=False
    )
    email = forms.EmailField(
        label="E-mail",
        required=False,
        help_text="Riceve la conferma delle persone che il partner invia, se l'invio non "
        "indica un referente con un proprio indirizzo.",
    )
    phone = forms.CharField(label="Telefono", max_length=30, required=False)
    address = forms.CharField(label="Indirizzo", max_length=200, required=False)
    comune = ComuneField(label="Comune", required=False)
    notes = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PartnerFilterForm(forms.Form):
    q = forms.CharField(label="Nome", required=False)
    kind = forms.ChoiceField(label="Tipo", required=False, choices=[("", "Tutti")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Tutti"), *PartnerKind.choices]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {"search": self.cleaned_data["q"], "kind": self.cleaned_data["kind"]}


class ContactForm(OwnIdsMixin, forms.ModelForm):
    ids = "referente"

    class Meta:
        model = PartnerContact
        fields = ["name", "role", "email", "phone"]


class AgreementForm(OwnIdsMixin, forms.ModelForm):
    ids = "accordo"

    class Meta:
        model = Agreement
        fields = ["title", "start_on", "end_on", "programme_commits", "partner_commits"]
        widgets = {
            "start_on": _date(),
            "end_on": _date(),
            "programme_commits": forms.Textarea(attrs={"rows": 3}),
            "partner_commits": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        if data.get("start_on") and data.get("end_on") and data["end_on"] < data["start_on"]:
            self.add_error("end_on", "La fine dell'accordo precede il suo inizio.")
        return data


class ReferralForm(OwnIdsMixin, forms.Form):
    ids = "invio"
    partner = forms.ModelChoiceField(label="Partner che invia la persona", queryset=None)
    contact = forms.ModelChoiceField(
        label="Referente del partner",
        queryset=None,
        required=False,
        help_text="Se ha un indirizzo e-mail, la conferma va a lui; altrimenti al partner.",
    )
    referred_on = forms.DateField(label="Data dell'invio", widget=_date())
    reason = forms.CharField(
        label="Motivo dell'invio", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.order_by("name")
        self.fields["contact"].queryset = PartnerContact.objects.select_related("partner").order_by(
            "partner__name", "name"
        )

    def clean(self):
        data = super().clean()
        partner, contact = data.get("partner"), data.get("contact")
        if partner and contact and contact.partner_id != partner.pk:
            self.add_error("contact", "Il referente scelto non appartiene a questo partner.")
        return data

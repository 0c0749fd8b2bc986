from django import forms
from django.urls import reverse_lazy

from approdo.places.forms import ComuneField
from approdo.ui.forms import ListFilterForm, OwnIdsMixin, SuggestingInput

from .models import CompanyContact, CompanyInteraction, CompanySite
from .sectors import resolve_sector, section_choices


def _date():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CompanyForm(forms.Form):
    name = forms.CharField(
        label="Ragione sociale (o cognome e nome per le famiglie)", max_length=200
    )
    is_private_family = forms.BooleanField(
        label="Famiglia privata (senza partita IVA)", required=False
    )
    vat_number = forms.CharField(
        label="Partita IVA",
        max_length=25,
        required=False,
        help_text="Le 11 cifre; si accettano anche «IT», spazi, punti e trattini.",
    )
    fiscal_code = forms.CharField(label="Codice fiscale", max_length=16, required=False)
    ateco_code = forms.CharField(
        label="Attività (ATECO)",
        max_length=250,
        required=False,
        help_text="Il codice (ad esempio 56.10.11, edizioni 2025, 2022 o 2007) o alcune parole "
        "dell'attività, scegliendo dall'elenco che compare.",
        widget=SuggestingInput(url=reverse_lazy("companies:ateco"), list_id="ateco-suggerite"),
    )
    comune = ComuneField(label="Comune della sede", required=False)
    first_contact_on = forms.DateField(label="Primo contatto", required=False, widget=_date())
    notes = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_ateco_code(self) -> str:
        """The code of the activity meant, whether typed as a code or as a description."""
        text = self.cleaned_data["ateco_code"].strip()
        return resolve_sector(text).code if text else ""

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("is_private_family") and not cleaned.get("vat_number"):
            self.add_error(
                "vat_number", "Indichi la partita IVA, oppure spunti «Famiglia privata»."
            )
        return cleaned


class SiteForm(OwnIdsMixin, forms.ModelForm):
    ids = "sede"

    comune = ComuneField(label="Comune")

    class Meta:
        model = CompanySite
        fields = ["name", "comune", "address"]


class ContactForm(OwnIdsMixin, forms.ModelForm):
    ids = "referente"

    class Meta:
        model = CompanyContact
        fields = ["name", "role", "email", "phone"]


class InteractionForm(OwnIdsMixin, forms.ModelForm):
    ids = "contatto"

    class Meta:
        model = CompanyInteraction
        fields = ["kind", "happened_on", "notes"]
        widgets = {"happened_on": _date(), "notes": forms.Textarea(attrs={"rows": 2})}


class BoardForm(OwnIdsMixin, forms.Form):
    ids = "board"

    action = forms.ChoiceField(
        label="Board", choices=[("join", "Aderisce al Board"), ("leave", "Esce dal Board")]
    )
    on = forms.DateField(label="Data", widget=_date())


class CompanyFilterForm(ListFilterForm):
    q = forms.CharField(label="Nome o partita IVA", required=False)
    sector = forms.ChoiceField(label="Settore ATECO", required=False)
    board = forms.ChoiceField(
        label="Board",
        required=False,
        choices=[("", "Tutte"), ("si", "Nel Board"), ("no", "Fuori dal Board")],
    )
    comune = ComuneField(label="Comune", required=False)
    open_requests = forms.BooleanField(label="Solo con richieste aperte", required=False)
    placed_this_year = forms.BooleanField(label="Solo con inserimenti quest'anno", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", "Tutti"), *section_choices()]

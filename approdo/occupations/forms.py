from django import forms

from approdo.ui.forms import CommaListField

from .models import isco_code_validator


class OccupationForm(forms.Form):
    name = forms.CharField(label="Professione", max_length=120)
    isco_code = forms.CharField(
        label="Codice ISCO-08 (4 cifre)", max_length=4, validators=[isco_code_validator]
    )
    synonyms = CommaListField(
        label="Sinonimi e abbreviazioni",
        required=False,
        help_text="Separati da virgole: OSS, mulettista, ...",
    )
    active = forms.BooleanField(label="In uso", required=False, initial=True)

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format

from approdo.people.choices import ItalianLevel
from approdo.people.forms import WorkPreferenceFields
from approdo.places.forms import ComuneField
from approdo.ui.forms import size_limited_file_input


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label="Il suo indirizzo e-mail",
        max_length=254,
        error_messages={
            "required": "Scriva l'indirizzo e-mail che ha dato al programma.",
            "invalid": "L'indirizzo e-mail non è scritto correttamente (es. nome@esempio.it).",
        },
    )


class MoveForm(forms.Form):
    slot = forms.TypedChoiceField(
        label="Nuovo orario",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Scelga il nuovo orario."},
    )

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [
            (slot.pk, date_format(timezone.localtime(slot.starts_at), r"l j F Y, \o\r\e H:i"))
            for slot in slots
        ]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Perché non può venire",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Scriva perché non può venire."},
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label="Messaggio al suo operatore",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Scriva il messaggio.",
            "max_length": "Il messaggio è troppo lungo: al massimo 2.000 caratteri.",
        },
    )


class ProfileForm(WorkPreferenceFields):
    field_order = [
        "phone",
        "address",
        "postcode",
        "domicile_comune",
        "italian_level",
        "licences",
        "desired_jobs",
        "weekly_hours",
        "shifts",
        "own_transport",
    ]

    phone = forms.CharField(
        label="Telefono",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    address = forms.CharField(
        label="Indirizzo",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postcode = forms.RegexField(
        label="CAP",
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": "Il CAP è fatto di 5 cifre."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    domicile_comune = ComuneField(
        label="Comune dove vive, se diverso dalla residenza", required=False
    )
    italian_level = forms.ChoiceField(
        label="Conoscenza dell'italiano",
        choices=[("", "— scelga —"), *ItalianLevel.choices],
        required=False,
    )


class CvForm(forms.Form):
    cv = forms.FileField(
        label="Nuovo curriculum (PDF, JPEG o PNG)",
        help_text=f"Massimo {settings.MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
        widget=size_limited_file_input(settings.MAX_UPLOAD_BYTES),
        error_messages={"required": "Scelga il file del curriculum."},
    )

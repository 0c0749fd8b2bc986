import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from approdo.people.choices import Education, ItalianLevel
from approdo.people.forms import (
    CONSENT_FIELD_NAMES,
    ConsentFieldsMixin,
    IdentityFields,
    WorkPreferenceFields,
)
from approdo.people.uploads import sniff_upload
from approdo.ui.forms import size_limited_file_input

# The steps of the form, shown one at a time on a phone; each names its fields.
STEPS = (
    (
        "Chi è",
        (
            "first_name",
            "last_name",
            "fiscal_code",
            "no_fiscal_code",
            "birth_date",
            "sex",
            "birth_country",
            "citizenship",
        ),
    ),
    ("Dove vive e come contattarla", ("residence_comune", "domicile_comune", "email", "phone")),
    (
        "Studi, lavoro e disponibilità",
        (
            "education",
            "italian_level",
            "licences",
            "last_job_title",
            "last_employer",
            "desired_jobs",
            "weekly_hours",
            "shifts",
            "own_transport",
        ),
    ),
    (
        "Documenti e privacy",
        ("identity_document", "cv", "privacy_accepted", *CONSENT_FIELD_NAMES),
    ),
)


class RegistrationForm(ConsentFieldsMixin, WorkPreferenceFields, IdentityFields):
    submission_token = forms.UUIDField(widget=forms.HiddenInput)
    # A field people never see nor reach (hidden, out of the tab order); programs that fill
    # every field fill it too.
    website = forms.CharField(
        label="Non compilare",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    first_name = forms.CharField(
        label="Nome", max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Cognome",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    fiscal_code = forms.CharField(
        label="Codice fiscale",
        max_length=20,
        required=False,
        help_text="Lo trova sulla tessera sanitaria.",
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    no_fiscal_code = forms.BooleanField(label="Non ho un codice fiscale italiano", required=False)
    birth_date = forms.DateField(
        label="Data di nascita",
        required=False,
        help_text="Obbligatoria se non ha il codice fiscale.",
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )
    email = forms.EmailField(
        label="E-mail", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        label="Telefono",
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    education = forms.ChoiceField(
        label="Titolo di studio", choices=[("", "— scelga —"), *Education.choices]
    )
    italian_level = forms.ChoiceField(
        label="Conoscenza dell'italiano", choices=[("", "— scelga —"), *ItalianLevel.choices]
    )
    last_job_title = forms.CharField(
        label="Ultimo lavoro svolto (mansione)",
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    last_employer = forms.CharField(
        label="Presso (datore di lavoro)",
        max_length=160,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    identity_document = forms.FileField(
        label="Documento d'identità (PDF, JPEG o PNG)",
        help_text=f"Massimo {settings.MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
        widget=size_limited_file_input(settings.MAX_UPLOAD_BYTES),
    )
    cv = forms.FileField(
        label="Curriculum (facoltativo; PDF, JPEG o PNG)",
        required=False,
        help_text=f"Massimo {settings.MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
        widget=size_limited_file_input(settings.MAX_UPLOAD_BYTES),
    )
    privacy_accepted = forms.BooleanField(
        label="Ho letto l'informativa sulla privacy",
        error_messages={
            "required": "Per iscriversi occorre accettare l'informativa sulla privacy."
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_consent_fields(who="Acconsento a")
        # The purpose of fields about the person, for browsers and assistive technology
        # (WCAG 1.3.5); the suggestions of comuni still come from the ISTAT list.
        for name in ("residence_comune", "domicile_comune"):
            self.fields[name].widget.attrs["autocomplete"] = "address-level2"
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())
            self.initial.setdefault("citizenship", "Italia")

    def _clean_upload(self, field):
        upload = self.cleaned_data.get(field)
        if upload:
            try:
                sniff_upload(upload)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from error
        return upload

    def clean_identity_document(self):
        return self._clean_upload("identity_document")

    def clean_cv(self):
        return self._clean_upload("cv")

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("fiscal_code")
            and not cleaned.get("no_fiscal_code")
            and "fiscal_code" not in self.errors
        ):
            self.add_error(
                "fiscal_code",
                "Inserisca il codice fiscale, oppure spunti «Non ho un codice fiscale italiano».",
            )
        if not cleaned.get("fiscal_code") and not cleaned.get("birth_country"):
            cleaned["birth_country"] = cleaned.get("citizenship") or "Italia"
        return cleaned

    def steps(self):
        """(title, bound fields, has errors) for each step, in order."""
        return [
            (title, [self[name] for name in names], any(self[name].errors for name in names))
            for title, names in STEPS
        ]

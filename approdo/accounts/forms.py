from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.urls import reverse

from .mail import send
from .models import Team, User
from .roles import Role


class PasswordStepForm(forms.Form):
    username = forms.CharField(label="Nome utente", max_length=150)
    password = forms.CharField(label="Password", widget=forms.PasswordInput, strip=False)


class TokenStepForm(forms.Form):
    token = forms.CharField(
        label="Codice di verifica",
        max_length=8,
        help_text="Il codice a 6 cifre mostrato dalla app di autenticazione.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError("Il codice è formato da 6 cifre.")
        return token


class EnrolmentStepForm(TokenStepForm):
    field_order = ["enrolment_code", "token"]
    enrolment_code = forms.CharField(
        label="Codice di attivazione",
        max_length=12,
        help_text="Il codice di 8 cifre che le ha dato l'amministratore.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class StaffUserForm(forms.Form):
    username = forms.RegexField(
        label="Nome utente",
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": "Usi solo lettere, cifre e i segni . @ + - _"},
    )
    first_name = forms.CharField(label="Nome", max_length=150)
    last_name = forms.CharField(label="Cognome", max_length=150)
    email = forms.EmailField(label="E-mail")
    role = forms.ChoiceField(label="Ruolo", choices=Role.choices)
    team = forms.ModelChoiceField(
        label="Gruppo",
        queryset=Team.objects.all(),
        required=False,
        help_text="Operatori e specialisti IPS leggono le schede delle persone del proprio "
        "gruppo e quelle non ancora assegnate.",
    )
    is_active = forms.BooleanField(label="Account attivo", required=False, initial=True)

    def __init__(self, *args, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing is not None:
            self.fields["username"].disabled = True

    def clean_username(self):
        username = self.cleaned_data["username"]
        if self.editing is None and User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("Esiste già un utente con questo nome.")
        return username


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    """The e-mail goes through the outbox (worker, retries), never from the request."""

    email = forms.EmailField(label="E-mail del suo account", max_length=254)

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        to_email = args[1] if len(args) > 1 else kwargs["to_email"]
        link = settings.PUBLIC_BASE_URL.rstrip("/") + reverse(
            "accounts:password_reset_confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        send(
            to=to_email,
            template="password_reset",
            context={"user": context["user"], "link": link},
        )


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "is_ips_service"]
        help_texts = {
            "is_ips_service": "I suoi membri leggono le schede delle persone nel percorso IPS.",
        }
        error_messages = {"name": {"unique": "Esiste già un gruppo con questo nome."}}

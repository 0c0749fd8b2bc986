from django import forms
from django.utils import timezone

from approdo.ui.forms import size_limited_file_input

from .models import Event, Session, Speaker
from .platform_reports import MAX_BYTES


def _moment_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["title", "description", "is_series", "published"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class SessionForm(forms.ModelForm):
    room_url = forms.URLField(
        label="Collegamento alla stanza online",
        required=False,
        assume_scheme="https",
        help_text="Zoom, Teams, Meet, Jitsi...: lo ricevono solo gli iscritti.",
    )

    class Meta:
        model = Session
        fields = [
            "title",
            "starts_at",
            "ends_at",
            "mode",
            "place",
            "room_url",
            "capacity",
            "min_minutes",
            "speakers",
        ]
        widgets = {
            "starts_at": _moment_input(),
            "ends_at": _moment_input(),
            "speakers": forms.CheckboxSelectMultiple,
        }

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        changed = self.instance.pk is None or "starts_at" in self.changed_data
        if changed and starts_at <= timezone.now():
            raise forms.ValidationError("L'inizio deve essere nel futuro.")
        return starts_at


class SpeakerForm(forms.ModelForm):
    class Meta:
        model = Speaker
        fields = ["name", "organisation", "is_organisation", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 3})}


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        label="Motivo (lo leggono gli iscritti)",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AttendanceImportForm(forms.Form):
    report = forms.FileField(
        label="Rapporto dei partecipanti (CSV della piattaforma)",
        help_text="Zoom, Teams, Meet, Webex, Jitsi: il file dei partecipanti con e-mail e durata.",
        widget=size_limited_file_input(MAX_BYTES),
    )


def session_label(session) -> str:
    label = f"{session.title} – {timezone.localtime(session.starts_at):%d/%m/%Y, %H:%M}"
    if session.capacity is not None:
        left = max(session.capacity - session.taken, 0)
        label += " – posti esauriti" if left == 0 else f" – {left} posti liberi"
    return label


class VisitorFields(forms.Form):
    """Who registers from a public page: name, address, the notice read, and a trap."""

    first_name = forms.CharField(
        label="Nome", max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Cognome",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label="E-mail",
        help_text="Qui arrivano la conferma, il promemoria e il collegamento.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    privacy_accepted = forms.BooleanField(
        label="Ho letto l'informativa sul trattamento dei dati",
        error_messages={"required": "Per iscriversi occorre aver letto l'informativa."},
    )
    # Never seen nor reached by people (hidden, out of the tab order): programs fill it.
    website = forms.CharField(
        label="Non compilare",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class PublicRegistrationForm(VisitorFields):
    sessions = forms.MultipleChoiceField(
        label="Sessioni",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Scelga almeno una sessione."},
    )
    organisation = forms.CharField(
        label="Ente o azienda",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    field_order = ["sessions", "first_name", "last_name", "email", "organisation"]

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].choices = [
            (str(session.pk), session_label(session)) for session in sessions
        ]
        if len(sessions) == 1:
            self.fields["sessions"].initial = [str(sessions[0].pk)]


class PersonRegistrationForm(forms.Form):
    session = forms.ModelChoiceField(label="Sessione", queryset=Session.objects.none())

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = lambda session: (
            f"{session.event.title}: {session.title} – "
            f"{timezone.localtime(session.starts_at):%d/%m/%Y %H:%M}"
        )

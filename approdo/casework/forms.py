from django import forms
from django.utils import timezone

from approdo.accounts.models import User
from approdo.accounts.roles import EDIT_PEOPLE, roles_with
from approdo.ui.forms import OwnIdsMixin


def _staff_who_work_on_files():
    return User.objects.filter(is_active=True, role__in=roles_with(EDIT_PEOPLE)).order_by(
        "last_name", "first_name"
    )


class NoteForm(OwnIdsMixin, forms.Form):
    ids = "nota_generale"

    text = forms.CharField(label="Nota", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    is_restricted = forms.BooleanField(
        label="Riservata (salute o altri dati particolari: la leggono solo gli specialisti IPS)",
        required=False,
    )

    def __init__(self, *args, may_restrict: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_restrict:
            del self.fields["is_restricted"]


class NoteCorrectionForm(forms.Form):
    text = forms.CharField(label="Testo corretto", max_length=5000, widget=forms.Textarea)


class TaskForm(OwnIdsMixin, forms.Form):
    ids = "attivita"

    title = forms.CharField(
        label="Cosa fare", max_length=200, help_text="Ad esempio: richiamare per il colloquio."
    )
    due_on = forms.DateField(
        label="Entro il", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    assignee = forms.ModelChoiceField(
        label="A chi", queryset=User.objects.none(), required=False, empty_label="A me"
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("due_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _staff_who_work_on_files()


class ReassignForm(forms.Form):
    people = forms.TypedMultipleChoiceField(
        label="Persone", coerce=int, choices=[], widget=forms.CheckboxSelectMultiple
    )
    operator = forms.ModelChoiceField(
        label="Nuovo operatore di riferimento", queryset=User.objects.none()
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [(person.pk, str(person)) for person in people]
        self.fields["operator"].queryset = _staff_who_work_on_files()
        self.fields["people"].error_messages["required"] = "Scelga almeno una persona."

from django import forms

from .models import Incident


def _moment():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class IncidentForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = [
            "discovered_at",
            "kind",
            "description",
            "data_categories",
            "people_affected",
            "measures",
            "must_notify",
            "no_notification_reason",
            "authority_notified_at",
            "people_informed_at",
            "closed_at",
        ]
        widgets = {
            "discovered_at": _moment(),
            "authority_notified_at": _moment(),
            "people_informed_at": _moment(),
            "closed_at": _moment(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("must_notify") and not cleaned.get("no_notification_reason"):
            self.add_error(
                "no_notification_reason",
                "Se non va notificata, scriva perché (rischio improbabile per le persone).",
            )
        return cleaned

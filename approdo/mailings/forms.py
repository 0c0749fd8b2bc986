from django import forms
from django.conf import settings

from approdo.people.selectors import saved_searches_for

from .models import MailingTemplate
from .services import MERGE_FIELDS

MERGE_HELP = "Campi di unione: " + "; ".join(
    f"{{{{ {name} }}}} per {meaning}" for name, meaning in MERGE_FIELDS.items()
)


class MailingForm(forms.Form):
    saved_search = forms.ModelChoiceField(
        label="Ricerca salvata",
        queryset=None,
        required=False,
        empty_label="Nessuna: uso i filtri qui sotto",
    )
    people_query = forms.CharField(
        label="Filtri dell'elenco delle persone",
        required=False,
        max_length=2000,
        help_text="Come nell'indirizzo dell'elenco, per esempio status=in+carico&comune=…",
    )
    subject = forms.CharField(label="Oggetto", max_length=200, help_text=MERGE_HELP)
    body = forms.CharField(
        label="Testo", widget=forms.Textarea(attrs={"rows": 10}), help_text=MERGE_HELP
    )
    reply_to = forms.EmailField(
        label="Le risposte vanno a",
        help_text="Un indirizzo letto dal programma: chi risponde scrive qui.",
    )
    rate_per_minute = forms.IntegerField(
        label="Messaggi al minuto",
        min_value=1,
        max_value=100_000,
        help_text="Il limite del server di posta del programma.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["saved_search"].queryset = saved_searches_for(user)
        self.fields["reply_to"].initial = settings.PROGRAMME_EMAIL
        self.fields["rate_per_minute"].initial = settings.MAILING_RATE_PER_MINUTE

    def clean(self):
        data = super().clean()
        search = data.get("saved_search")
        if search is not None:
            data["people_query"], data["search_name"] = search.query, search.name
        elif data.get("people_query"):
            data["search_name"] = ""
        elif not self.has_error("people_query"):
            self.add_error(
                "people_query", "Scelga una ricerca salvata o indichi i filtri delle persone."
            )
        return data


class PreviewForm(forms.Form):
    person = forms.TypedChoiceField(label="Anteprima per", coerce=int, choices=())


class MailingTemplateForm(forms.ModelForm):
    class Meta:
        model = MailingTemplate
        fields = ["name", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}
        help_texts = {"subject": MERGE_HELP, "body": MERGE_HELP}

from django import forms

from approdo.people.selectors import saved_searches_for

from .models import Question, Survey


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "intro", "thanks", "closes_on"]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 4}),
            "thanks": forms.Textarea(attrs={"rows": 2}),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class LinesField(forms.CharField):
    """A list typed one item per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class QuestionForm(forms.ModelForm):
    choices = LinesField(
        label="Risposte possibili",
        required=False,
        help_text="Una per riga (per le domande a scelta).",
    )
    show_if_answers = LinesField(
        label="Solo se si è risposto",
        required=False,
        help_text="Una o più risposte della domanda scelta sopra, una per riga.",
    )

    class Meta:
        model = Question
        fields = [
            "kind",
            "text",
            "help_text",
            "choices",
            "scale_max",
            "required",
            "show_if",
            "show_if_answers",
            "fact",
            "fact_answer",
        ]

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        earlier = survey.questions.exclude(pk=self.instance.pk).filter(
            kind__in=[Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.SCALE]
        )
        if self.instance.pk:
            earlier = earlier.filter(position__lt=self.instance.position)
        self.fields["show_if"].queryset = earlier
        self.fields["show_if"].empty_label = "Sempre (nessuna condizione)"
        self.fields["fact"].help_text = (
            "Le risposte che dicono qualcosa della persona sono proposte all'operatore di "
            "riferimento, che le conferma nella scheda."
        )


class SendSurveyForm(forms.Form):
    saved_search = forms.ModelChoiceField(
        label="Ricerca salvata", queryset=None, required=False, empty_label="Nessuna"
    )
    people_query = forms.CharField(
        label="Filtri dell'elenco delle persone", required=False, max_length=2000
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["saved_search"].queryset = saved_searches_for(user)

    def clean(self):
        data = super().clean()
        search = data.get("saved_search")
        if search is not None:
            data["people_query"], data["search_name"] = search.query, search.name
        elif data.get("people_query"):
            data["search_name"] = ""
        else:
            self.add_error(
                "people_query", "Scelga una ricerca salvata o indichi i filtri delle persone."
            )
        return data

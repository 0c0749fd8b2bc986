"""A survey's answers as a spreadsheet made by the worker (see approdo/exports/registry.py):
one row per person who answered, one column per question."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from approdo.accounts.roles import EXPORT_PEOPLE, SEND_MAILINGS
from approdo.exports.registry import FileKind, register_file_kind
from approdo.exports.services import neutralise_formula

from .models import Invitation, Survey


class SurveyExportForm(forms.Form):
    survey = forms.IntegerField(min_value=1)

    def filters(self) -> dict:
        return {"survey": self.cleaned_data["survey"]} if self.is_valid() else {}


def write_answers(export, path) -> tuple[int, str]:
    survey = Survey.objects.get(pk=export.filters["survey"])
    questions = list(survey.questions.all())
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Risposte")
    sheet.append(
        ["Scheda", "Cognome", "Nome", "Risposto il", *[question.text for question in questions]]
    )
    invitations = (
        Invitation.objects.filter(survey=survey, submitted_at__isnull=False)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    count = 0
    for invitation in invitations.iterator(chunk_size=2000):
        cells = []
        for question in questions:
            answer = invitation.answers.get(str(question.pk), "")
            cells.append(
                neutralise_formula(", ".join(answer) if isinstance(answer, list) else answer)
            )
        sheet.append(
            [
                invitation.person_id,
                neutralise_formula(invitation.person.last_name),
                neutralise_formula(invitation.person.first_name),
                timezone.localtime(invitation.submitted_at).replace(tzinfo=None),
                *cells,
            ]
        )
        count += 1
    workbook.save(path)
    return count, f"questionario-{survey.pk}-{timezone.localdate():%Y%m%d}.xlsx"


def _may_ask(user, filters) -> bool:
    return user.can(SEND_MAILINGS)


register_file_kind(
    FileKind(
        slug="risposte-questionario",
        label="Risposte a un questionario",
        formats=("xlsx",),
        capability=EXPORT_PEOPLE,
        write=write_answers,
        filter_form=SurveyExportForm,
        allowed=_may_ask,
        back=lambda export: (
            "Torna ai risultati",
            reverse("surveys:results", args=[export.filters.get("survey", 0)]),
        ),
    )
)

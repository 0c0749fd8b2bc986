"""Surveys: questions (conditional ones too), sent through the mailing engine with one
personal link each, answered on a public page (saved halfway, sent once), reminders to who
has not answered, and what the answers say about the person offered to the case manager."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone

from approdo.mailings.audiences import Audience, register_audience
from approdo.mailings.models import Mailing
from approdo.mailings.services import create_mailing, people_of_query, start_sending
from approdo.people.choices import ExitReason, Status
from approdo.people.models import Person
from approdo.people.services import change_status

from .models import Fact, Invitation, Question, Survey

LINK_FIELD = "link_questionario"
INVITATION_TEXT = (
    "Gentile {{ nome }},\nle chiediamo pochi minuti per rispondere al questionario "
    "«{title}». Le sue risposte ci aiutano a migliorare il programma.\n\n"
    "Risponda da qui (anche dal telefono; può salvare e finire più tardi):\n"
    "{{ link_questionario }}"
)
REMINDER_TEXT = (
    "Gentile {{ nome }},\nle ricordiamo il questionario «{title}»: se non l'ha ancora fatto, "
    "può rispondere da qui, anche in pochi minuti:\n{{ link_questionario }}"
)


def survey_link(token: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("surveys:answer", args=[token])


def _links(mailing: Mailing, person_ids: list[int]) -> dict[int, dict[str, str]]:
    invitations = Invitation.objects.filter(
        survey_id=int(mailing.audience_object or 0), person_id__in=person_ids
    ).values_list("person_id", "token")
    return {person_id: {LINK_FIELD: survey_link(token)} for person_id, token in invitations}


LINK_FIELDS = {LINK_FIELD: "il collegamento personale al questionario"}
# The people a survey's invitation mailing writes to: those it invited.
INVITED = Audience(
    key="questionario",
    people=lambda mailing: Person.objects.filter(
        survey_invitations__mailing=mailing, survey_invitations__survey=mailing.audience_object
    ),
    values=_links,
    fields=LINK_FIELDS,
)
# A reminder: who was invited and has not sent the answers.
NOT_ANSWERED = Audience(
    key="questionario-promemoria",
    people=lambda mailing: Person.objects.filter(
        survey_invitations__survey=mailing.audience_object,
        survey_invitations__submitted_at__isnull=True,
    ),
    values=_links,
    fields=LINK_FIELDS,
)
register_audience(INVITED)
register_audience(NOT_ANSWERED)


def check_question(question: Question) -> None:
    """Refuse a question that could not be answered or shown."""
    errors = {}
    kinds = Question.Kind
    question.choices = [choice.strip() for choice in question.choices if choice.strip()]
    if question.kind in (kinds.SINGLE, kinds.MULTIPLE) and len(question.choices) < 2:
        errors["choices"] = "Indichi almeno due risposte possibili, una per riga."
    if len(set(question.choices)) != len(question.choices):
        errors["choices"] = "Le risposte possibili devono essere diverse tra loro."
    condition = question.show_if if question.show_if_id else None
    if condition is not None:
        if condition.survey_id != question.survey_id or (
            question.pk and condition.position >= question.position
        ):
            errors["show_if"] = "La condizione deve essere una domanda precedente."
        elif condition.kind not in {kinds.SINGLE, kinds.MULTIPLE, kinds.SCALE}:
            errors["show_if"] = "La condizione deve essere una domanda a scelta o una scala."
        elif not question.show_if_answers or not set(question.show_if_answers) <= set(
            condition.options
        ):
            errors["show_if_answers"] = (
                "Scelga tra le risposte della domanda della condizione: "
                + ", ".join(condition.options)
            )
    elif question.show_if_answers:
        errors["show_if"] = "Scelga la domanda da cui dipende."
    if question.fact in (Fact.WORKING, Fact.THROUGH_PROGRAMME) and (
        question.fact_answer not in question.options
    ):
        errors["fact_answer"] = "Indichi quale delle risposte possibili vuol dire «sì»."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_question(question: Question) -> Question:
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    if survey.state != Survey.State.DRAFT:
        raise ValidationError("Le domande si cambiano solo prima dell'invio del questionario.")
    if not question.pk:
        last = survey.questions.aggregate(last=Max("position"))["last"]
        question.position = (last or 0) + 1
    check_question(question)
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def delete_question(question: Question) -> None:
    if question.survey.state != Survey.State.DRAFT:
        raise ValidationError("Le domande si cambiano solo prima dell'invio del questionario.")
    question.delete()


@transaction.atomic
def send_survey(
    *,
    survey: Survey,
    people_query: str,
    subject: str = "",
    body: str = "",
    search_name: str = "",
    by,
) -> Mailing:
    """Invite the people a search finds (not those already invited) through a mailing."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.state == Survey.State.CLOSED:
        raise ValidationError("Il questionario è chiuso.")
    if not survey.questions.exists():
        raise ValidationError("Il questionario non ha domande.")
    people = people_of_query(people_query, user=by).exclude(survey_invitations__survey=survey)
    mailing = create_mailing(
        subject=subject or f"Un questionario per lei: {survey.title}",
        body=body or INVITATION_TEXT.replace("{title}", survey.title),
        people_query=people_query,
        search_name=search_name or f"Questionario «{survey.title}»",
        reply_to=settings.PROGRAMME_EMAIL,
        audience=INVITED.key,
        audience_object=survey.pk,
        by=by,
    )
    Invitation.objects.bulk_create(
        Invitation(survey=survey, person_id=person_id, mailing=mailing)
        for person_id in people.order_by().values_list("pk", flat=True).iterator()
    )
    survey.state = Survey.State.OPEN
    survey.save(update_fields=["state"])
    return start_sending(mailing, by=by)


@transaction.atomic
def send_reminder(*, survey: Survey, by) -> Mailing:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.state != Survey.State.OPEN:
        raise ValidationError("Si manda un promemoria solo per un questionario aperto.")
    if not survey.invitations.filter(submitted_at__isnull=True).exists():
        raise ValidationError("Hanno già risposto tutti.")
    mailing = create_mailing(
        subject=f"Promemoria: {survey.title}",
        body=REMINDER_TEXT.replace("{title}", survey.title),
        people_query="",
        search_name=f"Promemoria del questionario «{survey.title}»",
        reply_to=settings.PROGRAMME_EMAIL,
        audience=NOT_ANSWERED.key,
        audience_object=survey.pk,
        by=by,
    )
    return start_sending(mailing, by=by)


def close_survey(survey: Survey) -> None:
    Survey.objects.filter(pk=survey.pk).update(state=Survey.State.CLOSED)


def is_open(survey: Survey) -> bool:
    return survey.state == Survey.State.OPEN and (
        survey.closes_on is None or survey.closes_on >= timezone.localdate()
    )


def shown_questions(questions: list[Question], answers: dict) -> list[Question]:
    """The questions asked given the answers so far (a conditional one only when its
    condition's answer is one of those it names)."""
    shown: list[Question] = []
    asked = set()
    for question in questions:
        if question.show_if_id:
            if question.show_if_id not in asked:
                continue
            given = answers.get(str(question.show_if_id))
            given = given if isinstance(given, list) else [given]
            if not set(given) & set(question.show_if_answers):
                continue
        shown.append(question)
        asked.add(question.pk)
    return shown


def clean_answers(questions: list[Question], data, *, final: bool) -> tuple[dict, dict]:
    """Read the posted answers: ({question id: answer}, {question id: error}). Answers to
    questions not asked are dropped; a final submission needs every required one."""
    answers: dict[str, object] = {}
    for question in questions:
        name = f"q{question.pk}"
        if question.kind == Question.Kind.MULTIPLE:
            values = [value for value in data.getlist(name) if value in question.options]
            if values:
                answers[str(question.pk)] = values
        elif question.kind in (Question.Kind.SINGLE, Question.Kind.SCALE):
            value = data.get(name, "")
            if value in question.options:
                answers[str(question.pk)] = value
        else:
            limit = 200 if question.kind == Question.Kind.SHORT else 4000
            value = data.get(name, "").strip()[:limit]
            if value:
                answers[str(question.pk)] = value
    shown = shown_questions(questions, answers)
    shown_ids = {str(question.pk) for question in shown}
    answers = {key: value for key, value in answers.items() if key in shown_ids}
    errors = {}
    if final:
        for question in shown:
            if question.required and str(question.pk) not in answers:
                errors[str(question.pk)] = "Risponda a questa domanda."
    return answers, errors


@transaction.atomic
def save_answers(*, invitation: Invitation, data, final: bool) -> dict:
    """Keep the answers (halfway, or sent for good). Returns the errors ({} when saved)."""
    invitation = (
        Invitation.objects.select_for_update().select_related("survey").get(pk=invitation.pk)
    )
    if invitation.submitted_at is not None:
        raise ValidationError("Ha già inviato le risposte a questo questionario.")
    if not is_open(invitation.survey):
        raise ValidationError("Il questionario è chiuso.")
    questions = list(invitation.survey.questions.all())
    answers, errors = clean_answers(questions, data, final=final)
    invitation.answers = answers
    invitation.saved_at = timezone.now()
    if final and not errors:
        invitation.submitted_at = invitation.saved_at
    invitation.save(update_fields=["answers", "saved_at", "submitted_at"])
    return errors


def facts_of(invitation: Invitation, questions: list[Question]) -> dict[str, str]:
    """What the answers say about the person: {fact: answer}."""
    facts = {}
    for question in questions:
        answer = invitation.answers.get(str(question.pk))
        if question.fact and answer:
            facts[question.fact] = ", ".join(answer) if isinstance(answer, list) else answer
    return facts


def says_working(invitation: Invitation, questions: list[Question]) -> bool:
    return any(
        question.fact == Fact.WORKING
        and invitation.answers.get(str(question.pk)) == question.fact_answer
        for question in questions
    )


@transaction.atomic
def review_facts(*, invitation: Invitation, confirm: bool, by) -> None:
    """The case manager's answer to what the survey says: confirmed, a person who says they
    work leaves the programme for work (or their exit reason becomes work)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.reviewed_at is not None:
        return
    questions = list(invitation.survey.questions.all())
    if confirm and says_working(invitation, questions):
        person = invitation.person
        note = f"Dal questionario «{invitation.survey.title}» del " + (
            f"{timezone.localtime(invitation.submitted_at):%d/%m/%Y}"
        )
        if person.status != Status.FUORI_PROTOCOLLO:
            change_status(
                person=person,
                to_status=Status.FUORI_PROTOCOLLO,
                reason=ExitReason.LAVORA,
                note=note,
                by=by,
                notify=False,
            )
        elif person.exit_reason != ExitReason.LAVORA:
            Person.objects.filter(pk=person.pk).update(exit_reason=ExitReason.LAVORA)
    invitation.reviewed_at = timezone.now()
    invitation.reviewed_by = by
    invitation.save(update_fields=["reviewed_at", "reviewed_by"])


def to_review(person: Person) -> QuerySet[Invitation]:
    """Answers sent by the person whose facts the case manager has not looked at."""
    return (
        Invitation.objects.filter(
            person=person,
            submitted_at__isnull=False,
            reviewed_at__isnull=True,
            survey__questions__fact__gt="",
        )
        .distinct()
        .select_related("survey")
    )


# The questionnaire for people who left the programme: working or not, the contract, found
# through the programme or not, what helped.
EXIT_SURVEY = {
    "title": "Come va dopo il programma",
    "intro": (
        "Lei ha partecipato al programma. Ci piacerebbe sapere come va adesso: bastano "
        "cinque minuti. Le risposte sono lette solo dagli operatori del programma."
    ),
    "thanks": "Grazie! Le sue risposte ci aiutano a migliorare il programma.",
}


@transaction.atomic
def create_exit_survey(*, by) -> Survey:
    survey = Survey.objects.create(**EXIT_SURVEY, created_by=by)
    kinds = Question.Kind
    working = Question.objects.create(
        survey=survey,
        position=1,
        kind=kinds.SINGLE,
        text="Oggi lavora?",
        choices=["Sì", "No"],
        fact=Fact.WORKING,
        fact_answer="Sì",
    )
    rows = [
        (
            kinds.SINGLE,
            "Con quale contratto?",
            [
                "Tempo indeterminato",
                "Tempo determinato",
                "Apprendistato",
                "Tirocinio",
                "Lavoro autonomo",
                "Altro",
            ],
            True,
            Fact.CONTRACT,
            "",
        ),
        (
            kinds.SINGLE,
            "Ha trovato questo lavoro grazie al programma?",
            ["Sì", "In parte", "No"],
            True,
            Fact.THROUGH_PROGRAMME,
            "Sì",
        ),
    ]
    for position, (kind, text, choices, required, fact, answer) in enumerate(rows, start=2):
        Question.objects.create(
            survey=survey,
            position=position,
            kind=kind,
            text=text,
            choices=choices,
            required=required,
            show_if=working,
            show_if_answers=["Sì"],
            fact=fact,
            fact_answer=answer,
        )
    Question.objects.create(
        survey=survey,
        position=4,
        kind=kinds.MULTIPLE,
        text="Che cosa l'ha aiutata di più nel programma?",
        help_text="Può scegliere più risposte.",
        choices=[
            "I colloqui con l'operatore",
            "Il curriculum preparato insieme",
            "I corsi di formazione",
            "Il tirocinio",
            "Le proposte alle aziende",
            "Niente in particolare",
        ],
        required=False,
    )
    Question.objects.create(
        survey=survey,
        position=5,
        kind=kinds.SCALE,
        text="Quanto è soddisfatta/o del programma?",
        help_text="Da 1 (per niente) a 5 (molto).",
        scale_max=5,
    )
    Question.objects.create(
        survey=survey,
        position=6,
        kind=kinds.LONG,
        text="Vuole dirci altro?",
        required=False,
    )
    return survey

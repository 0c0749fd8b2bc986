from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import EDIT_PEOPLE, SEND_MAILINGS
from approdo.core.ratelimit import allow, client_key
from approdo.people.permissions import person_or_403
from approdo.ui.forms import show_errors_on_form

from . import services
from .forms import QuestionForm, SendSurveyForm, SurveyForm
from .models import Invitation, Question, Survey
from .selectors import survey_results, surveys_with_counts

PAGE_SIZE = 25


@capability_required(SEND_MAILINGS)
def survey_list(request):
    page = Paginator(surveys_with_counts(), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "surveys/list.html", {"page": page})


@capability_required(SEND_MAILINGS)
def survey_create(request):
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        survey = form.save()
        messages.success(request, "Questionario creato: aggiunga le domande.")
        return redirect("surveys:detail", pk=survey.pk)
    return render(
        request,
        "surveys/form.html",
        {"form": form, "title": "Nuovo questionario"},
        status=400 if form.errors else 200,
    )


@require_POST
@capability_required(SEND_MAILINGS)
def exit_survey_create(request):
    survey = services.create_exit_survey(by=request.user)
    messages.success(request, "Questionario per chi è uscito dal programma creato: lo controlli.")
    return redirect("surveys:detail", pk=survey.pk)


@capability_required(SEND_MAILINGS)
def survey_detail(request, pk: int):
    survey = get_object_or_404(Survey, pk=pk)
    question_form = QuestionForm(survey=survey, prefix="domanda")
    send_form = SendSurveyForm(user=request.user, prefix="invio")
    if request.method == "POST" and "domanda-kind" in request.POST:
        question_form = QuestionForm(request.POST, survey=survey, prefix="domanda")
        if _save_question(request, question_form, survey):
            return redirect("surveys:detail", pk=survey.pk)
    elif request.method == "POST":
        send_form = SendSurveyForm(request.POST, user=request.user, prefix="invio")
        if send_form.is_valid():
            try:
                mailing = services.send_survey(
                    survey=survey,
                    people_query=send_form.cleaned_data["people_query"],
                    search_name=send_form.cleaned_data["search_name"],
                    by=request.user,
                )
            except ValidationError as error:
                show_errors_on_form(send_form, error)
            else:
                messages.success(request, "Questionario inviato: segua l'invio da qui.")
                return redirect("mailings:detail", pk=mailing.pk)
    invalid = bool(question_form.errors or send_form.errors)
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "questions": survey.questions.select_related("show_if"),
            "question_form": question_form,
            "send_form": send_form,
            "results": survey_results(survey) if survey.state != Survey.State.DRAFT else None,
        },
        status=400 if invalid else 200,
    )


def _save_question(request, form, survey) -> bool:
    if not form.is_valid():
        return False
    form.instance.survey = survey
    try:
        services.save_question(form.instance)
    except ValidationError as error:
        show_errors_on_form(form, error)
        return False
    messages.success(request, "Domanda salvata.")
    return True


@capability_required(SEND_MAILINGS)
def question_edit(request, pk: int):
    question = get_object_or_404(Question.objects.select_related("survey"), pk=pk)
    form = QuestionForm(request.POST or None, instance=question, survey=question.survey)
    if request.method == "POST" and _save_question(request, form, question.survey):
        return redirect("surveys:detail", pk=question.survey_id)
    return render(
        request,
        "surveys/form.html",
        {"form": form, "title": f"Domanda {question.position}", "survey": question.survey},
        status=400 if form.errors else 200,
    )


@require_POST
@capability_required(SEND_MAILINGS)
def question_delete(request, pk: int):
    question = get_object_or_404(Question, pk=pk)
    try:
        services.delete_question(question)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Domanda eliminata.")
    return redirect("surveys:detail", pk=question.survey_id)


@require_POST
@capability_required(SEND_MAILINGS)
def survey_remind(request, pk: int):
    survey = get_object_or_404(Survey, pk=pk)
    try:
        mailing = services.send_reminder(survey=survey, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("surveys:detail", pk=pk)
    messages.success(request, "Promemoria in partenza per chi non ha ancora risposto.")
    return redirect("mailings:detail", pk=mailing.pk)


@require_POST
@capability_required(SEND_MAILINGS)
def survey_close(request, pk: int):
    services.close_survey(get_object_or_404(Survey, pk=pk))
    messages.success(request, "Questionario chiuso: i collegamenti non accettano più risposte.")
    return redirect("surveys:detail", pk=pk)


@capability_required(SEND_MAILINGS)
def survey_results_page(request, pk: int):
    survey = get_object_or_404(Survey, pk=pk)
    return render(
        request, "surveys/results.html", {"survey": survey, "results": survey_results(survey)}
    )


@login_not_required
def answer(request, token: str):
    """The person's own page, from the link in their e-mail: no login, one answer per link."""
    invitation = Invitation.objects.select_related("survey").filter(token=token).first()
    if invitation is None or invitation.person.anonymised_at is not None:
        return render(request, "surveys/answer_unknown.html", status=404)
    survey = invitation.survey
    if invitation.submitted_at is not None:
        return render(
            request, "surveys/answer_done.html", {"survey": survey, "invitation": invitation}
        )
    if not services.is_open(survey):
        return render(request, "surveys/answer_closed.html", {"survey": survey}, status=410)
    questions = list(survey.questions.all())
    answers, errors = invitation.answers, {}
    if request.method == "POST":
        if not allow(client_key(request, "questionario"), limit=60, window=timedelta(minutes=10)):
            return render(request, "surveys/answer_unknown.html", status=429)
        final = "invia" in request.POST
        try:
            errors = services.save_answers(invitation=invitation, data=request.POST, final=final)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("surveys:answer", token=token)
        if not errors:
            if final:
                return redirect("surveys:answer", token=token)
            messages.success(
                request, "Risposte salvate: può finire quando vuole, dallo stesso link."
            )
            return redirect("surveys:answer", token=token)
        answers, _ = services.clean_answers(questions, request.POST, final=False)
    shown = {question.pk for question in services.shown_questions(questions, answers)}
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "questions": [
                (
                    question,
                    answers.get(str(question.pk)),
                    errors.get(str(question.pk)),
                    question.pk in shown,
                )
                for question in questions
            ],
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@require_POST
@capability_required(EDIT_PEOPLE)
def review(request, pk: int):
    invitation = get_object_or_404(Invitation.objects.select_related("survey"), pk=pk)
    person = person_or_403(request.user, invitation.person_id, edit=True)
    if invitation.submitted_at is None:
        raise PermissionDenied("La persona non ha ancora inviato le risposte.")
    confirm = request.POST.get("conferma") == "si"
    services.review_facts(invitation=invitation, confirm=confirm, by=request.user)
    messages.success(
        request, "Confermato nella scheda." if confirm else "Risposte viste, scheda invariata."
    )
    return redirect("people:detail", pk=person.pk)

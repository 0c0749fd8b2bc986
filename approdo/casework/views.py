from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from approdo.accounts.models import User
from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import (
    EDIT_COMPANIES,
    EDIT_PEOPLE,
    VIEW_COMPANIES,
    VIEW_PEOPLE,
    VIEW_SENSITIVE_NOTES,
    VIEW_WHOLE_PROGRAMME,
)
from approdo.companies.models import Company
from approdo.companies.selectors import company_search_q
from approdo.people.identity import clean_fiscal_code
from approdo.people.models import Person
from approdo.people.permissions import in_scope, person_or_403, visible_people
from approdo.people.selectors import person_with_fiscal_code, search_people
from approdo.ui.params import optional_id
from approdo.vacancies.models import Vacancy

from . import services
from .forms import NoteCorrectionForm, NoteForm, ReassignForm, TaskForm
from .models import Note, Task
from .selectors import caseload, loads_by_operator

PAGE_SIZE = 50


# The pages that notes and tasks can be on, by the URL segment that names them.
SUBJECT_PAGES = {
    "persone": "people:detail",
    "aziende": "companies:detail",
    "richieste": "vacancies:detail",
}
SEGMENT_OF_FIELD = {"person": "persone", "company": "aziende", "vacancy": "richieste"}


def _editable_subject(user, kind: str, pk: int):
    """The person, company or request that `user` may add notes and tasks to."""
    if kind == "persone":
        return person_or_403(user, pk, edit=True)
    if not user.can(EDIT_COMPANIES):
        raise PermissionDenied("Il suo ruolo non consente questa operazione.")
    return get_object_or_404(Company if kind == "aziende" else Vacancy, pk=pk)


def _subject_of(item: Note | Task, user):
    """The subject of a note or task, checked as `_editable_subject` does."""
    for field, kind in SEGMENT_OF_FIELD.items():
        if pk := getattr(item, f"{field}_id"):
            return kind, _editable_subject(user, kind, pk)
    raise Http404


def _back_to(kind: str, pk: int, anchor: str):
    return redirect(reverse(SUBJECT_PAGES[kind], args=[pk]) + f"#{anchor}")


def _errors(request, form) -> None:
    messages.error(
        request,
        "Non è stato salvato nulla: "
        + "; ".join(message for errors in form.errors.values() for message in errors),
    )


@capability_required(EDIT_PEOPLE)
def my_people(request):
    """The caseload: the people I follow, overdue first."""
    page = Paginator(caseload(request.user), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "casework/my_people.html", {"page": page})


@require_POST
def note_add(request, kind: str, pk: int):
    subject = _editable_subject(request.user, kind, pk)
    may_restrict = kind == "persone" and request.user.can(VIEW_SENSITIVE_NOTES)
    form = NoteForm(request.POST, may_restrict=may_restrict)
    if not form.is_valid():
        _errors(request, form)
    else:
        try:
            services.add_note(
                subject=subject,
                text=form.cleaned_data["text"],
                restricted=form.cleaned_data.get("is_restricted", False),
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Nota registrata.")
    return _back_to(kind, pk, "note")


def note_correct(request, note_id: int):
    note = get_object_or_404(Note, pk=note_id)
    kind, subject = _subject_of(note, request.user)
    if not note.editable_by(request.user):
        messages.error(
            request,
            "Questa nota non si può più correggere: aggiunga una nuova nota con la correzione.",
        )
        return _back_to(kind, subject.pk, "note")
    form = NoteCorrectionForm(request.POST or None, initial={"text": note.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_note(note=note, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Nota corretta.")
            return _back_to(kind, subject.pk, "note")
    return render(
        request,
        "casework/note_form.html",
        {"form": form, "subject": subject, "note": note},
        status=400 if form.errors else 200,
    )


@require_POST
def task_add(request, kind: str, pk: int):
    subject = _editable_subject(request.user, kind, pk)
    form = TaskForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
    else:
        try:
            task = services.add_task(subject=subject, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Attività aggiunta: entro il {task.due_on:%d/%m/%Y}.")
    return _back_to(kind, pk, "attivita")


@require_POST
def task_done(request, task_id: int):
    task = get_object_or_404(Task, pk=task_id)
    kind, subject = _subject_of(task, request.user)
    services.complete_task(task=task, by=request.user)
    messages.success(request, f"Fatto: {task.title}.")
    if request.POST.get("da") == "scrivania":
        return redirect("people:dashboard")
    return _back_to(kind, subject.pk, "attivita")


@require_POST
@capability_required(EDIT_PEOPLE)
def daily_digest(request):
    """Turn the morning e-mail with the day's counts on or off, for oneself."""
    wanted = request.POST.get("attivo") == "1"
    if wanted and not request.user.email:
        messages.error(
            request, "Il suo profilo non ha un indirizzo e-mail: lo chieda a un amministratore."
        )
    else:
        request.user.daily_digest = wanted
        request.user.save(update_fields=["daily_digest"])
        messages.success(
            request,
            "Riceverà ogni mattina il riepilogo della giornata."
            if wanted
            else "Non riceverà più il riepilogo della giornata.",
        )
    return redirect(reverse("people:dashboard") + "#mia-giornata")


@capability_required(VIEW_WHOLE_PROGRAMME)
def loads(request):
    """Coordinators: how many people each operator follows; one operator's people can be
    given, one or many at once, to another."""
    if not request.user.can(EDIT_PEOPLE):
        raise PermissionDenied("Il suo ruolo non consente di riassegnare le persone.")
    operator = None
    people = []
    if operator_id := optional_id(request, "operatore"):
        operator = get_object_or_404(User, pk=operator_id)
        people = list(caseload(operator)[:500])
    form = ReassignForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        chosen = visible_people(request.user).filter(pk__in=form.cleaned_data["people"])
        try:
            moved = services.assign_case_manager(
                people=list(chosen), operator=form.cleaned_data["operator"], by=request.user
            )
        except ValidationError as error:
            form.add_error("operator", error)
        else:
            messages.success(
                request,
                f"{moved} person{'a assegnata' if moved == 1 else 'e assegnate'} a "
                f"{form.cleaned_data['operator']}, che ne riceve l'elenco per e-mail.",
            )
            return redirect(reverse("casework:loads") + f"?operatore={operator_id}")
    return render(
        request,
        "casework/loads.html",
        {"loads": loads_by_operator(), "operator": operator, "people": people, "form": form},
        status=400 if form.errors else 200,
    )


SEARCH_LIMIT = 20


@capability_required(VIEW_PEOPLE)
def search(request):
    """The header's search box: people by name or fiscal code (those the user reads), and
    companies by name or VAT number."""
    term = request.GET.get("q", "").strip()[:100]
    context: dict = {"term": term, "people": [], "companies": [], "elsewhere": None}
    if len(term) >= 2:
        people = visible_people(request.user, search_people(Person.objects.all(), term))
        context["people"] = list(people.select_related("residence_comune")[:SEARCH_LIMIT])
        if not context["people"]:
            found = person_with_fiscal_code(clean_fiscal_code(term))
            if found is not None and not in_scope(request.user, found):
                context["elsewhere"] = found
        if request.user.can(VIEW_COMPANIES):
            context["companies"] = list(
                Company.objects.filter(company_search_q(term)).select_related("comune")[
                    :SEARCH_LIMIT
                ]
            )
    return render(request, "casework/search.html", context)

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from approdo.accounts.models import User
from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import MANAGE_ALL_AGENDAS, MANAGE_INTAKE, VIEW_PEOPLE
from approdo.people.permissions import person_or_403
from approdo.people.selectors import intake_queue
from approdo.ui.forms import show_errors_on_form
from approdo.ui.params import optional_id

from . import services
from .forms import BookingForm, FollowUpForm, OutcomeForm, SlotsForm
from .models import Interview, InterviewKind
from .permissions import can_manage_agenda_of, can_record_outcome
from .selectors import agenda, free_slots


@capability_required(VIEW_PEOPLE)
def queue(request):
    people = intake_queue().prefetch_related("interviews")
    page = Paginator(people, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "intake/queue.html",
        {
            "page": page,
            "promise_days": settings.FIRST_INTERVIEW_PROMISE_DAYS,
        },
    )


@capability_required(MANAGE_INTAKE)
def agenda_view(request, user_id: int | None = None):
    operator = get_object_or_404(User, pk=user_id) if user_id else request.user
    if not can_manage_agenda_of(request.user, operator):
        raise PermissionDenied("Può gestire solo la propria agenda.")
    form = SlotsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_slots(operator=operator, **form.cleaned_data)
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, f"Aperti {len(created)} appuntamenti.")
            return redirect(request.path)
    day_from = timezone.localdate()
    return render(
        request,
        "intake/agenda.html",
        {
            "operator": operator,
            "form": form,
            "slots": agenda(operator=operator, day_from=day_from, days=14),
            "operators": User.objects.filter(is_active=True).order_by("last_name")
            if request.user.can(MANAGE_ALL_AGENDAS)
            else [],
        },
        status=400 if form.errors else 200,
    )


@capability_required(MANAGE_INTAKE)
def book(request, person_id: int):
    person = person_or_403(request.user, person_id)
    interview = None
    if reschedule_id := optional_id(request, "sposta"):
        interview = get_object_or_404(Interview, pk=reschedule_id, person=person)
    follow_up = (request.POST.get("tipo") or request.GET.get("tipo")) == "monitoraggio" or (
        interview is not None and interview.kind == InterviewKind.MONITORAGGIO
    )
    # A follow-up is held by whoever follows the person: on the booking user's own agenda.
    slots = list(free_slots(operator=request.user if follow_up else None)[:200])
    form = BookingForm(request.POST or None, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            if interview:
                services.reschedule_interview(
                    interview=interview,
                    by=request.user,
                    slot_id=form.cleaned_data["slot"],
                    mode=form.cleaned_data["mode"],
                )
            else:
                book = services.book_follow_up if follow_up else services.book_first_interview
                book(
                    person=person,
                    by=request.user,
                    slot_id=form.cleaned_data["slot"],
                    mode=form.cleaned_data["mode"],
                )
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(
                request, "Colloquio fissato; l'invito con il file per il calendario è in partenza."
            )
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "intake/book.html",
        {
            "person": person,
            "form": form,
            "rescheduling": interview,
            "follow_up": follow_up,
        },
        status=400 if form.errors else 200,
    )


def _interview_for(request, pk: int) -> Interview:
    interview = get_object_or_404(Interview.objects.select_related("person", "operator"), pk=pk)
    if not can_record_outcome(request.user, interview):
        raise PermissionDenied("Solo l'operatore del colloquio o un coordinatore può farlo.")
    return interview


@capability_required(MANAGE_INTAKE)
def outcome(request, pk: int):
    interview = _interview_for(request, pk)
    if interview.kind == InterviewKind.MONITORAGGIO:
        return _follow_up_outcome(request, interview)
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_first_interview_outcome(
                interview=interview, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Esito del primo colloquio registrato.")
            return redirect("people:detail", pk=interview.person_id)
    return render(
        request,
        "intake/outcome.html",
        {"interview": interview, "form": form},
        status=400 if form.errors else 200,
    )


def _follow_up_outcome(request, interview: Interview):
    form = FollowUpForm(request.POST or None, initial={"notes": interview.notes})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_follow_up(interview=interview, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, "Colloquio di monitoraggio registrato.")
            return redirect("people:detail", pk=interview.person_id)
    return render(
        request,
        "intake/follow_up.html",
        {"interview": interview, "form": form},
        status=400 if form.errors else 200,
    )


@capability_required(MANAGE_INTAKE)
def no_show(request, pk: int):
    interview = _interview_for(request, pk)
    if request.method == "POST":
        try:
            services.record_no_show(interview=interview, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Assenza registrata: la persona resta in coda.")
    return redirect("people:detail", pk=interview.person_id)

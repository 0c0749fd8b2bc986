from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_POST

from approdo.accounts.models import User
from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import MANAGE_ALL_AGENDAS, MANAGE_INTAKE, VIEW_PEOPLE
from approdo.people.permissions import person_or_403
from approdo.people.selectors import intake_queue
from approdo.ui.forms import show_errors_on_form
from approdo.ui.params import optional_id

from . import selectors, services
from .forms import BookingFilterForm, BookingForm, ClosureForm, FollowUpForm, OutcomeForm, SlotsForm
from .models import CalendarFeed, Closure, Interview, InterviewKind
from .permissions import can_manage_agenda_of, can_record_outcome


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


NEW_FEED_URL_KEY = "approdo_new_calendar_feed_url"


def _agenda_owner(request, user_id: int | None) -> User:
    operator = get_object_or_404(User, pk=user_id) if user_id else request.user
    if not can_manage_agenda_of(request.user, operator):
        raise PermissionDenied("Può gestire solo la propria agenda.")
    return operator


def _agenda_url(operator, request) -> str:
    if operator.pk == request.user.pk:
        return reverse("intake:agenda")
    return reverse("intake:agenda_of", args=[operator.pk])


def _week_asked(request) -> date:
    raw = request.GET.get("settimana")
    if not raw:
        return selectors.monday_of(timezone.localdate())
    try:
        return selectors.monday_of(date.fromisoformat(raw))
    except ValueError:
        raise BadRequest("Il parametro «settimana» deve essere una data (AAAA-MM-GG).") from None


@capability_required(MANAGE_INTAKE)
def agenda_view(request, user_id: int | None = None):
    operator = _agenda_owner(request, user_id)
    form = SlotsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opened = services.create_slots(operator=operator, **form.cleaned_data)
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, f"Aperti {len(opened.slots)} appuntamenti.")
            if opened.closed_days:
                skipped = ", ".join(
                    f"{day:%d/%m} ({why})" for day, why in sorted(opened.closed_days.items())
                )
                messages.info(request, f"Giorni saltati perché chiusi: {skipped}.")
            return redirect(request.get_full_path())
    return _render_agenda(request, operator, slots_form=form)


def _render_agenda(request, operator, *, slots_form=None, closure_form=None):
    monday = _week_asked(request)
    may_close_programme = request.user.can(MANAGE_ALL_AGENDAS)
    forms_with_errors = [f for f in (slots_form, closure_form) if f is not None and f.errors]
    return render(
        request,
        "intake/agenda.html",
        {
            "operator": operator,
            "own": operator.pk == request.user.pk,
            "form": slots_form or SlotsForm(),
            "closure_form": closure_form or ClosureForm(may_close_programme=may_close_programme),
            "week": selectors.week_agenda(operator=operator, monday=monday),
            "previous_week": monday - timedelta(days=7),
            "next_week": monday + timedelta(days=7),
            "this_week": selectors.monday_of(timezone.localdate()),
            "closures": selectors.upcoming_closures(operator),
            "may_close_programme": may_close_programme,
            "feed": CalendarFeed.objects.filter(operator=operator).first(),
            "new_feed_url": request.session.pop(NEW_FEED_URL_KEY, None)
            if operator.pk == request.user.pk
            else None,
            "operators": User.objects.filter(is_active=True).order_by("last_name")
            if may_close_programme
            else [],
        },
        status=400 if forms_with_errors else 200,
    )


@require_POST
@capability_required(MANAGE_INTAKE)
def add_closure(request, user_id: int | None = None):
    operator = _agenda_owner(request, user_id)
    may_close_programme = request.user.can(MANAGE_ALL_AGENDAS)
    form = ClosureForm(request.POST, may_close_programme=may_close_programme)
    if form.is_valid():
        data = form.cleaned_data
        try:
            added = services.add_closure(
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                reason=data["reason"],
                operator=None if data.get("whole_programme") else operator,
                by=request.user,
            )
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(
                request,
                f"Chiusura registrata: tolti {added.removed_slots} appuntamenti liberi.",
            )
            if added.interviews_to_move:
                booked = ", ".join(
                    f"{date_format(timezone.localtime(i.scheduled_at), 'd/m H:i')} ({i.operator})"
                    for i in added.interviews_to_move
                )
                messages.warning(
                    request,
                    f"Restano {len(added.interviews_to_move)} colloqui fissati in quei giorni, "
                    f"da spostare dalla scheda della persona: {booked}.",
                )
            return redirect(_agenda_url(operator, request))
    return _render_agenda(request, operator, closure_form=form)


@require_POST
@capability_required(MANAGE_INTAKE)
def remove_closure(request, pk: int):
    closure = get_object_or_404(Closure.objects.select_related("operator"), pk=pk)
    allowed = (
        request.user.can(MANAGE_ALL_AGENDAS)
        if closure.operator is None
        else can_manage_agenda_of(request.user, closure.operator)
    )
    if not allowed:
        raise PermissionDenied("Può togliere solo le chiusure della propria agenda.")
    services.remove_closure(closure=closure)
    messages.success(request, "Chiusura tolta: i giorni sono di nuovo aperti.")
    return redirect(_agenda_url(closure.operator or request.user, request))


@require_POST
@capability_required(MANAGE_INTAKE)
def calendar_feed(request, user_id: int | None = None):
    """Create (own agenda only) or revoke (also a coordinator, e.g. for a lost phone) the
    private calendar address."""
    operator = _agenda_owner(request, user_id)
    if request.POST.get("azione") == "revoca":
        services.revoke_calendar_feed(operator)
        messages.success(request, "Indirizzo del calendario revocato: non mostra più nulla.")
    elif operator.pk == request.user.pk:
        token = services.create_calendar_feed(operator)
        request.session[NEW_FEED_URL_KEY] = request.build_absolute_uri(
            reverse("intake:calendar_feed_ics", args=[token])
        )
    else:
        raise PermissionDenied("L'indirizzo del calendario lo crea solo il suo titolare.")
    return redirect(_agenda_url(operator, request))


@login_not_required
@require_GET
def calendar_feed_ics(request, token: str):
    """What a calendar app reads: the token in the address is the only credential."""
    found = services.read_calendar_feed(token)
    if found is None:
        raise Http404("Indirizzo del calendario non valido o revocato.")
    _, ics = found
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


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
    picker = BookingFilterForm(
        request.GET or None,
        operators=User.objects.filter(is_active=True, agenda_slots__starts_at__gte=timezone.now())
        .distinct()
        .order_by("last_name", "first_name"),
    )
    wanted = picker.filters()
    operator = request.user if follow_up else wanted.get("operator")
    slots = list(selectors.free_slots(operator=operator, day=wanted.get("day"))[:200])
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
            "picker": picker,
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

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import EDIT_PEOPLE, RUN_EVENTS
from approdo.audit.services import record_access
from approdo.core.ratelimit import allow, client_key
from approdo.people.permissions import person_or_403
from approdo.ui.forms import show_errors_on_form

from . import services
from .forms import (
    AttendanceImportForm,
    CancelSessionForm,
    EventForm,
    PersonRegistrationForm,
    PublicRegistrationForm,
    SessionForm,
    SpeakerForm,
)
from .models import Event, Registration, Session, Speaker
from .selectors import event_figures, events_with_counts, open_sessions, upcoming_sessions

PAGE_SIZE = 25
ATTENDANCE_PAGE_SIZE = 100


def _ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit()]


REGISTERED_SESSION_KEY = "evento_iscrizione"


@capability_required(RUN_EVENTS)
def event_list(request):
    page = Paginator(events_with_counts(), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "events/list.html", {"page": page})


@capability_required(RUN_EVENTS)
def event_form(request, pk: int | None = None):
    event = get_object_or_404(Event, pk=pk) if pk else None
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        if event is None:
            form.instance.created_by = request.user
        event = form.save()
        messages.success(request, "Evento salvato.")
        return redirect("events:detail", pk=event.pk)
    return render(
        request,
        "events/form.html",
        {"form": form, "title": str(event) if event else "Nuovo evento", "event": event},
        status=400 if form.errors else 200,
    )


@capability_required(RUN_EVENTS)
def event_detail(request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    return render(
        request,
        "events/detail.html",
        {"event": event, "figures": event_figures(event)},
    )


@capability_required(RUN_EVENTS)
def session_form(request, event_pk: int | None = None, pk: int | None = None):
    session = get_object_or_404(Session.objects.select_related("event"), pk=pk) if pk else None
    event = session.event if session else get_object_or_404(Event, pk=event_pk)
    form = SessionForm(request.POST or None, instance=session or Session(event=event))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_session(
                form.instance, speakers=form.cleaned_data["speakers"], by=request.user
            )
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, "Sessione salvata.")
            return redirect("events:detail", pk=event.pk)
    return render(
        request,
        "events/session_form.html",
        {"form": form, "event": event, "session": session},
        status=400 if form.errors else 200,
    )


@capability_required(RUN_EVENTS)
def session_cancel(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("event"), pk=pk)
    form = CancelSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            told = services.cancel_session(
                session, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, f"Sessione annullata: avvisati {told} iscritti.")
            return redirect("events:detail", pk=session.event_id)
    return render(
        request,
        "events/session_cancel.html",
        {"form": form, "session": session},
        status=400 if form.errors else 200,
    )


@capability_required(RUN_EVENTS)
def attendance(request, pk: int):
    """Who registered for a session; after it, who was there (by hand or from the video
    platform's report) and their certificates."""
    session = get_object_or_404(Session.objects.select_related("event"), pk=pk)
    import_form = AttendanceImportForm(prefix="rapporto")
    summary = None
    if request.method == "POST":
        try:
            if "rapporto-report" in request.FILES or "importa" in request.POST:
                import_form = AttendanceImportForm(request.POST, request.FILES, prefix="rapporto")
                if import_form.is_valid():
                    summary = services.import_attendance(
                        session=session,
                        content=import_form.cleaned_data["report"].read(),
                        by=request.user,
                    )
            else:
                count = services.record_attendance(
                    session=session,
                    shown_ids=_ids(request.POST.getlist("mostrati")),
                    present_ids=_ids(request.POST.getlist("presente")),
                    by=request.user,
                )
                messages.success(request, f"Presenze salvate: {count} presenti.")
                return redirect(request.get_full_path())
        except ValidationError as error:
            if import_form.is_bound:
                show_errors_on_form(import_form, error)
            else:
                messages.error(request, " ".join(error.messages))
    page = Paginator(
        services.active(session).select_related("person").order_by("last_name", "first_name", "pk"),
        ATTENDANCE_PAGE_SIZE,
    ).get_page(request.GET.get("pagina"))
    record_access(request=request, instance=session, detail="Elenco degli iscritti")
    return render(
        request,
        "events/attendance.html",
        {
            "session": session,
            "page": page,
            "import_form": import_form,
            "summary": summary,
        },
        status=400 if import_form.errors else 200,
    )


@require_POST
@capability_required(RUN_EVENTS)
def send_certificates(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("event"), pk=pk)
    try:
        sent = services.send_certificates(session=session, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Attestati: scritto a {sent} partecipanti.")
    return redirect("events:attendance", pk=pk)


def _certificate_response(registration: Registration) -> HttpResponse:
    try:
        pdf = services.certificate_pdf(registration)
    except ValidationError as error:
        raise Http404(" ".join(error.messages)) from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="attestato-{registration.pk}.pdf"'
    return response


@capability_required(RUN_EVENTS)
def certificate(request, pk: int):
    registration = get_object_or_404(Registration.objects.select_related("session__event"), pk=pk)
    record_access(
        request=request,
        instance=registration,
        detail="Attestato di partecipazione",
        person_id=registration.person_id,
    )
    return _certificate_response(registration)


@capability_required(RUN_EVENTS)
def speaker_list(request):
    form = SpeakerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Relatore aggiunto.")
        return redirect("events:speakers")
    page = Paginator(Speaker.objects.all(), 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "events/speakers.html",
        {"page": page, "form": form},
        status=400 if form.errors else 200,
    )


@capability_required(RUN_EVENTS)
def speaker_edit(request, pk: int):
    speaker = get_object_or_404(Speaker, pk=pk)
    form = SpeakerForm(request.POST or None, instance=speaker)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Relatore salvato.")
        return redirect("events:speakers")
    return render(
        request,
        "events/form.html",
        {"form": form, "title": str(speaker), "back": "events:speakers"},
        status=400 if form.errors else 200,
    )


@require_POST
@capability_required(EDIT_PEOPLE)
def register_person(request, person_pk: int):
    """An operator registers one of their people for a session, from the person's file."""
    person = person_or_403(request.user, person_pk, edit=True)
    form = PersonRegistrationForm(request.POST, sessions=upcoming_sessions(), prefix="evento")
    if not form.is_valid():
        messages.error(request, "Scelga una sessione tra quelle in programma.")
    elif not person.email:
        messages.error(request, "La persona non ha un indirizzo e-mail: lo aggiunga alla scheda.")
    else:
        session = form.cleaned_data["session"]
        try:
            services.register(
                event=session.event,
                session_ids=[session.pk],
                first_name=person.first_name,
                last_name=person.last_name,
                email=person.email,
                person=person,
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Iscritta/o a «{session.title}»: le arriva la conferma.")
    return redirect("people:detail", pk=person.pk)


# -- Public pages -----------------------------------------------------------------------------


@login_not_required
def public_registration(request, code: str):
    event = get_object_or_404(Event, code=code, published=True)
    sessions = list(open_sessions(event))
    form = PublicRegistrationForm(request.POST or None, sessions=sessions)
    status = 200
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            return redirect("events:public_registered", code=code)  # a program: nothing kept
        if allow(client_key(request, "eventi"), limit=20, window=timedelta(hours=1)):
            data = form.cleaned_data
            try:
                services.register(
                    event=event,
                    session_ids=[int(pk) for pk in data["sessions"]],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    organisation=data["organisation"],
                )
            except ValidationError as error:
                show_errors_on_form(form, error)
            else:
                request.session[REGISTERED_SESSION_KEY] = data["email"]
                return redirect("events:public_registered", code=code)
        else:
            form.add_error(
                None,
                "Troppe iscrizioni in poco tempo da questa connessione: riprovi tra un po'. "
                "I dati scritti sono rimasti nel modulo.",
            )
            status = 429
    return render(
        request,
        "events/public_registration.html",
        {"event": event, "sessions": sessions, "form": form},
        status=status if not form.errors or status != 200 else 400,
    )


@login_not_required
def public_registered(request, code: str):
    event = get_object_or_404(Event, code=code, published=True)
    return render(
        request,
        "events/public_registered.html",
        {"event": event, "email": request.session.get(REGISTERED_SESSION_KEY, "")},
    )


def _registrant(token: str) -> Registration:
    registration = Registration.objects.select_related("session__event").filter(token=token).first()
    if registration is None:
        raise Http404("Collegamento non valido.")
    return registration


@login_not_required
def registrant(request, token: str):
    """The registrant's own page (link in every e-mail): their sessions, to cancel or to
    download the certificate."""
    registration = _registrant(token)
    if request.method == "POST":
        if not allow(client_key(request, "eventi-pagina"), limit=60, window=timedelta(hours=1)):
            return HttpResponse("Troppe richieste: riprovi tra un po'.", status=429)
        chosen = (
            services.registrations_of(registration).filter(pk=request.POST.get("annulla")).first()
        )
        if chosen is not None:
            try:
                services.cancel_registration(chosen)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"Iscrizione a «{chosen.session.title}» annullata.")
        return redirect("events:registrant", token=token)
    return render(
        request,
        "events/registrant.html",
        {
            "event": registration.session.event,
            "registration": registration,
            "registrations": services.registrations_of(registration),
            "now": timezone.now(),
        },
    )


@login_not_required
def registrant_certificate(request, token: str, pk: int):
    registration = _registrant(token)
    chosen = services.registrations_of(registration).filter(pk=pk).first()
    if chosen is None:
        raise Http404("Attestato non trovato.")
    if not allow(client_key(request, "attestati"), limit=30, window=timedelta(hours=1)):
        return HttpResponse("Troppe richieste: riprovi tra un po'.", status=429)
    return _certificate_response(chosen)

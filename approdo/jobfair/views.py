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
from approdo.accounts.roles import RUN_EVENTS
from approdo.audit.services import record_access
from approdo.core.ratelimit import allow, client_key
from approdo.people.permissions import person_or_403
from approdo.ui.forms import show_errors_on_form

from . import services
from .forms import FairForm, PublicBookingForm, StaffBookingForm, StandForm
from .models import Booking, JobFair, Stand
from .selectors import (
    agenda,
    fair_figures,
    fairs_with_counts,
    free_slot_counts,
    free_slots,
    stands_with_counts,
)

PAGE_SIZE = 25
BOOKED_SESSION_KEY = "fiera_prenotazione"


@capability_required(RUN_EVENTS)
def fair_list(request):
    page = Paginator(fairs_with_counts(), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "jobfair/list.html", {"page": page})


@capability_required(RUN_EVENTS)
def fair_form(request, pk: int | None = None):
    fair = get_object_or_404(JobFair, pk=pk) if pk else None
    form = FairForm(request.POST or None, instance=fair)
    if request.method == "POST" and form.is_valid():
        if fair is None:
            form.instance.created_by = request.user
        fair = form.save()
        messages.success(request, "Fiera salvata.")
        return redirect("jobfair:detail", pk=fair.pk)
    return render(
        request,
        "jobfair/form.html",
        {"form": form, "title": str(fair) if fair else "Nuova fiera del lavoro", "fair": fair},
        status=400 if form.errors else 200,
    )


@capability_required(RUN_EVENTS)
def fair_detail(request, pk: int):
    fair = get_object_or_404(JobFair, pk=pk)
    page = Paginator(stands_with_counts(fair), 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "jobfair/detail.html",
        {"fair": fair, "page": page, "figures": fair_figures(fair)},
    )


@capability_required(RUN_EVENTS)
def stand_form(request, fair_pk: int | None = None, pk: int | None = None):
    stand = get_object_or_404(Stand.objects.select_related("fair"), pk=pk) if pk else None
    fair = stand.fair if stand else get_object_or_404(JobFair, pk=fair_pk)
    form = StandForm(request.POST or None, instance=stand or Stand(fair=fair), fair=fair)
    if request.method == "POST" and form.is_valid():
        try:
            stand = services.save_stand(
                form.instance, vacancies=form.cleaned_data.get("vacancies", ()), by=request.user
            )
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(
                request,
                "Stand salvato." if pk else "Stand creato: scelga il referente e le richieste.",
            )
            return redirect("jobfair:stand_edit" if not pk else "jobfair:agenda_staff", pk=stand.pk)
    return render(
        request,
        "jobfair/stand_form.html",
        {"form": form, "fair": fair, "stand": stand},
        status=400 if form.errors else 200,
    )


@capability_required(RUN_EVENTS)
def stand_agenda(request, pk: int):
    """The stand's agenda for the programme: book for a person, and after the fair record
    the meetings and turn them into candidacies."""
    stand = get_object_or_404(Stand.objects.select_related("fair", "company", "contact"), pk=pk)
    slots = agenda(stand)
    form = StaffBookingForm(
        request.POST or None,
        stand=stand,
        slots=[r.slot for r in slots if r.booking is None and r.slot.starts_at > timezone.now()],
        prefix="prenota",
    )
    if request.method == "POST" and form.is_valid():
        person = person_or_403(request.user, form.cleaned_data["person"].pk, edit=True)
        try:
            services.book(
                slot_id=int(form.cleaned_data["slot"]),
                first_name=person.first_name,
                last_name=person.last_name,
                email=person.email,
                vacancy_id=int(form.cleaned_data["vacancy"] or 0) or None,
                note=form.cleaned_data["note"],
                person=person,
                by=request.user,
            )
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, f"Incontro prenotato per {person}: le arriva la conferma.")
            return redirect("jobfair:agenda_staff", pk=pk)
    record_access(request=request, instance=stand, detail="Agenda dello stand")
    return render(
        request,
        "jobfair/stand_agenda.html",
        {"stand": stand, "slots": slots, "form": form, "now": timezone.now()},
        status=400 if form.errors else 200,
    )


@require_POST
@capability_required(RUN_EVENTS)
def send_agenda(request, pk: int):
    stand = get_object_or_404(Stand.objects.select_related("fair", "contact"), pk=pk)
    try:
        services.send_agenda_link(stand, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Collegamento all'agenda inviato a {stand.contact.email}.")
    return redirect("jobfair:agenda_staff", pk=pk)


@require_POST
@capability_required(RUN_EVENTS)
def booking_outcome(request, pk: int):
    booking = get_object_or_404(Booking.objects.select_related("slot"), pk=pk)
    try:
        if request.POST.get("candidatura"):
            candidacy = services.meeting_to_candidacy(booking=booking, by=request.user)
            messages.success(
                request, f"{candidacy.person} è ora nella selezione di «{candidacy.vacancy}»."
            )
        else:
            services.record_meeting(
                booking=booking, held=request.POST.get("svolto") == "si", by=request.user
            )
            messages.success(request, "Esito dell'incontro salvato.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("jobfair:agenda_staff", pk=booking.slot.stand_id)


# -- Public pages -----------------------------------------------------------------------------


@login_not_required
def public_fair(request, code: str):
    fair = get_object_or_404(JobFair, code=code, published=True)
    stands = fair.stands.select_related("company").prefetch_related("vacancies")
    free = free_slot_counts(fair)
    return render(
        request,
        "jobfair/public_fair.html",
        {"fair": fair, "stands": [(stand, free.get(stand.pk, 0)) for stand in stands]},
    )


@login_not_required
def public_stand(request, code: str, pk: int):
    fair = get_object_or_404(JobFair, code=code, published=True)
    stand = get_object_or_404(fair.stands.select_related("company"), pk=pk)
    form = PublicBookingForm(request.POST or None, stand=stand, slots=list(free_slots(stand)))
    status = 200
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            return redirect("jobfair:public_booked", code=code)
        if allow(client_key(request, "fiera"), limit=20, window=timedelta(hours=1)):
            data = form.cleaned_data
            try:
                services.book(
                    slot_id=int(data["slot"]),
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    vacancy_id=int(data["vacancy"] or 0) or None,
                    note=data["note"],
                )
            except ValidationError as error:
                show_errors_on_form(form, error)
            else:
                request.session[BOOKED_SESSION_KEY] = data["email"]
                return redirect("jobfair:public_booked", code=code)
        else:
            form.add_error(
                None,
                "Troppe prenotazioni in poco tempo da questa connessione: riprovi tra un po'. "
                "I dati scritti sono rimasti nel modulo.",
            )
            status = 429
    if form.errors and status == 200:
        status = 400
    return render(
        request,
        "jobfair/public_stand.html",
        {"fair": fair, "stand": stand, "form": form},
        status=status,
    )


@login_not_required
def public_booked(request, code: str):
    fair = get_object_or_404(JobFair, code=code, published=True)
    return render(
        request,
        "jobfair/public_booked.html",
        {"fair": fair, "email": request.session.get(BOOKED_SESSION_KEY, "")},
    )


@login_not_required
def booking_page(request, token: str):
    """The visitor's page for their booking (link in the e-mails): see it, cancel it."""
    booking = (
        Booking.objects.select_related("slot__stand__fair", "slot__stand__company", "vacancy")
        .filter(token=token)
        .first()
    )
    if booking is None:
        raise Http404("Collegamento non valido.")
    if request.method == "POST":
        if not allow(client_key(request, "fiera-pagina"), limit=60, window=timedelta(hours=1)):
            return HttpResponse("Troppe richieste: riprovi tra un po'.", status=429)
        try:
            services.cancel_booking(booking)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Incontro annullato: l'orario torna libero.")
        return redirect("jobfair:booking", token=token)
    return render(
        request,
        "jobfair/booking.html",
        {"booking": booking, "fair": booking.slot.stand.fair, "now": timezone.now()},
    )


@login_not_required
def company_agenda(request, token: str):
    """The company's agenda, from the link sent to its contact: who, when, about what."""
    stand = Stand.objects.select_related("fair", "company").filter(agenda_token=token).first()
    if stand is None:
        raise Http404("Collegamento non valido.")
    if not allow(client_key(request, "fiera-agenda"), limit=120, window=timedelta(hours=1)):
        return HttpResponse("Troppe richieste: riprovi tra un po'.", status=429)
    return render(request, "jobfair/company_agenda.html", {"stand": stand, "slots": agenda(stand)})

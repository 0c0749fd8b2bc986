from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import EDIT_PEOPLE, VIEW_PEOPLE
from approdo.audit.services import record_access
from approdo.comms.services import person_id_from_consent_token, person_id_from_unsubscribe_token
from approdo.core.ratelimit import allow, client_key
from approdo.people.choices import ConsentChannel
from approdo.people.consents import PURPOSES
from approdo.people.models import Person
from approdo.people.permissions import can_view_person
from approdo.people.services import set_consent, stop_mailings
from approdo.people.uploads import unservable_message
from approdo.places.geography import normalise
from approdo.places.models import Comune

from .forms import RegistrationForm
from .models import PendingDocument, PortalRegistration
from .services import decide_pending_document, pending_path, register_online

CONFIRMED_SESSION_KEY = "portal_confirmed_token"
# What a verified digital identity said of someone with no file yet (the area puts it there):
# the registration form starts from it.
PREFILL_SESSION_KEY = "portal_prefill"


@login_not_required
def register(request):
    # A copy: the form adds its own initial values.
    prefill = dict(request.session.get(PREFILL_SESSION_KEY) or {})
    form = RegistrationForm(request.POST or None, request.FILES or None, initial=prefill)
    status = 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:  # filled by a program: answered, not registered
            return _confirmation(request, form.cleaned_data.get("email"))
        if within_limits(request):
            registration = register_online(cleaned=form.cleaned_data)
            request.session.pop(PREFILL_SESSION_KEY, None)
            request.session[CONFIRMED_SESSION_KEY] = str(registration.submission_token)
            return redirect("portal:confirmation")
        form.add_error(
            None,
            "Sono arrivate troppe iscrizioni in poco tempo: attenda qualche minuto e invii di "
            "nuovo. I dati che ha scritto sono rimasti nel modulo.",
        )
        status = 429
    return render(
        request,
        "portal/register.html",
        {"form": form, "privacy_version": settings.PRIVACY_NOTICE_VERSION},
        status=status,
    )


def within_limits(request) -> bool:
    """Online registrations per address and overall (a flood of them is refused)."""
    return allow(
        client_key(request, "portale"),
        limit=settings.PORTAL_LIMIT_PER_ADDRESS,
        window=timedelta(hours=1),
    ) and allow("portale:tutti", limit=settings.PORTAL_LIMIT_OVERALL, window=timedelta(minutes=10))


@login_not_required
def confirmation(request):
    token = request.session.get(CONFIRMED_SESSION_KEY)
    if not token:
        return redirect("portal:register")
    registration = get_object_or_404(
        PortalRegistration.objects.select_related("person"), submission_token=token
    )
    return _confirmation(request, registration.submitted_data.get("email"))


def _confirmation(request, email):
    return render(
        request,
        "portal/confirmation.html",
        {"email": email, "promise_days": settings.FIRST_INTERVIEW_PROMISE_DAYS},
    )


@login_not_required
def privacy_notice(request):
    return render(
        request, "portal/privacy.html", {"privacy_version": settings.PRIVACY_NOTICE_VERSION}
    )


@login_not_required
def consents(request, token: str):
    """From the link in every e-mail: the person sees their consents and withdraws any."""
    person_id = person_id_from_consent_token(token)
    person = Person.objects.filter(pk=person_id, anonymised_at__isnull=True).first()
    if person is None:
        raise Http404("Collegamento non valido.")
    if request.method == "POST":
        purpose = request.POST.get("finalita", "")
        if purpose not in PURPOSES:
            raise BadRequest("Finalità di consenso sconosciuta.")
        if getattr(person, PURPOSES[purpose].field):
            set_consent(person=person, purpose=purpose, given=False, channel=ConsentChannel.EMAIL)
        messages.success(request, f"Consenso revocato: {PURPOSES[purpose].label.lower()}.")
        return redirect("portal:consents", token=token)
    return render(
        request,
        "portal/consents.html",
        {
            "purposes": [
                (purpose, getattr(person, purpose.field)) for purpose in PURPOSES.values()
            ],
        },
    )


@csrf_exempt  # the signed token is the credential; mail clients post without a form
@login_not_required
def unsubscribe(request, token: str):
    """One click from a mailing: no more mailings (RFC 8058 clients POST here by themselves;
    a browser gets a page with the button, so that a link scanner unsubscribes no one)."""
    person_id = person_id_from_unsubscribe_token(token)
    person = Person.objects.filter(pk=person_id, anonymised_at__isnull=True).first()
    if person is None:
        raise Http404("Collegamento non valido.")
    if request.method == "POST":
        if request.POST.get("azione") == "riattiva":
            stop_mailings(person=person, stop=False)
        else:
            stop_mailings(person=person, stop=True)
        person.refresh_from_db(fields=["mailing_opt_out_at"])
    return render(request, "portal/unsubscribe.html", {"person": person})


@require_GET
@login_not_required
def comune_suggestions(request):
    """Up to 15 comuni whose name starts with what was typed (for the datalist)."""
    # The input sends itself under its own field name.
    term = normalise(next(iter(request.GET.values()), ""))
    term = normalise(term.split("(")[0])
    comuni = Comune.objects.filter(search_name__startswith=term)[:15] if len(term) >= 2 else []
    return render(request, "portal/_comune_options.html", {"comuni": comuni})


@capability_required(VIEW_PEOPLE)
def pending_document(request, pk: int):
    """A document waiting with a repeated registration: staff only, and audited."""
    document = get_object_or_404(
        PendingDocument.objects.select_related("registration__person"), pk=pk, decision=""
    )
    person = document.registration.person
    if not can_view_person(request.user, person):
        raise PermissionDenied("Questa scheda è seguita da un altro gruppo.")
    if not document.servable:
        messages.error(request, unservable_message(document))
        return redirect("people:detail", pk=person.pk)
    record_access(
        request=request,
        instance=document,
        detail=f"Consultazione di un documento in attesa ({document.original_name})",
        person_id=person.pk,
    )
    response = FileResponse(
        open(pending_path(document), "rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@capability_required(EDIT_PEOPLE)
def pending_decision(request, pk: int):
    document = get_object_or_404(PendingDocument.objects.select_related("registration"), pk=pk)
    add = request.POST.get("decisione") == "aggiungi"
    try:
        decide_pending_document(document=document, add=add, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, "Documento aggiunto alla scheda." if add else "Documento scartato."
        )
    return redirect("people:detail", pk=document.registration.person_id)

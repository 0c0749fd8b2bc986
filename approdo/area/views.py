"""The person's own area. Its pages do not use the staff's login: a visit is an
AreaSession found through its own cookie (see services)."""

from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.timezone import localtime
from django.views.decorators.http import require_POST
from spid_cie_oidc.relying_party.views.rp_begin import SpidCieOidcRpBeginView
from spid_cie_oidc.relying_party.views.rp_callback import SpidCieOidcRpCallbackView

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import EDIT_PEOPLE
from approdo.core.ratelimit import allow, client_key
from approdo.intake.models import Interview
from approdo.people.choices import DocumentKind
from approdo.people.consents import PURPOSES
from approdo.people.models import DocumentVersion
from approdo.people.permissions import person_or_403
from approdo.portal.views import PREFILL_SESSION_KEY
from approdo.ui.forms import show_errors_on_form

from . import federation, profile, rules, selectors, services
from .forms import CancelForm, CvForm, LinkRequestForm, MessageForm, MoveForm, ProfileForm
from .models import AreaSession, DataDownload, ProfileChange


def _visitor(request) -> services.Visitor:
    return services.Visitor(
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )


def person_required(view):
    """An area page: the visit's session, or back to the login (saying why if it expired)."""

    @login_not_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = request.COOKIES.get(settings.AREA_COOKIE_NAME, "")
        session = services.session_of(token)
        if session is None:
            response = redirect("area:login")
            if token:
                messages.info(request, "La sessione è scaduta: entri di nuovo.")
                response.delete_cookie(settings.AREA_COOKIE_NAME, path="/")
            return response
        request.area_session = session
        request.area_person = session.person
        response = view(request, *args, **kwargs)
        response.headers["Cache-Control"] = "no-store"
        return response

    return wrapper


def _page(request, template: str, context: dict | None = None, *, status: int = 200):
    context = {"area_person": getattr(request, "area_person", None), **(context or {})}
    return render(request, template, context, status=status)


@login_not_required
def login(request):
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_login_link(
                email=form.cleaned_data["email"], connection_key=client_key(request, "area")
            )
        except services.TooManyRequests:
            form.add_error(None, "Troppe richieste da questa connessione: riprovi tra un'ora.")
            return _login_page(request, form, status=429)
        request.session["area_link_to"] = form.cleaned_data["email"]
        return redirect("area:link_sent")
    return _login_page(request, form)


def _login_page(request, form, *, status: int = 200):
    return _page(
        request,
        "area/login.html",
        {"form": form, "providers": federation.providers()},
        status=status,
    )


@login_not_required
def link_sent(request):
    return _page(
        request,
        "area/link_sent.html",
        {
            "email": request.session.get("area_link_to", ""),
            "minutes": int(rules.LINK_VALIDITY.total_seconds() // 60),
        },
    )


@login_not_required
def enter(request, token: str):
    """The link from the e-mail. Opening it shows a button: mail scanners that open links
    by themselves do not use up a single-use link."""
    if request.method == "POST":
        started = services.redeem_login_link(token=token, visitor=_visitor(request))
        if started is not None:
            _, session_token = started
            return _into_area(session_token)
    elif services.link_is_usable(token):
        return _page(request, "area/enter.html")
    return _page(request, "area/link_invalid.html", status=410)


def _into_area(session_token: str):
    response = redirect("area:home")
    response.set_cookie(
        settings.AREA_COOKIE_NAME,
        session_token,
        path="/",
        secure=settings.PRODUCTION,
        httponly=True,
        samesite="Lax",
    )
    return response


# SPID and CIE. The package's views do the protocol (trust chain, signed request, PKCE,
# tokens and their signatures, userinfo); Approdo takes over once the identity is verified.

FEDERATION_BEGINS_PER_HOUR = 30


class _Identified(Exception):
    """Raised from inside the package's callback with the verified claims, instead of
    logging a Django user in."""

    def __init__(self, claims: dict):
        super().__init__("identified")
        self.claims = claims


class _FederationBegin(SpidCieOidcRpBeginView):
    error_template = "area/federation_error.html"


class _FederationCallback(SpidCieOidcRpCallbackView):
    error_template = "area/federation_error.html"

    def user_reunification(self, user_attrs: dict):
        raise _Identified(user_attrs)

    def get(self, request, *args, **kwargs):
        if "error" in request.GET:
            # The provider's refusal, or anyone's link: a page of ours, none of its words.
            return _page(request, "area/federation_error.html", status=401)
        if any("\x00" in value for value in request.GET.values()):
            return _page(request, "area/federation_error.html", status=400)
        try:
            return super().get(request, *args, **kwargs)
        except _Identified as identified:
            return _federation_login(request, identified.claims)


@login_not_required
def federation_begin(request):
    provider_id = request.GET.get("provider", "")
    method = federation.method_of(provider_id)
    if method is None or request.GET.get("profile") != method:
        return _page(request, "area/federation_error.html", status=400)
    if not allow(
        client_key(request, "area-federation"),
        limit=FEDERATION_BEGINS_PER_HOUR,
        window=timedelta(hours=1),
    ):
        return _page(request, "area/federation_error.html", {"too_many": True}, status=429)
    return _FederationBegin.as_view()(request)


federation_callback = login_not_required(_FederationCallback.as_view())


def _federation_login(request, claims: dict):
    entered = federation.enter_with_identity(
        state=request.GET.get("state", ""), claims=claims, visitor=_visitor(request)
    )
    if isinstance(entered, federation.Unknown):
        request.session[PREFILL_SESSION_KEY] = entered.prefill
        messages.info(
            request,
            "Non abbiamo una scheda con il suo codice fiscale: si iscriva al programma. "
            "Abbiamo già scritto nel modulo i dati che ci ha dato la sua identità digitale.",
        )
        return redirect("portal:register")
    return _into_area(entered)


@login_not_required
def federation_entity_configuration(request):
    """Approdo's signed entity configuration, found by the configured address (not by the
    request's host, which a proxy may change)."""
    entity = federation.active_entity()
    if entity is None:
        raise Http404
    return HttpResponse(
        entity.entity_configuration_as_jws, content_type="application/entity-statement+jwt"
    )


@require_POST
@person_required
def logout(request):
    services.end_session(request.area_session, reason=AreaSession.EndReason.LOGOUT)
    response = redirect("area:login")
    response.delete_cookie(settings.AREA_COOKIE_NAME, path="/")
    messages.success(request, "È uscito dalla sua area personale.")
    return response


@require_POST
@person_required
def logout_everywhere(request):
    ended = services.end_every_session(request.area_person)
    response = redirect("area:login")
    response.delete_cookie(settings.AREA_COOKIE_NAME, path="/")
    messages.success(request, f"Sessioni chiuse su tutti i dispositivi: {ended}.")
    return response


@person_required
def home(request):
    appointments = list(selectors.appointments_of(request.area_person))
    for appointment in appointments:
        appointment.changeable = services.may_change(appointment)
    return _page(request, "area/home.html", {"appointments": appointments})


def _appointment(request, pk: int) -> Interview:
    interview = selectors.appointments_of(request.area_person).filter(pk=pk).first()
    if interview is None:
        raise Http404("Appuntamento non trovato.")
    return interview


@person_required
def move(request, pk: int):
    interview = _appointment(request, pk)
    slots = list(selectors.slots_for_moving(interview)[:60])
    form = MoveForm(request.POST or None, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.move_appointment(
                person=request.area_person, interview_id=pk, slot_id=form.cleaned_data["slot"]
            )
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(
                request,
                f"Appuntamento spostato al {localtime(moved.scheduled_at):%d/%m/%Y %H:%M}: le "
                "abbiamo "
                "mandato l'invito aggiornato per il calendario.",
            )
            return redirect("area:home")
    return _page(
        request,
        "area/move.html",
        {"interview": interview, "form": form, "changeable": services.may_change(interview)},
    )


@person_required
def cancel(request, pk: int):
    interview = _appointment(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_appointment(
                person=request.area_person, interview_id=pk, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, "Appuntamento annullato: il suo operatore è avvisato.")
            return redirect("area:home")
    return _page(
        request,
        "area/cancel.html",
        {"interview": interview, "form": form, "changeable": services.may_change(interview)},
    )


@person_required
def consents(request):
    person = request.area_person
    if request.method == "POST":
        purpose = request.POST.get("finalita", "")
        given = request.POST.get("azione") == "dai"
        try:
            services.change_consent(person=person, purpose=purpose, given=given)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            label = PURPOSES[purpose].label.lower()
            messages.success(
                request, f"Consenso {'dato' if given else 'revocato'}: {label}. Vale da subito."
            )
        return redirect("area:consents")
    person.refresh_from_db()
    return _page(
        request,
        "area/consents.html",
        {
            "purposes": [
                (purpose, getattr(person, purpose.field)) for purpose in PURPOSES.values()
            ],
            "notice_version": settings.PRIVACY_NOTICE_VERSION,
            "history": person.consents.order_by("-recorded_at")[:20],
        },
    )


@person_required
def inbox(request):
    person = request.area_person
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.write_to_case_manager(person=person, text=form.cleaned_data["text"])
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, "Messaggio inviato al suo operatore.")
            return redirect("area:inbox")
    page = Paginator(selectors.sent_messages(person), 20).get_page(request.GET.get("pagina"))
    return _page(
        request,
        "area/inbox.html",
        {
            "form": form,
            "page": page,
            "written": selectors.written_messages(person)[:20],
            "has_case_manager": bool(person.case_manager_id),
        },
    )


@person_required
def accesses(request):
    page = Paginator(selectors.access_history(request.area_person), 30).get_page(
        request.GET.get("pagina")
    )
    return _page(
        request,
        "area/accesses.html",
        {"page": page, "current": request.area_session},
    )


def _data_page(request, *, form=None, cv_form=None, status=200):
    person = request.area_person
    person.refresh_from_db()
    change = profile.waiting_change(person)
    cv = (
        DocumentVersion.objects.filter(document__person=person, document__kind=DocumentKind.CV)
        .order_by("-number")
        .first()
    )
    return _page(
        request,
        "area/data.html",
        {
            "form": form or ProfileForm(initial=profile.current_values(person)),
            "cv_form": cv_form or CvForm(),
            "waiting": profile.rows_of(change) if change else [],
            "cv": cv,
        },
        status=status,
    )


@person_required
def data(request):
    if request.method != "POST":
        return _data_page(request)
    form = ProfileForm(request.POST)
    if not form.is_valid():
        return _data_page(request, form=form, status=400)
    applied, waiting = profile.change_profile(person=request.area_person, cleaned=form.cleaned_data)
    if applied:
        messages.success(request, "Recapiti aggiornati.")
    if waiting:
        messages.info(
            request,
            "Le altre modifiche aspettano la conferma del suo operatore: fino ad allora le "
            "offerte di lavoro tengono conto dei dati di prima.",
        )
    if not applied and not waiting:
        messages.info(request, "Nessuna modifica da salvare.")
    return redirect("area:data")


@require_POST
@person_required
def upload_cv(request):
    cv_form = CvForm(request.POST, request.FILES)
    if cv_form.is_valid():
        try:
            services.upload_cv(person=request.area_person, uploaded_file=cv_form.cleaned_data["cv"])
        except ValidationError as error:
            show_errors_on_form(cv_form, error)
        else:
            messages.success(request, "Curriculum caricato: il suo operatore lo riceve.")
            return redirect("area:data")
    return _data_page(request, cv_form=cv_form, status=400)


@require_POST
@capability_required(EDIT_PEOPLE)
def decide_change(request, pk: int):
    """Staff: confirm or set aside what a person changed from the area."""
    change = get_object_or_404(ProfileChange, pk=pk)
    person = person_or_403(request.user, change.person_id, edit=True)
    accept = request.POST.get("conferma") == "si"
    try:
        profile.decide_change(change=change, accept=accept, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, "Modifiche riportate nella scheda." if accept else "Modifiche scartate."
        )
    return redirect("people:detail", pk=person.pk)


@person_required
def activities(request):
    person = request.area_person
    if request.method == "POST":
        try:
            if "corso" in request.POST:
                participation = services.join_course(
                    person=person, course_id=_number(request.POST["corso"])
                )
                messages.success(
                    request,
                    f"Iscrizione al corso «{participation.course.title}»: "
                    f"{participation.get_outcome_display().lower()}.",
                )
            else:
                [registration] = services.join_session(
                    person=person, session_id=_number(request.POST.get("sessione"))
                )
                messages.success(
                    request,
                    f"Iscrizione a «{registration.session.title}»: le abbiamo mandato la "
                    "conferma con l'appuntamento per il calendario.",
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("area:activities")
    return _page(
        request,
        "area/activities.html",
        {
            "surveys": selectors.open_surveys(person),
            "participations": selectors.participations_of(person),
            "courses": selectors.courses_to_join(person)[:20],
            "registrations": selectors.event_registrations_of(person),
            "sessions": selectors.sessions_to_join(person)[:20],
        },
    )


def _number(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@person_required
def my_data(request):
    """A copy of all the person's data: asked for here, written by the worker."""
    person = request.area_person
    if request.method == "POST":
        try:
            services.ask_for_data(person=person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, "La copia dei suoi dati è in preparazione: ricarichi la pagina tra poco."
            )
        return redirect("area:my_data")
    return _page(
        request,
        "area/my_data.html",
        {"downloads": person.area_downloads.all()[:5], "kept_days": rules.DOWNLOAD_KEPT.days},
    )


@person_required
def download(request, pk: int):
    found = services.usable_download(request.area_person, pk)
    if found is None:
        raise Http404("La copia non c'è più: ne chieda una nuova.")
    DataDownload.objects.filter(pk=found.pk).update(downloaded_at=timezone.now())
    return FileResponse(
        open(services.download_path(found), "rb"),
        as_attachment=True,
        filename=found.file_name,
        content_type="application/zip",
    )

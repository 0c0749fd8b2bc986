from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import EDIT_PEOPLE, RESTRICT_PROCESSING, VIEW_AUDIT, VIEW_PEOPLE
from approdo.audit.services import record_access
from approdo.core.paging import narrow_page
from approdo.occupations.models import Occupation
from approdo.ui.forms import show_errors_on_form
from approdo.ui.sections import sections_of
from approdo.ui.sorting import column_headers

from . import saved_searches, services
from .choices import Channel, ConsentChannel, Status
from .forms import (
    BreakGlassFilterForm,
    BreakGlassForm,
    ConsentForm,
    ContactAttemptForm,
    DocumentUploadForm,
    NewPersonForm,
    PersonFilterForm,
    PersonForm,
    ReassessmentForm,
    RestrictionForm,
    RightsRequestCloseForm,
    RightsRequestFilterForm,
    RightsRequestForm,
    SavedSearchForm,
    SensitiveNoteForm,
    StatusChangeForm,
    WorkExperienceForm,
)
from .identity import clean_fiscal_code
from .models import BREAK_GLASS_HOURS, DocumentVersion, Person, RightsRequest, SavedSearch
from .permissions import (
    can_edit_person,
    can_view_sensitive_notes,
    in_scope,
    person_or_403,
    visible_people,
)
from .selectors import (
    break_glass_accesses,
    consent_overview,
    filter_people,
    intake_queue,
    person_with_fiscal_code,
    rights_request_list,
    saved_searches_for,
)
from .timeline import person_timeline
from .uploads import unservable_message

PAGE_SIZE = 50


def _person_or_403(request, pk: int, *, edit: bool = False) -> Person:
    return person_or_403(
        request.user,
        pk,
        edit=edit,
        queryset=Person.objects.select_related(
            "residence_comune",
            "domicile_comune",
            "birth_comune",
            "team",
            "case_manager",
            "second_case_manager",
        ),
    )


def _form_errors_message(request, form) -> None:
    messages.error(
        request,
        "Non è stato salvato nulla: "
        + "; ".join(message for errors in form.errors.values() for message in errors),
    )


def _file_action(request, pk: int, form, act, *, allowed=None, refused: str = "") -> HttpResponse:
    """A form posted from the person's file: `act(person, cleaned_data)` calls the service and
    returns the success message; every outcome is a message on the file. `allowed(user,
    person)` adds a per-object rule to the right to edit the file."""
    person = _person_or_403(request, pk, edit=True)
    if allowed is not None and not allowed(request.user, person):
        raise PermissionDenied(refused)
    if not form.is_valid():
        _form_errors_message(request, form)
        return redirect("people:detail", pk=pk)
    try:
        message = act(person, form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if message:
            messages.success(request, message)
    return redirect("people:detail", pk=pk)


@capability_required(VIEW_PEOPLE)
def dashboard(request):
    queue = intake_queue()
    context = {
        "queue_count": queue.count(),
        "queue_overdue": queue.filter(
            registered_at__lt=timezone.now()
            - timezone.timedelta(days=settings.FIRST_INTERVIEW_PROMISE_DAYS)
        ).count(),
        "to_review": Person.objects.filter(needs_review=True).count(),
        "in_charge": Person.objects.filter(status=Status.IN_CARICO).count(),
        "my_interviews": request.user.interviews.filter(
            status="fissato", scheduled_at__gte=timezone.now()
        )
        .select_related("person")
        .order_by("scheduled_at")[:10],
        "sections": sections_of("desk", request, request.user),
    }
    return render(request, "people/dashboard.html", context)


@capability_required(VIEW_PEOPLE)
def person_list(request):
    return _person_list(request, request.GET)


# The people list's columns, and the sort key of those that sort.
PERSON_COLUMNS = [
    ("Persona", "nome"),
    ("Codice fiscale", None),
    ("Età", "eta"),
    ("Comune", "comune"),
    ("Cittadinanza", None),
    ("Stato", "stato"),
    ("Primo colloquio", None),
    ("Attesa (giorni)", "attesa"),
]


def _person_list(request, params, *, save_form=None):
    form = PersonFilterForm(params or None)
    people = visible_people(
        request.user, filter_people(**form.filters()) if form.is_bound else filter_people()
    )
    page = narrow_page(people, PAGE_SIZE, params.get("pagina"))
    # A whole fiscal code typed at the desk finds the file of another team too, to be
    # opened with a reason; names do not (no walking through other teams' people).
    elsewhere = None
    if form.is_valid() and not page.object_list:
        found = person_with_fiscal_code(clean_fiscal_code(form.cleaned_data["q"]))
        if found is not None and not in_scope(request.user, found):
            elsewhere = found
    context = {
        "form": form,
        "page": page,
        "elsewhere": elsewhere,
        "promise_days": settings.FIRST_INTERVIEW_PROMISE_DAYS,
        "columns": column_headers(params, PERSON_COLUMNS),
        "saved_searches": saved_searches_for(request.user),
        "save_form": save_form or SavedSearchForm(initial={"query": params.urlencode()}),
    }
    template = "people/_results.html" if request.htmx else "people/list.html"
    status = 400 if save_form is not None and save_form.errors else 200
    return render(request, template, context, status=status)


@require_POST
@capability_required(VIEW_PEOPLE)
def saved_search_save(request):
    form = SavedSearchForm(request.POST)
    query = request.POST.get("query", "")
    if form.is_valid():
        try:
            search = saved_searches.save_search(owner=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, f"Ricerca «{search.name}» salvata.")
            return redirect(f"{reverse('people:list')}?{search.query}")
    return _person_list(request, QueryDict(query), save_form=form)


@require_POST
@capability_required(VIEW_PEOPLE)
def saved_search_delete(request, pk: int):
    search = get_object_or_404(SavedSearch, pk=pk)
    saved_searches.delete_search(search=search, by=request.user)
    messages.success(request, f"Ricerca «{search.name}» eliminata.")
    return redirect("people:list")


@capability_required(VIEW_PEOPLE)
def person_detail(request, pk: int):
    person = _person_or_403(request, pk)
    record_access(
        request=request, instance=person, detail="Consultazione della scheda", person_id=person.pk
    )
    show_sensitive = can_view_sensitive_notes(request.user, person)
    documents = person.documents.prefetch_related("versions__uploaded_by")
    context = {
        "person": person,
        "timeline": person_timeline(person, include_sensitive=show_sensitive),
        "documents": documents,
        "experiences": person.experiences.all(),
        "desired_occupations": Occupation.objects.filter(pk__in=person.desired_occupations),
        "sections": sections_of("person", request, person),
        "can_edit": can_edit_person(request.user, person),
        "show_sensitive": show_sensitive,
        "status_form": StatusChangeForm(),
        "restriction_form": RestrictionForm(),
        "call_form": ContactAttemptForm(),
        "consent_form": ConsentForm(),
        "reassessment_form": ReassessmentForm(initial={"readiness": person.readiness}),
        "rights_form": RightsRequestForm(initial={"received_on": timezone.localdate()}),
        "rights_requests": rights_requests_of(person),
        "consents": consent_overview(person),
        "upload_form": DocumentUploadForm(),
        "note_form": SensitiveNoteForm(),
        "experience_form": WorkExperienceForm(),
        "unreachable": services.is_unreachable(person),
    }
    return render(request, "people/detail.html", context)


def rights_requests_of(person: Person) -> list[RightsRequest]:
    """The person's requests, each open one with its own closing form (ids of its own)."""
    requests = list(person.rights_requests.select_related("recorded_by", "closed_by"))
    for item in requests:
        item.close_form = RightsRequestCloseForm(auto_id=f"id_chiusura{item.pk}_%s")
    return requests


@capability_required(EDIT_PEOPLE)
def person_create(request):
    form = NewPersonForm(request.POST or None, user=request.user)
    already = None
    if request.method == "POST":
        form.is_valid()  # even with other errors, a known fiscal code points to its file
        already = person_with_fiscal_code(form.cleaned_data.get("fiscal_code"))
    if already is not None:
        form.add_error("fiscal_code", "Una persona con questo codice fiscale è già iscritta.")
    elif request.method == "POST" and form.is_valid():
        try:
            person = services.create_person(
                data=form.cleaned_data,
                channel=Channel.SPORTELLO,
                created_by=request.user,
                privacy_accepted=True,
                consents=form.given_consents(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Persona iscritta.")
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/form.html",
        {"form": form, "title": "Nuova iscrizione", "already_registered": already},
        status=400 if form.errors else 200,
    )


@capability_required(EDIT_PEOPLE)
def person_edit(request, pk: int):
    person = _person_or_403(request, pk, edit=True)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person_from_form(person=person, form=form)
        except services.EditConflict as conflict:
            form.ask_to_confirm(conflict.fields, conflict.current)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Scheda aggiornata.")
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/form.html",
        {"form": form, "person": person, "title": f"Modifica di {person}"},
        status=400 if form.errors else 200,
    )


@require_POST
@capability_required(EDIT_PEOPLE)
def person_status(request, pk: int):
    def change(person, data):
        services.change_status(person=person, by=request.user, **data)
        return "Stato aggiornato; la persona è stata informata via e-mail."

    return _file_action(request, pk, StatusChangeForm(request.POST), change)


@require_POST
@capability_required(RESTRICT_PROCESSING)
def person_restriction(request, pk: int):
    """Restrict the processing of a file (GDPR art. 18), or lift the restriction."""

    def act(person, data):
        if request.POST.get("azione") == "revoca":
            services.lift_processing_restriction(person=person)
            return "Limitazione revocata: la scheda torna negli abbinamenti e nelle e-mail."
        services.restrict_processing(person=person, reason=data["reason"])
        return "Trattamento limitato: la persona non è più proposta né contattata per e-mail."

    return _file_action(request, pk, RestrictionForm(request.POST), act)


@require_POST
@capability_required(EDIT_PEOPLE)
def person_consent(request, pk: int):
    """A consent given or withdrawn at the desk."""

    def record(person, data):
        services.set_consent(
            person=person,
            purpose=data["purpose"],
            given=data["given"],
            channel=ConsentChannel.SPORTELLO,
            by=request.user,
        )
        return "Consenso registrato." if data["given"] else "Revoca del consenso registrata."

    return _file_action(request, pk, ConsentForm(request.POST), record)


@require_POST
@capability_required(EDIT_PEOPLE)
def person_reassess(request, pk: int):
    def reassess(person, data):
        change = services.reassess_readiness(person=person, by=request.user, **data)
        return f"Nuova valutazione: {change.get_to_readiness_display().lower()}."

    return _file_action(request, pk, ReassessmentForm(request.POST), reassess)


@require_POST
@capability_required(EDIT_PEOPLE)
def rights_request_add(request, pk: int):
    def record(person, data):
        rights_request = services.record_rights_request(person=person, by=request.user, **data)
        return f"Richiesta registrata: da evadere entro il {rights_request.due_on:%d/%m/%Y}."

    return _file_action(request, pk, RightsRequestForm(request.POST), record)


@require_POST
@capability_required(EDIT_PEOPLE)
def rights_request_close(request, pk: int, request_id: int):
    rights_request = get_object_or_404(RightsRequest, pk=request_id, person_id=pk)

    def close(person, data):
        services.close_rights_request(rights_request=rights_request, by=request.user, **data)
        if rights_request.kind == "cancellazione" and data["status"] == "evasa":
            return "Cancellazione approvata: la scheda è stata anonimizzata."
        return "Richiesta chiusa."

    return _file_action(request, pk, RightsRequestCloseForm(request.POST), close)


@capability_required(VIEW_AUDIT)
def rights_requests(request):
    """The requests of the people about their data, the open ones by deadline."""
    form = RightsRequestFilterForm(request.GET or {"status": "aperta"})
    status = form.cleaned_data["status"] if form.is_valid() else "aperta"
    requests = rights_request_list(status=status)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "people/rights_requests.html",
        {"form": form, "page": page, "today": timezone.localdate()},
    )


@require_POST
@capability_required(EDIT_PEOPLE)
def person_call(request, pk: int):
    def record(person, data):
        services.record_contact_attempt(person=person, by=request.user, **data)
        if services.is_unreachable(person) and person.status != Status.FUORI_PROTOCOLLO:
            messages.warning(
                request,
                "Più di due telefonate senza risposta in orari diversi: la "
                "persona può essere messa fuori protocollo come irreperibile.",
            )
            return ""
        return "Telefonata registrata."

    return _file_action(request, pk, ContactAttemptForm(request.POST), record)


@require_POST
@capability_required(EDIT_PEOPLE)
def document_upload(request, pk: int):
    def store(person, data):
        services.store_document(
            person=person, kind=data["kind"], uploaded_file=data["file"], by=request.user
        )
        return "Documento caricato."

    return _file_action(request, pk, DocumentUploadForm(request.POST, request.FILES), store)


@capability_required(VIEW_PEOPLE)
def document_download(request, pk: int, version_id: int):
    person = _person_or_403(request, pk)
    version = get_object_or_404(
        DocumentVersion.objects.select_related("document"), pk=version_id, document__person=person
    )
    if not version.servable:
        messages.error(request, unservable_message(version))
        return redirect("people:detail", pk=pk)
    record_access(
        request=request,
        instance=version,
        detail=f"Scaricamento: {version.document.get_kind_display()} v{version.number}",
        person_id=person.pk,
    )
    response = FileResponse(
        open(services.document_path(version), "rb"),
        content_type=version.content_type,
        as_attachment=True,
        filename=version.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@capability_required(EDIT_PEOPLE)
def sensitive_note_add(request, pk: int):
    def add(person, data):
        services.add_sensitive_note(person=person, text=data["text"], by=request.user)
        return "Nota riservata registrata."

    return _file_action(
        request,
        pk,
        SensitiveNoteForm(request.POST),
        add,
        allowed=can_view_sensitive_notes,
        refused="Solo gli specialisti IPS scrivono note riservate.",
    )


@require_POST
@capability_required(EDIT_PEOPLE)
def registrations_reviewed(request, pk: int):
    person = _person_or_403(request, pk, edit=True)
    services.mark_registrations_reviewed(person=person, by=request.user)
    messages.success(request, "Iscrizioni ripetute verificate.")
    return redirect("people:detail", pk=pk)


@require_POST
@capability_required(EDIT_PEOPLE)
def experience_add(request, pk: int):
    def add(person, data):
        services.add_work_experience(person=person, data=data)
        return "Esperienza di lavoro aggiunta."

    return _file_action(request, pk, WorkExperienceForm(request.POST), add)


@capability_required(VIEW_PEOPLE)
def break_glass(request, pk: int):
    """Open a file outside one's team: say why; the reason goes to the log and the report."""
    person = get_object_or_404(Person, pk=pk)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    next_url = next_url or reverse("people:detail", args=[pk])
    if in_scope(request.user, person):
        return redirect(next_url)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.break_glass(request=request, person=person, reason=form.cleaned_data["reason"])
        return redirect(next_url)
    return render(
        request,
        "people/break_glass.html",
        {"person": person, "form": form, "next": next_url, "hours": BREAK_GLASS_HOURS},
        status=400 if form.errors else 403,
    )


@capability_required(VIEW_AUDIT)
def break_glass_report(request):
    """Files opened outside the reader's team, with the reasons given: for the coordinators."""
    form = BreakGlassFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "people/break_glass_report.html", {"form": form}, status=400)
    accesses = break_glass_accesses(**(form.cleaned_data if form.is_bound else {}))
    page = Paginator(accesses, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "people/break_glass_report.html", {"form": form, "page": page})

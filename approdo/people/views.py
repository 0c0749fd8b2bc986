from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import EDIT_PEOPLE, RESTRICT_PROCESSING, VIEW_PEOPLE
from approdo.audit.services import record_access
from approdo.occupations.models import Occupation
from approdo.ui.sections import sections_of

from . import services
from .choices import Channel, Status
from .forms import (
    ContactAttemptForm,
    DocumentUploadForm,
    PersonFilterForm,
    PersonForm,
    RestrictionForm,
    SensitiveNoteForm,
    StatusChangeForm,
    WorkExperienceForm,
)
from .models import DocumentVersion, Person
from .permissions import can_edit_person, can_view_person, can_view_sensitive_notes
from .selectors import filter_people, intake_queue, person_with_fiscal_code
from .timeline import person_timeline

PAGE_SIZE = 50


def _person_or_403(request, pk: int, *, edit: bool = False) -> Person:
    person = get_object_or_404(
        Person.objects.select_related("residence_comune", "domicile_comune", "birth_comune"), pk=pk
    )
    allowed = can_edit_person if edit else can_view_person
    if not allowed(request.user, person):
        raise PermissionDenied("Il suo ruolo non consente di accedere a questa scheda.")
    return person


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
    form = PersonFilterForm(request.GET or None)
    people = filter_people(**form.filters()) if form.is_bound else filter_people()
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("pagina"))
    context = {
        "form": form,
        "page": page,
        "promise_days": settings.FIRST_INTERVIEW_PROMISE_DAYS,
    }
    template = "people/_results.html" if request.htmx else "people/list.html"
    return render(request, template, context)


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
        "upload_form": DocumentUploadForm(),
        "note_form": SensitiveNoteForm(),
        "experience_form": WorkExperienceForm(),
        "unreachable": services.is_unreachable(person),
    }
    return render(request, "people/detail.html", context)


@capability_required(EDIT_PEOPLE)
def person_create(request):
    form = PersonForm(request.POST or None, user=request.user)
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

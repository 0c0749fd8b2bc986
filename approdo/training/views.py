"""The IPS service's pages: its caseloads, a path opened from the person's file, the path's
phases, employer contacts and closure. Special-category data: IPS specialists only."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import EDIT_PEOPLE, VIEW_SENSITIVE_NOTES
from approdo.audit.services import record_access
from approdo.people.permissions import person_or_403
from approdo.ui.forms import show_errors_on_form

from . import selectors, services
from .forms import CaseloadFilterForm, ClosePathForm, EmployerContactForm, OpenPathForm, PhaseForm
from .models import IPSPhase, ProgrammePath

PAGE_SIZE = 50


@capability_required(VIEW_SENSITIVE_NOTES)
def service(request):
    """The IPS service at a glance: capacity against the target, each specialist's
    caseload, the open paths."""
    form = CaseloadFilterForm(request.GET or None)
    paths = selectors.caseload_paths(**form.filters())
    return render(
        request,
        "training/ips_service.html",
        {
            "form": form,
            "capacity": selectors.service_capacity(),
            "caseloads": selectors.caseloads(),
            "caseload_limit": settings.IPS_CASELOAD_LIMIT,
            "phases": IPSPhase.choices,
            "page": Paginator(paths, PAGE_SIZE).get_page(request.GET.get("pagina")),
        },
    )


@capability_required(VIEW_SENSITIVE_NOTES)
def path_open(request, person_id: int):
    if not request.user.can(EDIT_PEOPLE):
        raise PermissionDenied("Il suo ruolo non consente di aprire un percorso.")
    person = person_or_403(request.user, person_id, edit=True)
    form = OpenPathForm(request.POST or None, initial={"specialist": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            path = services.open_ips_path(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, "Percorso IPS aperto.")
            return redirect("training:path", pk=path.pk)
    return render(
        request,
        "training/path_open.html",
        {"form": form, "person": person},
        status=400 if form.errors else 200,
    )


def _path_or_403(request, pk: int, *, edit: bool = False) -> ProgrammePath:
    path = get_object_or_404(
        ProgrammePath.objects.select_related("person", "specialist", "opened_by"), pk=pk
    )
    if edit and not request.user.can(EDIT_PEOPLE):
        raise PermissionDenied("Il suo ruolo non consente di modificare il percorso.")
    person_or_403(request.user, path.person_id, edit=edit)
    return path


@capability_required(VIEW_SENSITIVE_NOTES)
def path_detail(request, pk: int):
    return _render_path(request, _path_or_403(request, pk))


def _render_path(request, path: ProgrammePath, **forms):
    record_access(
        request=request, instance=path, detail="Lettura del percorso IPS", person_id=path.person_id
    )
    today = timezone.localdate()
    return render(
        request,
        "training/path.html",
        {
            "path": path,
            "phases": selectors.phase_history(path),
            "contacts": path.employer_contacts.select_related("company", "by"),
            "placements": selectors.placements_during(path),
            "can_edit": path.is_open and request.user.can(EDIT_PEOPLE),
            "phase_form": forms.get("phase_form") or PhaseForm(initial={"on": today}),
            "contact_form": forms.get("contact_form")
            or EmployerContactForm(initial={"contacted_on": today}),
            "close_form": forms.get("close_form") or ClosePathForm(initial={"end_on": today}),
        },
        status=400 if any(form.errors for form in forms.values()) else 200,
    )


def _post(request, pk: int, form_class, name: str, act, done: str, anchor: str):
    """A form of the path's page: acted on when valid, else the page with its errors."""
    path = _path_or_403(request, pk, edit=True)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(path, form.cleaned_data)
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, done)
            return redirect(reverse("training:path", args=[pk]) + anchor)
    return _render_path(request, path, **{name: form})


@require_POST
@capability_required(VIEW_SENSITIVE_NOTES)
def path_phase(request, pk: int):
    return _post(
        request,
        pk,
        PhaseForm,
        "phase_form",
        lambda path, data: services.move_phase(path=path, by=request.user, **data),
        "Fase del percorso aggiornata.",
        "#fasi",
    )


@require_POST
@capability_required(VIEW_SENSITIVE_NOTES)
def path_contact(request, pk: int):
    return _post(
        request,
        pk,
        EmployerContactForm,
        "contact_form",
        lambda path, data: services.record_employer_contact(path=path, data=data, by=request.user),
        "Contatto con il datore di lavoro registrato.",
        "#contatti",
    )


@require_POST
@capability_required(VIEW_SENSITIVE_NOTES)
def path_close(request, pk: int):
    return _post(
        request,
        pk,
        ClosePathForm,
        "close_form",
        lambda path, data: services.close_path(path=path, by=request.user, **data),
        "Percorso IPS chiuso.",
        "",
    )

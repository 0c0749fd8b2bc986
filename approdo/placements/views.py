from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import EDIT_PEOPLE, VIEW_PEOPLE
from approdo.matching.models import Candidacy
from approdo.people.permissions import person_or_403
from approdo.ui.forms import show_errors_on_form
from approdo.ui.params import optional_id

from . import selectors, services
from .forms import (
    EndEarlyForm,
    PlacementEditForm,
    PlacementFilterForm,
    PlacementForm,
    StageOutcomeForm,
    StipendForm,
)
from .models import Placement, StipendPayment
from .selectors import filter_placements, visible_placements

PAGE_SIZE = 50


@capability_required(VIEW_PEOPLE)
def placement_list(request):
    """Placements of the people the user reads, with the filters the export uses too."""
    form = PlacementFilterForm(request.GET or None)
    placements = visible_placements(request.user, filter_placements(**form.filters()))
    page = Paginator(placements, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "placements/list.html", {"form": form, "page": page})


@capability_required(EDIT_PEOPLE)
def placement_create(request, person_id: int):
    person = person_or_403(request.user, person_id, edit=True)
    candidacy = None
    initial = {}
    if candidacy_id := optional_id(request, "candidatura"):
        candidacy = get_object_or_404(
            Candidacy.objects.select_related("vacancy"), pk=candidacy_id, person=person
        )
        vacancy = candidacy.vacancy
        initial = {
            "company": vacancy.company_id,
            "vacancy": vacancy.pk,
            "placement_type": vacancy.placement_type,
            "contract": vacancy.contract,
            "weekly_hours": vacancy.weekly_hours,
            "job_title": vacancy.job_title,
            "occupation": vacancy.occupation_id,
            "start_on": vacancy.start_on,
        }
    form = PlacementForm(request.POST or None, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        extra = {
            name: data.pop(name)
            for name in ("company", "vacancy", "continues", "readmit", "move_out_as_working")
        }
        try:
            services.record_placement(
                person=person, data=data, by=request.user, candidacy=candidacy, **extra
            )
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, "Inserimento registrato.")
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "placements/form.html",
        {"form": form, "person": person, "candidacy": candidacy},
        status=400 if form.errors else 200,
    )


def _placement_or_403(request, pk: int, *, edit: bool = False) -> Placement:
    placement = get_object_or_404(
        Placement.objects.select_related("person", "company", "vacancy", "occupation"), pk=pk
    )
    person_or_403(request.user, placement.person_id, edit=edit)
    return placement


@capability_required(VIEW_PEOPLE)
def placement_detail(request, pk: int):
    """A placement and the chain it belongs to, with its later events (end, outcome)."""
    return _render_detail(request, _placement_or_403(request, pk))


def _render_detail(request, placement: Placement, *, stipend_form=None) -> HttpResponse:
    is_stage = placement.placement_type in services.STAGE_TYPES
    return render(
        request,
        "placements/detail.html",
        {
            "placement": placement,
            "chain": services.placement_chain(placement),
            "can_edit": request.user.can(EDIT_PEOPLE),
            "end_form": EndEarlyForm(initial={"ended_on": timezone.localdate()}),
            "outcome_form": StageOutcomeForm(initial={"outcome": placement.stage_outcome}),
            "is_stage": is_stage,
            "stipends": selectors.stipends_of(placement) if is_stage else None,
            "stipend_form": stipend_form
            or StipendForm(
                initial={"month": timezone.localdate(), "amount": placement.monthly_stipend}
            ),
        },
        status=400 if stipend_form is not None and stipend_form.errors else 200,
    )


@require_POST
@capability_required(EDIT_PEOPLE)
def stipend_record(request, pk: int):
    placement = _placement_or_403(request, pk, edit=True)
    if placement.placement_type not in services.STAGE_TYPES:
        messages.error(request, "L'indennità si registra solo per stage e tirocini.")
        return redirect("placements:detail", pk=pk)
    form = StipendForm(request.POST)
    if form.is_valid():
        try:
            payment = services.record_stipend(
                placement=placement, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, f"Indennità di {payment.month:%m/%Y} registrata.")
            return redirect(reverse("placements:detail", args=[pk]) + "#indennita")
    return _render_detail(request, placement, stipend_form=form)


@require_POST
@capability_required(EDIT_PEOPLE)
def stipend_remove(request, pk: int, payment_id: int):
    placement = _placement_or_403(request, pk, edit=True)
    payment = get_object_or_404(StipendPayment, pk=payment_id, placement=placement)
    services.remove_stipend(payment=payment)
    messages.success(request, f"Indennità di {payment.month:%m/%Y} tolta.")
    return redirect(reverse("placements:detail", args=[pk]) + "#indennita")


@capability_required(EDIT_PEOPLE)
def placement_edit(request, pk: int):
    placement = _placement_or_403(request, pk, edit=True)
    form = PlacementEditForm(request.POST or None, instance=placement)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_placement(
                placement=placement, data=form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(
                request, "Inserimento corretto." if changed else "Nessuna modifica da salvare."
            )
            return redirect("placements:detail", pk=pk)
    return render(
        request,
        "placements/edit.html",
        {"form": form, "placement": placement},
        status=400 if form.errors else 200,
    )


def _placement_action(request, pk: int, form, act) -> HttpResponse:
    placement = _placement_or_403(request, pk, edit=True)
    if not form.is_valid():
        messages.error(
            request,
            "Non è stato salvato nulla: "
            + "; ".join(message for errors in form.errors.values() for message in errors),
        )
    else:
        try:
            messages.success(request, act(placement, form.cleaned_data))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("placements:detail", pk=pk)


@require_POST
@capability_required(EDIT_PEOPLE)
def placement_end(request, pk: int):
    def end(placement, data):
        services.end_early(placement=placement, by=request.user, **data)
        return "Conclusione anticipata registrata."

    return _placement_action(request, pk, EndEarlyForm(request.POST), end)


@require_POST
@capability_required(EDIT_PEOPLE)
def placement_outcome(request, pk: int):
    def outcome(placement, data):
        services.record_stage_outcome(placement=placement, by=request.user, **data)
        return "Esito dello stage registrato."

    return _placement_action(request, pk, StageOutcomeForm(request.POST), outcome)

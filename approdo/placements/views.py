from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import EDIT_PEOPLE
from approdo.matching.models import Candidacy
from approdo.people.permissions import person_or_403
from approdo.ui.forms import show_errors_on_form
from approdo.ui.params import optional_id

from . import services
from .forms import PlacementForm


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

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import MANAGE_MATCHING, VIEW_COMPANIES
from approdo.ui.forms import show_errors_on_form

from .forms import OccupationForm
from .models import Occupation
from .services import save_occupation


@capability_required(VIEW_COMPANIES)
def occupation_list(request):
    return render(request, "occupations/list.html", {"occupations": Occupation.objects.all()})


@capability_required(MANAGE_MATCHING)
def occupation_edit(request, pk: int | None = None):
    occupation = get_object_or_404(Occupation, pk=pk) if pk else None
    initial = {}
    if occupation:
        initial = {
            "name": occupation.name,
            "isco_code": occupation.isco_code,
            "synonyms": occupation.synonyms,
            "active": occupation.active,
        }
    form = OccupationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_occupation(occupation=occupation, **form.cleaned_data)
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, "Vocabolario aggiornato.")
            return redirect("occupations:list")
    return render(
        request,
        "occupations/form.html",
        {"form": form, "occupation": occupation},
        status=400 if form.errors else 200,
    )

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import EDIT_COMPANIES, VIEW_COMPANIES
from approdo.ui.forms import show_errors_on_form
from approdo.ui.params import optional_id
from approdo.ui.sections import sections_of

from . import services
from .forms import VacancyFilterForm, VacancyForm, VacancyStatusForm
from .models import Vacancy
from .selectors import filter_vacancies


@capability_required(VIEW_COMPANIES)
def vacancy_list(request):
    form = VacancyFilterForm(request.GET or None)
    page = Paginator(filter_vacancies(**form.filters()), 50).get_page(request.GET.get("pagina"))
    return render(request, "vacancies/list.html", {"form": form, "page": page})


def _save(request, vacancy: Vacancy | None):
    initial = {}
    if vacancy is None and (company_id := optional_id(request, "azienda")):
        initial["company"] = company_id
    form = VacancyForm(request.POST or None, instance=vacancy, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name]
            for name in services.VACANCY_FIELDS
            if name in form.cleaned_data
        }
        try:
            vacancy = services.save_vacancy(
                vacancy=vacancy, data=data, requirements=form.requirements(), by=request.user
            )
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, "Richiesta di personale salvata.")
            return redirect("vacancies:detail", pk=vacancy.pk)
    title = f"Modifica: {vacancy}" if vacancy else "Nuova richiesta di personale"
    return render(
        request,
        "vacancies/form.html",
        {"form": form, "title": title, "vacancy": vacancy},
        status=400 if form.errors else 200,
    )


@capability_required(EDIT_COMPANIES)
def vacancy_create(request):
    return _save(request, None)


@capability_required(EDIT_COMPANIES)
def vacancy_edit(request, pk: int):
    return _save(request, get_object_or_404(Vacancy, pk=pk))


@capability_required(VIEW_COMPANIES)
def vacancy_detail(request, pk: int):
    vacancy = get_object_or_404(
        Vacancy.objects.select_related("company", "occupation", "workplace"), pk=pk
    )
    return render(
        request,
        "vacancies/detail.html",
        {
            "vacancy": vacancy,
            "requirements": vacancy.requirements.all(),
            "runs": vacancy.matching_runs.select_related("run_by")[:10],
            "sections": sections_of("vacancy", request, vacancy),
            "placements": vacancy.placements.select_related("person"),
            "filled": services.filled_positions(vacancy),
            "status_form": VacancyStatusForm(),
            "status_changes": vacancy.status_changes.select_related("changed_by"),
        },
    )


@require_POST
@capability_required(EDIT_COMPANIES)
def vacancy_status(request, pk: int):
    vacancy = get_object_or_404(Vacancy, pk=pk)
    form = VacancyStatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_vacancy_status(
                vacancy=vacancy,
                by=request.user,
                to_status=form.cleaned_data["to_status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Stato della richiesta aggiornato.")
    return redirect("vacancies:detail", pk=pk)

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import EDIT_COMPANIES, VIEW_COMPANIES
from approdo.ui.forms import show_errors_on_form
from approdo.ui.sections import sections_of

from . import services
from .forms import (
    BoardForm,
    CompanyFilterForm,
    CompanyForm,
    ContactForm,
    InteractionForm,
    SiteForm,
)
from .models import Company
from .sectors import search_sectors
from .selectors import board_members_on, filter_companies


def _errors(request, form_or_error) -> None:
    if isinstance(form_or_error, ValidationError):
        texts = form_or_error.messages
    else:
        texts = [m for errors in form_or_error.errors.values() for m in errors]
    messages.error(request, "Non è stato salvato nulla: " + "; ".join(texts))


@capability_required(VIEW_COMPANIES)
def company_list(request):
    form = CompanyFilterForm(request.GET or None)
    companies = filter_companies(**form.filters()) if form.is_bound else filter_companies()
    page = Paginator(companies, 50).get_page(request.GET.get("pagina"))
    return render(request, "companies/list.html", {"form": form, "page": page})


@capability_required(VIEW_COMPANIES)
def company_detail(request, pk: int):
    company = get_object_or_404(Company.objects.select_related("comune"), pk=pk)
    context = {
        "company": company,
        "in_board": board_members_on(timezone.localdate()).filter(company=company).exists(),
        "memberships": company.board_memberships.all(),
        "sites": company.sites.select_related("comune"),
        "contacts": company.contacts.all(),
        "interactions": company.interactions.select_related("operator"),
        "vacancies": company.vacancies.select_related("occupation", "workplace"),
        "placements": company.placements.select_related("person")[:50],
        "site_form": SiteForm(),
        "contact_form": ContactForm(),
        "interaction_form": InteractionForm(),
        "board_form": BoardForm(),
        "sections": sections_of("company", request, company),
    }
    return render(request, "companies/detail.html", context)


def _company_form_view(request, company: Company | None):
    initial = {}
    if company:
        initial = {name: getattr(company, name) for name in services.COMPANY_FIELDS}
        if company.ateco_code:
            initial["ateco_code"] = f"{company.ateco_code} – {company.ateco_title}"
        initial["vat_number"] = company.vat_number or ""
    form = CompanyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        ateco_code = data.pop("ateco_code")
        try:
            company = services.save_company(company=company, data=data, ateco_code=ateco_code)
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, "Scheda azienda salvata.")
            return redirect("companies:detail", pk=company.pk)
    title = f"Modifica di {company}" if company else "Nuova azienda"
    return render(
        request,
        "companies/form.html",
        {"form": form, "title": title, "company": company},
        status=400 if form.errors else 200,
    )


@capability_required(VIEW_COMPANIES)
def ateco_suggestions(request):
    """Activities for what is typed in the ATECO field (code or words), as <option>s."""
    text = request.GET.get("ateco_code", "")[:100]
    return render(request, "companies/_ateco_options.html", {"sectors": search_sectors(text)})


@capability_required(EDIT_COMPANIES)
def company_create(request):
    return _company_form_view(request, None)


@capability_required(EDIT_COMPANIES)
def company_edit(request, pk: int):
    return _company_form_view(request, get_object_or_404(Company, pk=pk))


@require_POST
@capability_required(EDIT_COMPANIES)
def company_add(request, pk: int, what: str):
    """Add a site, a contact or an interaction from the company page."""
    company = get_object_or_404(Company, pk=pk)
    handlers = {
        "sede": (SiteForm, services.add_site),
        "referente": (ContactForm, services.add_contact),
        "contatto": (InteractionForm, services.log_interaction),
    }
    if what not in handlers:
        raise Http404("Azione sconosciuta.")
    form_class, service = handlers[what]
    form = form_class(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect("companies:detail", pk=pk)
    extra = {"by": request.user} if what == "contatto" else {}
    try:
        service(company=company, data=form.cleaned_data, **extra)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, "Aggiunto alla scheda.")
    return redirect("companies:detail", pk=pk)


@require_POST
@capability_required(EDIT_COMPANIES)
def company_board(request, pk: int):
    company = get_object_or_404(Company, pk=pk)
    form = BoardForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect("companies:detail", pk=pk)
    try:
        if form.cleaned_data["action"] == "join":
            services.join_board(company=company, joined_on=form.cleaned_data["on"])
        else:
            services.leave_board(company=company, left_on=form.cleaned_data["on"])
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, "Board aggiornato.")
    return redirect("companies:detail", pk=pk)

"""Partner organisations: the list, a partner's record with its contacts, agreements and
the people it referred, and the referral recorded from the person's file."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import EDIT_PARTNERS, EDIT_PEOPLE, VIEW_PARTNERS
from approdo.people.permissions import person_or_403, visible_people
from approdo.ui.forms import show_errors_on_form
from approdo.ui.sections import sections_of

from . import services
from .forms import AgreementForm, ContactForm, PartnerFilterForm, PartnerForm, ReferralForm
from .models import Partner, Referral
from .selectors import partners_with_counts


@capability_required(VIEW_PARTNERS)
def partner_list(request):
    form = PartnerFilterForm(request.GET or None)
    partners = partners_with_counts(today=timezone.localdate(), **form.filters())
    page = Paginator(partners, 50).get_page(request.GET.get("pagina"))
    return render(request, "partners/list.html", {"form": form, "page": page})


def _render_detail(request, partner: Partner, **forms):
    today = timezone.localdate()
    # Only the referred people this user may read are named; the others are counted.
    referrals = Referral.objects.filter(partner=partner)
    named = referrals.filter(person__in=visible_people(request.user)).select_related(
        "person", "contact"
    )[:100]
    return render(
        request,
        "partners/detail.html",
        {
            "partner": partner,
            "contacts": partner.contacts.all(),
            "agreements": partner.agreements.select_related("recorded_by"),
            "today": today,
            "referrals": named,
            "referral_count": referrals.count(),
            "contact_form": forms.get("contact_form") or ContactForm(),
            "agreement_form": forms.get("agreement_form") or AgreementForm(),
            "sections": sections_of("partner", request, partner),
        },
        status=400 if any(form.errors for form in forms.values()) else 200,
    )


@capability_required(VIEW_PARTNERS)
def partner_detail(request, pk: int):
    return _render_detail(
        request, get_object_or_404(Partner.objects.select_related("comune"), pk=pk)
    )


def _partner_form_view(request, partner: Partner | None):
    initial = {name: getattr(partner, name) for name in services.PARTNER_FIELDS} if partner else {}
    form = PartnerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.save_partner(partner=partner, data=form.cleaned_data)
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, "Scheda del partner salvata.")
            return redirect("partners:detail", pk=partner.pk)
    return render(
        request,
        "partners/form.html",
        {
            "form": form,
            "partner": partner,
            "title": f"Modifica di {partner}" if partner else "Nuovo partner",
        },
        status=400 if form.errors else 200,
    )


@capability_required(EDIT_PARTNERS)
def partner_create(request):
    return _partner_form_view(request, None)


@capability_required(EDIT_PARTNERS)
def partner_edit(request, pk: int):
    return _partner_form_view(request, get_object_or_404(Partner, pk=pk))


@require_POST
@capability_required(EDIT_PARTNERS)
def partner_add(request, pk: int, what: str):
    """Add a contact or an agreement from the partner's page."""
    partner = get_object_or_404(Partner, pk=pk)
    handlers = {
        "referente": (ContactForm, "contact_form", services.add_contact, {}),
        "accordo": (AgreementForm, "agreement_form", services.add_agreement, {"by": request.user}),
    }
    if what not in handlers:
        raise Http404("Azione sconosciuta.")
    form_class, name, service, extra = handlers[what]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(partner=partner, data=form.cleaned_data, **extra)
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, "Aggiunto alla scheda del partner.")
            return redirect("partners:detail", pk=pk)
    return _render_detail(request, partner, **{name: form})


@capability_required(EDIT_PEOPLE)
def referral_add(request, person_id: int):
    """Record that a partner sent this person, from the person's file."""
    person = person_or_403(request.user, person_id, edit=True)
    if person.anonymised_at:
        raise PermissionDenied("La scheda è stata anonimizzata.")
    form = ReferralForm(request.POST or None, initial={"referred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.record_referral(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            sent = (
                f" Conferma inviata a {referral.confirmation_to}."
                if referral.confirmation_to
                else " Il partner non ha un indirizzo e-mail: nessuna conferma inviata."
            )
            messages.success(request, "Invio registrato." + sent)
            return redirect(reverse("people:detail", args=[person.pk]) + "#invii")
    return render(
        request,
        "partners/referral_form.html",
        {"form": form, "person": person},
        status=400 if form.errors else 200,
    )

"""Calls for grants: the calls, the applications entered by staff or sent from the public
form, the decisions, the instalments and the placements of the intermediaries' projects."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import MANAGE_FUNDS, RUN_PROJECTS, VIEW_PROJECTS
from approdo.audit.services import record_access
from approdo.core.ratelimit import allow, client_key
from approdo.people.permissions import can_view_person, visible_people
from approdo.people.uploads import unservable_message
from approdo.ui.forms import show_errors_on_form

from . import services
from .forms import (
    ApplicationForm,
    DecisionForm,
    GrantCallForm,
    PaidForm,
    PlacementLinkForm,
    PublicApplicationForm,
)
from .models import GrantApplication, GrantCall, GrantDocument, GrantInstalment, GrantKind
from .views import serve_stored_file

PUBLIC_LIMIT_PER_HOUR = 10


@capability_required(VIEW_PROJECTS)
def grant_call_list(request):
    calls = GrantCall.objects.all()
    return render(request, "projects/grant_calls.html", {"calls": calls})


def _grant_call_form(request, call: GrantCall | None):
    form = GrantCallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        call = form.save()
        messages.success(request, "Bando salvato.")
        return redirect("projects:grant_call", pk=call.pk)
    return render(
        request,
        "projects/form.html",
        {"form": form, "title": f"Modifica di {call}" if call else "Nuovo bando per contributi"},
        status=400 if form.errors else 200,
    )


@capability_required(MANAGE_FUNDS)
def grant_call_create(request):
    return _grant_call_form(request, None)


@capability_required(MANAGE_FUNDS)
def grant_call_edit(request, pk: int):
    return _grant_call_form(request, get_object_or_404(GrantCall, pk=pk))


@capability_required(VIEW_PROJECTS)
def grant_call_detail(request, pk: int):
    call = get_object_or_404(GrantCall, pk=pk)
    applications = call.applications.select_related("organisation")
    page = Paginator(applications, 50).get_page(request.GET.get("pagina"))
    return render(request, "projects/grant_call.html", {"call": call, "page": page})


@capability_required(RUN_PROJECTS)
def application_create(request, pk: int):
    call = get_object_or_404(GrantCall, pk=pk)
    form = ApplicationForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.submit_application(
                call=call,
                organisation=form.cleaned_data["organisation"],
                submitted_on=form.cleaned_data["submitted_on"],
                by=request.user,
                **form.application_fields(),
            )
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(
                request,
                "Domanda registrata: i requisiti sono verificati."
                if call.kind == GrantKind.OVER_55
                else "Domanda registrata.",
            )
            return redirect("projects:application", pk=application.pk)
    return render(
        request,
        "projects/form.html",
        {"form": form, "title": f"Nuova domanda: {call}"},
        status=400 if form.errors else 200,
    )


def _render_application(request, application: GrantApplication, **forms):
    if application.person_id:
        record_access(
            request=request,
            instance=application,
            detail=f"Consultazione della domanda di contributo n. {application.pk}",
            person_id=application.person_id,
        )
    return render(
        request,
        "projects/application.html",
        {
            "application": application,
            "call": application.call,
            "instalments": application.instalments.all(),
            "documents": application.documents.all(),
            "placements": application.placements.filter(
                person__in=visible_people(request.user)
            ).select_related("person", "company"),
            "decision_form": forms.get("decision_form") or DecisionForm(),
            "link_form": forms.get("link_form") or PlacementLinkForm(),
            "can_decide": request.user.can(MANAGE_FUNDS),
            # The hired person is named to those who may read their file.
            "person_visible": application.person_id
            and can_view_person(request.user, application.person),
            "can_run": request.user.can(RUN_PROJECTS),
        },
        status=400 if any(form.errors for form in forms.values()) else 200,
    )


def _application(pk: int) -> GrantApplication:
    return get_object_or_404(
        GrantApplication.objects.select_related("call", "organisation", "person"), pk=pk
    )


@capability_required(VIEW_PROJECTS)
def application_detail(request, pk: int):
    return _render_application(request, _application(pk))


@require_POST
@capability_required(MANAGE_FUNDS)
def application_decide(request, pk: int):
    application = _application(pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_application(
                application=application,
                admit=form.cleaned_data["admit"],
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, "Decisione registrata e comunicata all'ente per e-mail.")
            return redirect("projects:application", pk=pk)
    return _render_application(request, application, decision_form=form)


@require_POST
@capability_required(RUN_PROJECTS)
def application_link(request, pk: int):
    application = _application(pk)
    form = PlacementLinkForm(request.POST)
    if form.is_valid():
        try:
            services.link_application_placement(application=application, **form.cleaned_data)
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, "Inserimento collegato al progetto.")
            return redirect("projects:application", pk=pk)
    return _render_application(request, application, link_form=form)


@require_POST
@capability_required(MANAGE_FUNDS)
def instalment_paid(request, pk: int):
    instalment = get_object_or_404(GrantInstalment, pk=pk, paid_on__isnull=True)
    form = PaidForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Indichi una data di pagamento valida.")
        services.pay_instalment(instalment=instalment, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Rata pagata.")
    return redirect("projects:application", pk=instalment.application_id)


@capability_required(VIEW_PROJECTS)
def grant_document(request, pk: int):
    document = get_object_or_404(GrantDocument.objects.select_related("application"), pk=pk)
    if not document.servable:
        messages.error(request, unservable_message(document))
        return redirect("projects:application", pk=document.application_id)
    return serve_stored_file(
        request,
        document,
        detail=f"Consultazione di un documento della domanda n. {document.application_id}",
        person_id=document.application.person_id,
    )


# The public form


@login_not_required
def public_calls(request):
    today = timezone.localdate()
    calls = [
        call
        for call in GrantCall.objects.filter(public=True, opens_on__lte=today)
        if call.is_open_on(today)
    ]
    return render(request, "projects/public_calls.html", {"calls": calls})


@login_not_required
def public_apply(request, pk: int):
    call = get_object_or_404(GrantCall, pk=pk, public=True)
    if not call.is_open_on(timezone.localdate()):
        when = (
            f"chiuso il {call.deadline:%d/%m/%Y}"
            if call.deadline and call.deadline < timezone.localdate()
            else f"aperto dal {call.opens_on:%d/%m/%Y}"
        )
        return render(
            request, "projects/public_closed.html", {"call": call, "when": when}, status=410
        )
    form = PublicApplicationForm(request.POST or None, request.FILES or None, call=call)
    status = 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        if allow(
            client_key(request, "contributi"),
            limit=PUBLIC_LIMIT_PER_HOUR,
            window=timedelta(hours=1),
        ):
            try:
                application = services.submit_public_application(
                    call=call,
                    organisation_data=form.organisation_data(),
                    documents=form.documents(),
                    **form.application_fields(),
                )
            except ValidationError as error:
                show_errors_on_form(form, error)
            else:
                request.session["grant_application"] = application.pk
                return redirect("projects:public_done", pk=call.pk)
        else:
            form.add_error(
                None,
                "Sono arrivate troppe domande da questo indirizzo: riprovi tra un'ora. I dati "
                "scritti sono rimasti nel modulo.",
            )
            status = 429
    return render(
        request, "projects/public_apply.html", {"form": form, "call": call}, status=status
    )


@login_not_required
def public_done(request, pk: int):
    application_pk = request.session.get("grant_application")
    if not application_pk:
        raise Http404("Nessuna domanda inviata.")
    application = get_object_or_404(GrantApplication, pk=application_pk, call_id=pk)
    return render(request, "projects/public_done.html", {"application": application})

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import EDIT_PEOPLE, SEND_MAILINGS
from approdo.people.permissions import person_or_403
from approdo.people.services import stop_mailings
from approdo.ui.forms import show_errors_on_form

from . import selectors, services
from .forms import MailingForm, MailingTemplateForm, PreviewForm
from .models import Mailing, MailingTemplate

PAGE_SIZE = 25


@capability_required(SEND_MAILINGS)
def mailing_list(request):
    page = Paginator(selectors.mailings_with_counts(), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render(request, "mailings/list.html", {"page": page})


@capability_required(SEND_MAILINGS)
def mailing_create(request):
    initial = {"people_query": request.GET.get("filtri", "")}
    template = MailingTemplate.objects.filter(pk=_int(request.GET.get("modello"))).first()
    if template is not None:
        initial.update(subject=template.subject, body=template.body)
    form = MailingForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mailing = services.create_mailing(
                subject=data["subject"],
                body=data["body"],
                people_query=data["people_query"],
                search_name=data["search_name"],
                reply_to=data["reply_to"],
                rate_per_minute=data["rate_per_minute"],
                by=request.user,
            )
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, "Invio preparato: controlli l'anteprima, poi lo avvii.")
            return redirect("mailings:detail", pk=mailing.pk)
    return render(
        request,
        "mailings/form.html",
        {"form": form, "templates": MailingTemplate.objects.all(), "chosen": template},
        status=400 if form.errors else 200,
    )


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@capability_required(SEND_MAILINGS)
def mailing_detail(request, pk: int):
    mailing = get_object_or_404(Mailing, pk=pk)
    context = {"mailing": mailing, **_progress_context(mailing)}
    if mailing.state == Mailing.State.DRAFT:
        choices = selectors.preview_choices(mailing)
        form = PreviewForm(request.GET or None)
        form.fields["person"].choices = choices
        context["preview_form"] = form
        person_id = form.cleaned_data["person"] if form.is_valid() else None
        if person_id is None and choices:
            person_id = choices[0][0]
        if person_id is not None:
            context["preview"] = services.preview(mailing, person_id)
        if request.htmx:
            return render(request, "mailings/_preview.html", context)
    else:
        context["failed"] = selectors.failed_messages(mailing)[:50]
    return render(request, "mailings/detail.html", context)


def _progress_context(mailing: Mailing) -> dict:
    counts = services.progress(mailing)
    done = counts["sent"] + counts["failed"]
    to_send = done + counts["pending"]
    return {
        "counts": counts,
        "percent": round(100 * done / to_send) if to_send else 100,
        "done": done,
        "to_send": to_send,
    }


@capability_required(SEND_MAILINGS)
def mailing_progress(request, pk: int):
    mailing = get_object_or_404(Mailing, pk=pk)
    return render(
        request, "mailings/_progress.html", {"mailing": mailing, **_progress_context(mailing)}
    )


def _act(request, pk: int, action, done: str):
    mailing = get_object_or_404(Mailing, pk=pk)
    try:
        action(mailing)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("mailings:detail", pk=pk)


@require_POST
@capability_required(SEND_MAILINGS)
def mailing_send(request, pk: int):
    return _act(
        request,
        pk,
        lambda mailing: services.start_sending(mailing, by=request.user),
        "Invio avviato: i messaggi partono dal server, anche se chiude questa pagina.",
    )


@require_POST
@capability_required(SEND_MAILINGS)
def mailing_test(request, pk: int):
    return _act(
        request,
        pk,
        lambda mailing: services.send_test(mailing, to_user=request.user),
        f"Prova inviata a {request.user.email}.",
    )


@require_POST
@capability_required(SEND_MAILINGS)
def mailing_pause(request, pk: int):
    return _act(request, pk, services.pause, "Invio in pausa.")


@require_POST
@capability_required(SEND_MAILINGS)
def mailing_resume(request, pk: int):
    return _act(request, pk, services.resume, "Invio ripreso.")


@capability_required(SEND_MAILINGS)
def template_list(request):
    return render(request, "mailings/templates.html", {"templates": MailingTemplate.objects.all()})


@capability_required(SEND_MAILINGS)
def template_edit(request, pk: int | None = None):
    template = get_object_or_404(MailingTemplate, pk=pk) if pk else MailingTemplate()
    form = MailingTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_template(template=form.instance, by=request.user)
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, f"Modello «{template.name}» salvato.")
            return redirect("mailings:templates")
    return render(
        request,
        "mailings/template_form.html",
        {"form": form, "title": f"Modello «{template.name}»" if pk else "Nuovo modello"},
        status=400 if form.errors else 200,
    )


@require_POST
@capability_required(EDIT_PEOPLE)
def person_choice(request, pk: int):
    """At the desk: the person asks to receive mailings again, or to stop them."""
    person = person_or_403(request.user, pk, edit=True)
    stop = request.POST.get("ricevere") != "si"
    stop_mailings(person=person, stop=stop)
    messages.success(
        request,
        "Non riceverà più le comunicazioni." if stop else "Riceverà di nuovo le comunicazioni.",
    )
    return redirect("people:detail", pk=person.pk)

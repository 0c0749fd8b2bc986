from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from approdo.accounts.models import User
from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import MANAGE_INCIDENTS, VIEW_AUDIT
from approdo.ui.params import optional_id

from .forms import IncidentForm
from .models import Incident, SecurityAlert
from .selectors import ACTION_LABELS, audit_entries, readable_entries


class AuditFilterForm(forms.Form):
    actor = forms.ModelChoiceField(
        label="Utente", queryset=User.objects.order_by("last_name"), required=False
    )
    action = forms.TypedChoiceField(
        label="Azione",
        choices=[("", "Tutte"), *ACTION_LABELS.items()],
        coerce=int,
        required=False,
        empty_value=None,
    )
    person = forms.IntegerField(label="ID persona", required=False, min_value=1)
    day_from = forms.DateField(
        label="Dal", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    day_to = forms.DateField(
        label="Al", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@capability_required(VIEW_AUDIT)
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(
        actor_id=filters.get("actor").pk if filters.get("actor") else None,
        action=filters.get("action"),
        person_id=filters.get("person"),
        day_from=filters.get("day_from"),
        day_to=filters.get("day_to"),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("pagina"))
    readable_entries(page.object_list, request.user)
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "action_labels": ACTION_LABELS},
    )


@capability_required(MANAGE_INCIDENTS)
def incident_list(request):
    return render(
        request,
        "audit/incidents.html",
        {"incidents": Incident.objects.select_related("recorded_by")[:200]},
    )


@capability_required(MANAGE_INCIDENTS)
def incident_form(request, pk: int | None = None):
    incident = get_object_or_404(Incident, pk=pk) if pk else None
    form = IncidentForm(request.POST or None, instance=incident)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if incident is None:
            saved.recorded_by = request.user
        saved.save()
        messages.success(request, "Violazione registrata.")
        return redirect("audit:incidents")
    title = f"Modifica: {incident}" if incident else "Nuova violazione di dati"
    return render(
        request,
        "audit/incident_form.html",
        {"form": form, "title": title},
        status=400 if form.errors else 200,
    )


@capability_required(MANAGE_INCIDENTS)
def alert_list(request):
    """Security alerts (unusual volumes), newest first; an administrator marks them as seen."""
    if request.method == "POST":
        alert = get_object_or_404(SecurityAlert, pk=optional_id(request, "allarme") or 0)
        if alert.seen_at is None:
            alert.seen_by, alert.seen_at = request.user, timezone.now()
            alert.save(update_fields=["seen_by", "seen_at"])
        messages.success(request, "Allarme segnato come visto.")
        return redirect("audit:alerts")
    alerts = SecurityAlert.objects.select_related("user", "seen_by")
    page = Paginator(alerts, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "audit/alerts.html",
        {
            "page": page,
            "read_alert_count": settings.READ_ALERT_COUNT,
            "read_alert_minutes": settings.READ_ALERT_MINUTES,
            "export_alert_rows": settings.EXPORT_ALERT_ROWS,
        },
    )

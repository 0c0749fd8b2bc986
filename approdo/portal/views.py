from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from approdo.core.ratelimit import allow, client_key
from approdo.places.geography import normalise
from approdo.places.models import Comune

from .forms import RegistrationForm
from .models import PortalRegistration
from .services import register_online

CONFIRMED_SESSION_KEY = "portal_confirmed_token"


@login_not_required
def register(request):
    form = RegistrationForm(request.POST or None, request.FILES or None)
    status = 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:  # filled by a program: answered, not registered
            return _confirmation(request, form.cleaned_data.get("email"))
        if within_limits(request):
            registration = register_online(cleaned=form.cleaned_data)
            request.session[CONFIRMED_SESSION_KEY] = str(registration.submission_token)
            return redirect("portal:confirmation")
        form.add_error(
            None,
            "Sono arrivate troppe iscrizioni in poco tempo: attenda qualche minuto e invii di "
            "nuovo. I dati che ha scritto sono rimasti nel modulo.",
        )
        status = 429
    return render(
        request,
        "portal/register.html",
        {"form": form, "privacy_version": settings.PRIVACY_NOTICE_VERSION},
        status=status,
    )


def within_limits(request) -> bool:
    """Online registrations per address and overall (a flood of them is refused)."""
    return allow(
        client_key(request, "portale"),
        limit=settings.PORTAL_LIMIT_PER_ADDRESS,
        window=timedelta(hours=1),
    ) and allow("portale:tutti", limit=settings.PORTAL_LIMIT_OVERALL, window=timedelta(minutes=10))


@login_not_required
def confirmation(request):
    token = request.session.get(CONFIRMED_SESSION_KEY)
    if not token:
        return redirect("portal:register")
    registration = get_object_or_404(
        PortalRegistration.objects.select_related("person"), submission_token=token
    )
    return _confirmation(request, registration.submitted_data.get("email"))


def _confirmation(request, email):
    return render(
        request,
        "portal/confirmation.html",
        {"email": email, "promise_days": settings.FIRST_INTERVIEW_PROMISE_DAYS},
    )


@login_not_required
def privacy_notice(request):
    return render(
        request, "portal/privacy.html", {"privacy_version": settings.PRIVACY_NOTICE_VERSION}
    )


@require_GET
@login_not_required
def comune_suggestions(request):
    """Up to 15 comuni whose name starts with what was typed (for the datalist)."""
    # The input sends itself under its own field name.
    term = normalise(next(iter(request.GET.values()), ""))
    term = normalise(term.split("(")[0])
    comuni = Comune.objects.filter(search_name__startswith=term)[:15] if len(term) >= 2 else []
    return render(request, "portal/_comune_options.html", {"comuni": comuni})

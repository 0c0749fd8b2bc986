from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from approdo.core.ratelimit import client_key

from . import services
from .forms import (
    EnrolmentStepForm,
    PasswordResetRequestForm,
    PasswordStepForm,
    StaffUserForm,
    TeamForm,
    TokenStepForm,
)
from .models import Team, User
from .permissions import capability_required
from .roles import MANAGE_USERS


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_not_required
def home(request):
    if request.user.is_authenticated and request.user.is_verified():
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/home.html")


@login_not_required
def login_view(request):
    form = PasswordStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address, username = client_key(request, "accesso"), form.cleaned_data["username"]
        if services.too_many_failed_logins(address, username):
            return render(request, "accounts/locked_out.html", status=429)
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return render(request, "accounts/locked_out.html", status=429)
        if user is None:
            services.count_failed_login(address, username)
            form.add_error(None, "Nome utente o password non corretti.")
        else:
            request.session.cycle_key()
            request.session[services.PENDING_USER_KEY] = user.pk
            return redirect(f"{reverse('accounts:token')}?next={_safe_next(request)}")
    demo_logins = (
        User.objects.filter(is_active=True)
        .exclude(username__startswith="gestionale-")
        .order_by("role", "username")[:10]
        if settings.DEMO_PASSWORD
        else []
    )
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": _safe_next(request),
            "demo_logins": demo_logins,
            "settings_demo_password": settings.DEMO_PASSWORD,
        },
    )


@login_not_required
def token_view(request):
    user = User.objects.filter(
        pk=request.session.get(services.PENDING_USER_KEY), is_active=True
    ).first()
    if user is None:
        messages.info(request, "Inserisca prima nome utente e password.")
        return redirect("accounts:login")
    enrolling = services.confirmed_totp_device(user) is None
    needs_code = enrolling and bool(user.enrolment_code)
    form = (EnrolmentStepForm if needs_code else TokenStepForm)(request.POST or None)
    if (
        needs_code
        and form.is_valid()
        and not services.enrolment_code_accepted(user, form.cleaned_data["enrolment_code"])
    ):
        form.add_error("enrolment_code", "Codice di attivazione non valido.")
        services.count_failed_login(client_key(request, "accesso"), user.username)
    if request.method == "POST" and form.is_valid() and services.second_factor_throttled(user):
        form.add_error(
            "token",
            "Troppi codici errati di seguito: attenda qualche secondo e "
            "riprovi con il codice nuovo.",
        )
    elif request.method == "POST" and form.is_valid():
        if services.verify_second_factor(request, user, form.cleaned_data["token"]):
            return redirect(_safe_next(request))
        if getattr(request, "axes_locked_out", False):
            return render(request, "accounts/locked_out.html", status=429)
        if services.PENDING_USER_KEY not in request.session:
            messages.error(request, "Troppi codici errati: ripeta l'accesso.")
            return redirect("accounts:login")
        form.add_error("token", "Codice non valido o scaduto: controlli l'ora del telefono.")
    context = {"form": form, "enrolling": enrolling, "next": _safe_next(request)}
    if enrolling:
        device = services.pending_totp_device(user)
        context["qr_svg"] = services.totp_qr_svg(device)
        context["secret"] = services.totp_secret_base32(device)
    return render(request, "accounts/token.html", context)


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, "È uscito da Approdo.")
    return redirect("accounts:login")


@require_POST
def renew_session(request):
    """Any request renews the session (SESSION_SAVE_EVERY_REQUEST); this one does nothing
    else, for the "stay connected" button of the warning shown before the session ends."""
    return HttpResponse(status=204)


@require_POST
def logout_everywhere_view(request):
    services.logout_everywhere(request.user)
    logout(request)
    messages.success(request, "Tutte le sessioni aperte sono state chiuse.")
    return redirect("accounts:login")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("people:dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        User.objects.filter(pk=self.request.user.pk).update(must_change_password=False)
        messages.success(self.request, "Password aggiornata.")
        return response


@login_not_required
def programme_logo(request):
    if not settings.PROGRAMME_LOGO:
        raise Http404
    return FileResponse(open(settings.PROGRAMME_LOGO, "rb"))


@login_not_required
def csrf_failure(request, reason=""):
    return render(request, "accounts/csrf_failure.html", status=403)


@login_not_required
def bad_request(request, exception=None):
    return render(request, "400.html", {"message": str(exception or "")}, status=400)


@login_not_required
def forbidden(request, exception=None):
    message = (
        str(exception)
        if exception and str(exception)
        else ("Il suo ruolo non consente di aprire questa pagina.")
    )
    return render(request, "403.html", {"message": message}, status=403)


ACCESS_REVIEW_DAYS = 92  # every quarter


@capability_required(MANAGE_USERS)
def user_list(request):
    if request.method == "POST":
        services.record_access_review(by=request.user)
        messages.success(request, "Revisione degli accessi registrata.")
        return redirect("accounts:users")
    users = (
        User.objects.order_by("last_name", "first_name")
        .select_related("team")
        .prefetch_related("totpdevice_set")
    )
    review = services.last_access_review()
    return render(
        request,
        "accounts/users.html",
        {
            "users": users,
            "last_review": review,
            "review_due": review is None
            or timezone.now() - review.timestamp > timedelta(days=ACCESS_REVIEW_DAYS),
            "unused_after": timezone.now() - timedelta(days=services.UNUSED_ACCOUNT_DAYS - 30),
        },
    )


@capability_required(MANAGE_USERS)
def user_create(request):
    form = StaffUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password = services.generate_temporary_password()
        data = {key: value for key, value in form.cleaned_data.items() if key != "is_active"}
        user, _ = services.create_staff_user(password=password, **data)
        User.objects.filter(pk=user.pk).update(must_change_password=True)
        code = services.new_enrolment_code(user)
        messages.success(
            request,
            f"Utente {user.username} creato. Da comunicare di persona: la password "
            f"provvisoria {password} (da cambiare al primo accesso) e il codice di "
            f"attivazione {code} (per configurare la app di autenticazione).",
        )
        return redirect("accounts:users")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "title": "Nuovo utente"},
        status=400 if form.errors else 200,
    )


@capability_required(MANAGE_USERS)
def user_edit(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    initial = {field: getattr(user, field) for field in StaffUserForm.base_fields}
    form = StaffUserForm(request.POST or None, initial=initial, editing=user)
    if request.method == "POST" and form.is_valid():
        if user == request.user and not form.cleaned_data["is_active"]:
            form.add_error("is_active", "Non può disattivare il proprio account.")
        else:
            data = {key: value for key, value in form.cleaned_data.items() if key != "username"}
            services.update_staff_user(user=user, **data)
            messages.success(request, "Utente aggiornato.")
            return redirect("accounts:users")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "title": f"Utente {user.username}", "edited": user},
        status=400 if form.errors else 200,
    )


@require_POST
@capability_required(MANAGE_USERS)
def user_reset_second_factor(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    code = services.reset_second_factor(user=user, by=request.user)
    messages.success(
        request,
        f"Verifica in due passaggi azzerata: {user.username} configurerà una nuova app al "
        f"prossimo accesso con il codice di attivazione {code}, da comunicare di persona.",
    )
    return redirect("accounts:users")


@require_POST
@capability_required(MANAGE_USERS)
def user_unlock(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    services.unlock(user=user, by=request.user)
    messages.success(request, f"Accesso sbloccato per {user.username}.")
    return redirect("accounts:users")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Whether the address has an account or not, the same answer (nothing to learn)."""

    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A link good for an hour and once (the token changes with the password)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        User.objects.filter(pk=form.user.pk).update(must_change_password=False)
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@capability_required(MANAGE_USERS)
def team_list(request, pk: int | None = None):
    """The programme's teams (desks, the IPS service), and the form to add or rename one."""
    team = get_object_or_404(Team, pk=pk) if pk is not None else None
    form = TeamForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Gruppo «{form.instance}» salvato.")
        return redirect("accounts:teams")
    teams = Team.objects.annotate(member_count=Count("members")).order_by("name")
    return render(
        request,
        "accounts/teams.html",
        {"teams": teams, "form": form, "edited": team},
        status=400 if form.errors else 200,
    )

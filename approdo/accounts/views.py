from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth import views as auth_views
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import services
from .forms import PasswordStepForm, TokenStepForm
from .models import User


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def home(request):
    if request.user.is_authenticated and request.user.is_verified():
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/home.html")


def login_view(request):
    form = PasswordStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return render(request, "accounts/locked_out.html", status=429)
        if user is None:
            form.add_error(None, "Nome utente o password non corretti.")
        else:
            request.session.cycle_key()
            request.session[services.PENDING_USER_KEY] = user.pk
            return redirect(f"{reverse('accounts:token')}?next={_safe_next(request)}")
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request)})


def token_view(request):
    user = User.objects.filter(
        pk=request.session.get(services.PENDING_USER_KEY), is_active=True
    ).first()
    if user is None:
        messages.info(request, "Inserisca prima nome utente e password.")
        return redirect("accounts:login")
    enrolling = services.confirmed_totp_device(user) is None
    form = TokenStepForm(request.POST or None)
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
def logout_everywhere_view(request):
    services.logout_everywhere(request.user)
    logout(request)
    messages.success(request, "Tutte le sessioni aperte sono state chiuse.")
    return redirect("accounts:login")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("people:dashboard")

    def form_valid(self, form):
        messages.success(self.request, "Password aggiornata.")
        return super().form_valid(form)


def programme_logo(request):
    if not settings.PROGRAMME_LOGO:
        raise Http404
    return FileResponse(open(settings.PROGRAMME_LOGO, "rb"))


def csrf_failure(request, reason=""):
    return render(request, "accounts/csrf_failure.html", status=403)


def forbidden(request, exception=None):
    message = (
        str(exception)
        if exception and str(exception)
        else ("Il suo ruolo non consente di aprire questa pagina.")
    )
    return render(request, "403.html", {"message": message}, status=403)

"""Every view needs a member of staff who passed the second factor, unless it is public.

Django's LoginRequiredMiddleware sends anonymous visitors to the login page for
every view not marked `@login_not_required` (the portal, the login steps, the
health check). This middleware adds what a password alone does not give: the
second factor, and sessions closed with "log out everywhere".
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

SESSION_EPOCH_KEY = "approdo_session_epoch"
LOGGED_IN_AT_KEY = "approdo_logged_in_at"


class StaffAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        user = request.user
        if user.is_authenticated and request.session.get(SESSION_EPOCH_KEY) != user.session_epoch:
            # The user closed all their sessions from another device.
            logout(request)
        elif user.is_authenticated and _past_absolute_limit(request):
            # However active, a session ends after a working day: a stolen one does too.
            logout(request)
            messages.info(request, "La sessione è durata il massimo consentito: acceda di nuovo.")
        if not request.user.is_authenticated or not request.user.is_verified():
            login_url = reverse(settings.LOGIN_URL)
            return redirect(f"{login_url}?next={request.get_full_path()}")
        if request.user.must_change_password and request.path not in _password_pages():
            messages.info(request, "Prima di continuare, scelga una password sua.")
            return redirect("accounts:password_change")
        return None


def _past_absolute_limit(request) -> bool:
    started = request.session.get(LOGGED_IN_AT_KEY)
    return started is None or time.time() - started > settings.SESSION_ABSOLUTE_SECONDS


def _password_pages() -> set[str]:
    return {reverse("accounts:password_change"), reverse("accounts:logout")}

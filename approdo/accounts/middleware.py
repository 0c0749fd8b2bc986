"""Every page requires a logged-in, two-factor-verified member of staff, except the public ones."""

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

PUBLIC_PREFIXES = ("/portale/", "/accesso/", "/static/", "/logo", "/salute")
SESSION_EPOCH_KEY = "approdo_session_epoch"


class StaffAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if path == "/" or path.startswith(PUBLIC_PREFIXES):
            return self.get_response(request)
        user = request.user
        if user.is_authenticated and request.session.get(SESSION_EPOCH_KEY) != user.session_epoch:
            # The user closed all their sessions from another device.
            logout(request)
        if not request.user.is_authenticated or not request.user.is_verified():
            login_url = reverse(settings.LOGIN_URL)
            return redirect(f"{login_url}?next={request.get_full_path()}")
        return self.get_response(request)

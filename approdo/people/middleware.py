from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from .permissions import OutOfScope


class BreakGlassMiddleware:
    """A page of a file outside the user's team, read with GET, leads to the page that asks
    for a reason; anything else stays a 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OutOfScope) and request.method == "GET" and not request.htmx:
            url = reverse("people:break_glass", args=[exception.person.pk])
            return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return None

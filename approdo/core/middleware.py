"""Request hygiene that every view relies on."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpResponseNotAllowed
from django.shortcuts import render


class RejectNullCharactersMiddleware:
    """A NUL character in a query string or a form is a 400: PostgreSQL cannot store or
    compare it, and no one types it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for values in (request.GET, request.POST):
            if any("\x00" in value for _, value in values.lists() for value in value):
                raise BadRequest("La richiesta contiene caratteri non ammessi.")
        return self.get_response(request)


# Only our own files: no inline or external script, nothing framed, forms post here. Styles
# may be inline (Bootstrap Italia and htmx set some); images may be data: (server-made
# charts), fonts too (embedded in Bootstrap Italia's stylesheet).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",  # Bootstrap Italia's icons come inside its stylesheet
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics")
)
REFUSED_METHODS = {"TRACE", "TRACK", "CONNECT"}
ALLOWED_METHODS = ["GET", "HEAD", "POST", "OPTIONS"]


class SecurityHeadersMiddleware:
    """The headers Django 5.2 does not set (Django 6 brings its own CSP): what the browser
    may load and use; TRACE and its kin refused."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in REFUSED_METHODS:
            return HttpResponseNotAllowed(ALLOWED_METHODS)
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class RequestSizeLimitMiddleware:
    """A body larger than any form of Approdo accepts is refused from its declared length,
    before it is read (and written to a temporary file) whole: 413, in Italian."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = max(
            [settings.MAX_REQUEST_BYTES]
            + [
                size
                for prefix, size in settings.LARGER_REQUESTS.items()
                if request.path.startswith(prefix)
            ]
        )
        if length > limit:
            return render(
                request,
                "413.html",
                {"limit_mb": limit // (1024 * 1024), "length_mb": length // (1024 * 1024)},
                status=413,
            )
        return self.get_response(request)

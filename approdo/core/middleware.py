"""Request hygiene that every view relies on."""

from django.core.exceptions import BadRequest
from django.http import HttpResponseNotAllowed


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

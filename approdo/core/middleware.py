"""Request hygiene that every view relies on."""

from django.core.exceptions import BadRequest


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

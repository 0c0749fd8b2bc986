"""The server-error page: a database that does not answer is a 503 to retry, not a 500."""

import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template.loader import render_to_string


def server_error(request):
    # Rendered without context processors: they may need the database that just failed.
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError) and not connection.is_usable():
        connection.close()
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "10"
        return response
    return HttpResponse(render_to_string("500.html"), status=500)

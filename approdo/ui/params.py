"""Reading ids from a query string or form: junk is a 400 in Italian, never a server error."""

from django.core.exceptions import BadRequest
from django.http import HttpRequest


def optional_id(request: HttpRequest, name: str) -> int | None:
    """The positive integer in GET or POST under `name`; None when absent."""
    raw = request.GET.get(name) or request.POST.get(name)
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest(f"Il parametro «{name}» deve essere un numero identificativo.")
    return int(raw)

"""Saving the people list's filters under a name, to run them again with one click."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import QueryDict

from .forms import PersonFilterForm
from .models import SavedSearch

MAX_PER_USER = 50
# Not part of a search: the page, and the cache-buster a browser may add.
NOT_FILTERS = ("pagina", "_")


def clean_query(query: str) -> str:
    """The list's query string without what is not a filter; refused if a filter is wrong
    or none is set."""
    params = QueryDict(query, mutable=True)
    for name in NOT_FILTERS:
        params.pop(name, None)
    form = PersonFilterForm(params)
    if not form.is_valid():
        raise ValidationError("I filtri attuali contengono errori: li corregga prima di salvarli.")
    if not any(value for name, value in form.filters().items() if name != "order"):
        raise ValidationError("Scelga almeno un filtro prima di salvare la ricerca.")
    return params.urlencode()


@transaction.atomic
def save_search(*, owner, name: str, query: str, shared: bool) -> SavedSearch:
    """Saving again under a name already used replaces that search."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Dia un nome alla ricerca."})
    query = clean_query(query)
    existing = SavedSearch.objects.filter(owner=owner)
    if existing.count() >= MAX_PER_USER and not existing.filter(name=name).exists():
        raise ValidationError(
            f"Si possono salvare al massimo {MAX_PER_USER} ricerche: ne elimini qualcuna."
        )
    search, _ = SavedSearch.objects.update_or_create(
        owner=owner,
        name=name,
        defaults={"query": query, "shared": shared, "team_id": owner.team_id},
    )
    return search


def delete_search(*, search: SavedSearch, by) -> None:
    if search.owner_id != by.pk:
        raise PermissionDenied("Può eliminare solo le ricerche che ha salvato lei.")
    search.delete()

"""Sortable column headers of a list: each links to the same list sorted by it (again:
the other way), keeping the filters, from the first page."""

from dataclasses import dataclass

from django.http import QueryDict

ORDER_PARAM = "ordine"


@dataclass
class ColumnHeader:
    label: str
    href: str = ""  # empty: the column does not sort
    sort: str = ""  # aria-sort: "ascending", "descending" or ""


def column_headers(params: QueryDict, columns: list[tuple[str, str | None]]) -> list[ColumnHeader]:
    """`columns` are (label, sort key or None); the current order is params[ORDER_PARAM]."""
    current = params.get(ORDER_PARAM, "")
    headers = []
    for label, key in columns:
        if key is None:
            headers.append(ColumnHeader(label))
            continue
        query = params.copy()
        query.pop("pagina", None)
        query[ORDER_PARAM] = f"-{key}" if current == key else key
        sort = {key: "ascending", f"-{key}": "descending"}.get(current, "")
        headers.append(ColumnHeader(label, href=f"?{query.urlencode()}", sort=sort))
    return headers

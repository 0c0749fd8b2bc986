"""Sections that an app adds to another app's page (the person's file, a request).

A page of a lower app shows what higher apps know without importing them: each
app registers a section (template and context) in its `AppConfig.ready`, and the
page renders the registered sections in order with `{% page_sections %}`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class PageSection:
    template: str
    context: Callable[[HttpRequest, object], dict]
    order: int


_SECTIONS: dict[str, list[PageSection]] = {}


def page_section(page: str, *, template: str, order: int = 100):
    """Register a function (request, object) -> context for a section of `page`."""

    def register(context: Callable[[HttpRequest, object], dict]):
        sections = _SECTIONS.setdefault(page, [])
        sections.append(PageSection(template, context, order))
        sections.sort(key=lambda section: section.order)
        return context

    return register


def sections_of(page: str, request: HttpRequest, obj) -> list[tuple[str, dict]]:
    """The templates and contexts of the sections registered for `page`, in order."""
    return [
        (section.template, section.context(request, obj)) for section in _SECTIONS.get(page, [])
    ]

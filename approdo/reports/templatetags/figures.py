from django import template

from approdo.reports import charts
from approdo.ui import numbers

register = template.Library()


@register.filter
def percent(share) -> str:
    """0.138 -> "13,8%"."""
    return numbers.percent(share)


@register.filter
def number(value) -> str:
    """1234 -> "1.234"; nothing -> a dash."""
    return "–" if value is None else charts.number(value)

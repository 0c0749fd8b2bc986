from django import template

from approdo.reports import charts

register = template.Library()


@register.filter
def percent(share) -> str:
    """0.138 -> "13,8%"."""
    return "–" if share is None else charts.percent(share)


@register.filter
def number(value) -> str:
    """1234 -> "1.234"; nothing -> a dash."""
    return "–" if value is None else charts.number(value)

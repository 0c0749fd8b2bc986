"""What the yearly report's page and PDF show, from the figures."""

from django.utils import timezone

from . import charts
from .indicators import definitions_by_key


def annual_context(report: dict) -> dict:
    """What the page and the PDF show: figures by plain names, charts, definitions."""
    year = report["year"]
    y = str(year)
    previous = str(year - 1)
    return {
        "year": year,
        "previous_year": year - 1,
        "report": report,
        # "first_interviews_2025" -> "first_interviews", "placements_2025_by_type" -> ...
        "this": {
            key.replace(f"_{y}_", "_").removesuffix(f"_{y}"): value
            for key, value in report.items()
            if y in key
        },
        "registrations": (report["registrations"][previous], report["registrations"][y]),
        "permanent_share": (
            report["permanent_share_of_hirings"][previous],
            report["permanent_share_of_hirings"][y],
        ),
        "board": (report["board"][previous], report["board"][y]),
        # The section's keys without the year, as the dashboard names them.
        "social_innovation": {
            key.removesuffix(f"_{y}"): value for key, value in report["social_innovation"].items()
        },
        "charts": [(chart, charts.svg_data_uri(chart)) for chart in charts.annual_charts(report)],
        "definitions": definitions_by_key(),
        "made_on": timezone.localdate(),
    }

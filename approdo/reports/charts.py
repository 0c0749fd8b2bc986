"""The figures' charts, described once and drawn three ways.

A Chart is labels and series; the dashboard draws it with Chart.js (in the
browser, from the JSON of `chartjs_config`), the yearly report page and PDF with
pygal (SVG made on the server), the XLSX with openpyxl's native charts. Every
chart is shown with its data table, which is also its text alternative.
"""

import base64
from dataclasses import dataclass, field

import pygal
from pygal.style import Style

from approdo.ui.numbers import percent
from approdo.vacancies.terms import Contract, PlacementType

MONTHS = "gen feb mar apr mag giu lug ago set ott nov dic".split()
# Bootstrap Italia's palette (primary blue first), distinguishable in grey too.
COLOURS = ("#0066CC", "#CC7A00", "#008055", "#5C6F82", "#D9364F", "#003366", "#A66300")


@dataclass
class Chart:
    slug: str
    title: str
    kind: str  # "bar", "pie" or "trend" (bars with a percentage line)
    labels: list[str]
    series: list[tuple[str, list]]
    percent_series: set[str] = field(default_factory=set)  # values are shares (0.138)

    def rows(self) -> list[tuple[str, list[str]]]:
        """The data table: one row per label, a formatted cell per series."""
        return [
            (
                label,
                [
                    percent(values[i]) if name in self.percent_series else number(values[i])
                    for name, values in self.series
                ],
            )
            for i, label in enumerate(self.labels)
        ]

    @property
    def is_empty(self) -> bool:
        return not any(
            value
            for name, values in self.series
            if name not in self.percent_series
            for value in values
        )


def number(value) -> str:
    """Italian style: 1.234 and 12,5."""
    if isinstance(value, float):
        if not value.is_integer():
            return f"{value:.1f}".replace(".", ",")
        value = int(value)
    return f"{value:,}".replace(",", ".") if isinstance(value, int) else str(value)


def months_chart(by_month: dict[tuple[int, int], int]) -> Chart:
    several_years = len({year for year, _ in by_month}) > 1
    labels = [
        f"{MONTHS[month - 1]} {year}" if several_years else MONTHS[month - 1]
        for year, month in by_month
    ]
    return Chart(
        "iscrizioni-mese",
        "Iscrizioni per mese",
        "bar",
        labels,
        [("Iscrizioni", list(by_month.values()))],
    )


def types_chart(by_type: dict[str, int]) -> Chart:
    labels = [PlacementType(kind).label for kind in by_type]
    return Chart(
        "inserimenti-tipologia",
        "Inserimenti per tipologia",
        "pie",
        labels,
        [("Inserimenti", list(by_type.values()))],
    )


def contracts_chart(by_contract: dict[str, int]) -> Chart:
    labels = [Contract(contract).label for contract in by_contract]
    return Chart(
        "assunzioni-contratto",
        "Assunzioni per contratto",
        "bar",
        labels,
        [("Assunzioni", list(by_contract.values()))],
    )


def trend_chart(trend: dict) -> Chart:
    return Chart(
        "andamento",
        "Inserimenti negli anni e quota di tempi indeterminati sulle assunzioni",
        "trend",
        [str(year) for year in trend],
        [
            ("Inserimenti", [figures["placements"] for figures in trend.values()]),
            ("Quota di tempi indeterminati", [f["permanent_share"] for f in trend.values()]),
        ],
        percent_series={"Quota di tempi indeterminati"},
    )


def outcomes_chart(first: int, in_target: int, ready: int, not_ready: int, fragile: int) -> Chart:
    return Chart(
        "esiti-primi-colloqui",
        "Esiti dei primi colloqui",
        "bar",
        [
            "In target, pronti",
            "In target, non pronti",
            "In target, profilo fragile",
            "In target, da valutare",
            "Non in target",
        ],
        [
            (
                "Primi colloqui",
                [
                    ready,
                    not_ready,
                    fragile,
                    in_target - ready - not_ready - fragile,
                    first - in_target,
                ],
            )
        ],
    )


def citizenship_chart(by_area: dict[str, int]) -> Chart:
    return Chart(
        "cittadinanza",
        "Persone inserite per cittadinanza",
        "pie",
        [f"Cittadinanza {area}" if area == "italiana" else area for area in by_area],
        [("Persone inserite", list(by_area.values()))],
    )


def period_charts(figures: dict) -> list[Chart]:
    """The dashboard's charts, from `indicators.period_figures`."""
    return [
        months_chart(figures["registrations_by_month"]),
        outcomes_chart(
            figures["first_interviews"],
            figures["in_target"],
            figures["ready"],
            figures["not_ready"],
            figures["fragile"],
        ),
        types_chart(figures["placements_by_type"]),
        contracts_chart(figures["hirings_by_contract"]),
        trend_chart(figures["trend"]),
        citizenship_chart(figures["placed_by_citizenship"]),
    ]


def annual_charts(report: dict) -> list[Chart]:
    """The yearly report's charts, from `indicators.annual_report`."""
    y = str(report["year"])
    return [
        months_chart(
            {(report["year"], int(m)): n for m, n in report["registrations_by_month"].items()}
        ),
        outcomes_chart(
            report[f"first_interviews_{y}"],
            report[f"in_target_{y}"],
            report[f"ready_{y}"],
            report[f"not_ready_{y}"],
            report[f"fragile_{y}"],
        ),
        types_chart(report[f"placements_{y}_by_type"]),
        contracts_chart(report[f"hirings_{y}_by_contract"]),
        trend_chart(report["trend"]),
        citizenship_chart(report[f"placed_by_citizenship_{y}"]),
    ]


def chartjs_config(chart: Chart) -> dict:
    """The Chart.js configuration (approdo.js draws it; no animation, no outside requests)."""
    if chart.kind == "pie":
        name, values = chart.series[0]
        return {
            "type": "doughnut",
            "data": {
                "labels": chart.labels,
                "datasets": [{"label": name, "data": values, "backgroundColor": COLOURS}],
            },
        }
    datasets = []
    for position, (name, values) in enumerate(chart.series):
        if name in chart.percent_series:
            datasets.append(
                {
                    "type": "line",
                    "label": name,
                    "data": [round(v * 100, 1) for v in values],
                    "yAxisID": "percent",
                    "borderColor": COLOURS[1],
                    "backgroundColor": COLOURS[1],
                }
            )
        else:
            datasets.append(
                {
                    "label": name,
                    "data": values,
                    "backgroundColor": COLOURS[position],
                    "yAxisID": "y",
                }
            )
    scales = {"y": {"beginAtZero": True, "ticks": {"precision": 0}}}
    if chart.percent_series:
        scales["percent"] = {
            "beginAtZero": True,
            "max": 100,
            "position": "right",
            "title": {"display": True, "text": "%"},
            "grid": {"drawOnChartArea": False},
        }
    return {
        "type": "bar",
        "data": {"labels": chart.labels, "datasets": datasets},
        "options": {"scales": scales},
    }


_PYGAL_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#17324D",
    foreground_strong="#17324D",
    foreground_subtle="#5C6F82",
    colors=COLOURS,
    font_family="Titillium Web, DejaVu Sans, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    value_font_size=12,
    title_font_size=15,
    guide_stroke_color="#D9DADB",
    major_guide_stroke_color="#B1B1B3",
)


def svg(chart: Chart) -> bytes:
    """The chart as a standalone SVG drawn on the server (no script: js=[])."""
    options = dict(
        style=_PYGAL_STYLE,
        js=[],
        width=720,
        height=360,
        explicit_size=True,
        legend_at_bottom=True,
        # A trend's two lines would print their values over each other; the table beside
        # the chart has them.
        print_values=chart.kind not in ("pie", "trend"),
        show_y_guides=True,
        value_formatter=number,
        truncate_label=-1,
        x_label_rotation=0,
    )
    if chart.kind == "pie":
        # Each slice says what it is: colours alone are not told apart by everyone.
        options.update(print_labels=True, print_values=True)
        drawing = pygal.Pie(inner_radius=0.45, **options)
        name, values = chart.series[0]
        for label, value in zip(chart.labels, values, strict=True):
            drawing.add(label, [{"value": value, "label": label}])
    else:
        # The trend is two lines (placements, and the share on the right-hand axis).
        kind = pygal.Line if chart.kind == "trend" else pygal.Bar
        drawing = kind(show_legend=len(chart.series) > 1, secondary_range=(0, 100), **options)
        drawing.x_labels = chart.labels
        for name, values in chart.series:
            if name in chart.percent_series:
                drawing.add(
                    f"{name} (%)",
                    [round(v * 100, 1) for v in values],
                    secondary=True,
                    formatter=lambda v: f"{v:.1f}%".replace(".", ","),
                )
            else:
                drawing.add(name, values)
    return drawing.render()


def svg_data_uri(chart: Chart) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg(chart)).decode()

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import MANAGE_MATCHING, VIEW_FIGURES
from approdo.exports.models import Export
from approdo.exports.services import request_export

from . import charts
from .exports import REPORT_FORMATS, REPORT_KIND
from .fairness import fairness_report
from .forms import FairnessPeriodForm, PeriodForm
from .indicators import annual_report, definitions_by_key, period_figures
from .selectors import report_years
from .services import annual_context


@capability_required(VIEW_FIGURES)
def dashboard(request):
    form = PeriodForm.from_query(request.GET)
    context = {"form": form, "definitions": definitions_by_key()}
    if form.is_valid():
        scope = form.scope()
        figures = period_figures(scope)
        context.update(
            scope=scope,
            figures=figures,
            charts=[
                (chart, charts.chartjs_config(chart)) for chart in charts.period_charts(figures)
            ],
        )
    return render(request, "reports/dashboard.html", context)


def _report_year(year: int) -> int:
    if year not in report_years():
        raise Http404("Nessun rapporto per quest'anno.")
    return year


@capability_required(VIEW_FIGURES)
def annual(request, year: int):
    report = annual_report(_report_year(year))
    return render(
        request,
        "reports/annual.html",
        {
            **annual_context(report),
            "years": list(reversed(report_years()))[:6],
            "file_formats": {value: Export.Format(value).label for value in REPORT_FORMATS},
        },
    )


@capability_required(VIEW_FIGURES)
def annual_latest(request):
    return redirect("reports:annual", year=timezone.localdate().year - 1)


@require_POST
@capability_required(VIEW_FIGURES)
def annual_file(request, year: int):
    file_format = request.POST.get("formato")
    if file_format not in REPORT_FORMATS:
        raise Http404("Formato non previsto.")
    export = request_export(
        user=request.user,
        kind=REPORT_KIND,
        filters={"year": _report_year(year)},
        file_format=file_format,
    )
    return redirect("exports:detail", pk=export.pk)


@capability_required(MANAGE_MATCHING)
def fairness(request):
    form = FairnessPeriodForm(request.GET or {"giorni": FairnessPeriodForm.DEFAULT_DAYS})
    context = {"form": form}
    if form.is_valid():
        since, until = form.period()
        context.update(report=fairness_report(since=since, until=until), since=since, until=until)
    return render(request, "reports/fairness.html", context, status=200 if form.is_valid() else 400)

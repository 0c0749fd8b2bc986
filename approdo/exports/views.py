from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import EXPORT_PEOPLE
from approdo.audit.services import record_access
from approdo.people.forms import PersonFilterForm

from .models import Export
from .services import export_path, request_export, required_capability


def _request(request, kind: str, form):
    file_format = request.POST.get("formato")
    if file_format not in Export.Format.values:
        file_format = Export.Format.CSV
    export = request_export(
        user=request.user, kind=kind, filters=_json_filters(form), file_format=file_format
    )
    return redirect("exports:detail", pk=export.pk)


@require_POST
@capability_required(EXPORT_PEOPLE)
def export_people(request):
    return _request(request, "persone", PersonFilterForm(request.POST))


@require_POST
@capability_required(EXPORT_PEOPLE)
def export_companies(request):
    from approdo.companies.forms import CompanyFilterForm

    return _request(request, "aziende", CompanyFilterForm(request.POST))


def _json_filters(form) -> dict:
    filters = form.filters()
    return {key: value for key, value in filters.items() if value not in (None, "", [], False)}


def _own_export(request, pk) -> Export:
    """The user's own export, if their role still allows that kind of file."""
    export = get_object_or_404(Export, pk=pk)
    if export.requested_by_id != request.user.pk:
        raise PermissionDenied("Questa esportazione è di un altro utente.")
    if not request.user.can(required_capability(export)):
        raise PermissionDenied("Il suo ruolo non consente questa operazione.")
    return export


@login_required
def export_detail(request, pk):
    export = _own_export(request, pk)
    template = "exports/_status.html" if request.htmx else "exports/detail.html"
    return render(request, template, {"export": export})


@login_required
def export_download(request, pk):
    export = _own_export(request, pk)
    if export.status != Export.Status.DONE:
        raise Http404("L'esportazione non è pronta.")
    record_access(
        request=request,
        instance=export,
        detail=f"Scaricamento esportazione {export.kind}"
        + (f" ({export.row_count} righe)" if export.row_count is not None else ""),
    )
    response = FileResponse(
        open(export_path(export), "rb"), as_attachment=True, filename=export.file_name
    )
    response["Cache-Control"] = "private, no-store"
    return response

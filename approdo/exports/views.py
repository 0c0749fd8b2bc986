from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from approdo.audit.services import record_access

from .models import Export
from .registry import file_kind
from .services import export_path, kind_of, request_export, required_capability


@require_POST
@login_required
def request_list(request, kind: str):
    """Queue the file of a list (people, companies, ...) with the filters on its page."""
    declared = file_kind(kind)
    if declared is None or declared.filter_form is None:
        raise Http404("Elenco non esportabile.")
    if not request.user.can(declared.capability):
        raise PermissionDenied("Il suo ruolo non consente questa esportazione.")
    file_format = request.POST.get("formato")
    if file_format not in declared.formats:
        file_format = declared.formats[0]
    filters = declared.filter_form(request.POST).filters()
    if declared.allowed is not None and not declared.allowed(request.user, filters):
        raise PermissionDenied("Non può chiedere questo file: la scheda non è del suo gruppo.")
    export = request_export(
        user=request.user,
        kind=kind,
        filters={
            key: value for key, value in filters.items() if value not in (None, "", [], False)
        },
        file_format=file_format,
    )
    return redirect("exports:detail", pk=export.pk)


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
    declared = kind_of(export)
    return render(
        request,
        template,
        {
            "export": export,
            "heading": declared.heading(export) if declared.heading else declared.label,
            "back": declared.back(export) if declared.back else None,
        },
    )


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

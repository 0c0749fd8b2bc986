from django import forms
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import IMPORT_LEGACY
from approdo.audit.services import record_access
from approdo.ui.forms import size_limited_file_input

from .models import ImportJob
from .services import MAX_EXPORT_BYTES, report_files, start_import


class ImportForm(forms.Form):
    export = forms.FileField(
        label="Archivio ZIP della cartella esportata",
        help_text="Con persone.csv, colloqui.csv, aziende.csv, "
        "richieste.csv, inserimenti.csv, corsi.csv, "
        "partecipazioni.csv, percorsi.csv. Massimo 200 MB.",
        widget=size_limited_file_input(MAX_EXPORT_BYTES),
    )
    dry_run = forms.BooleanField(label="Solo controllo (non scrive nulla)", required=False)
    skip_invalid = forms.BooleanField(
        label="Importa le righe corrette e metti le altre negli scarti", required=False
    )


@capability_required(IMPORT_LEGACY)
def import_start(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = start_import(
                uploaded_file=form.cleaned_data["export"],
                by=request.user,
                dry_run=form.cleaned_data["dry_run"],
                skip_invalid=form.cleaned_data["skip_invalid"],
            )
        except ValidationError as error:
            form.add_error("export", error.messages)
        else:
            return redirect("legacy:job", pk=job.pk)
    return render(
        request,
        "legacy/start.html",
        {"form": form, "jobs": ImportJob.objects.select_related("requested_by")[:10]},
        status=400 if form.errors else 200,
    )


@capability_required(IMPORT_LEGACY)
def import_job(request, pk):
    job = get_object_or_404(ImportJob, pk=pk)
    template = "legacy/_job.html" if request.htmx else "legacy/job.html"
    files = report_files(job) if job.finished_at else {}
    return render(request, template, {"job": job, "files": files})


@capability_required(IMPORT_LEGACY)
def import_file(request, pk, name):
    """The report, the full list of problems and the rejected rows: personal data, so the
    download is audited."""
    job = get_object_or_404(ImportJob, pk=pk)
    path = report_files(job).get(name)
    if path is None:
        raise Http404("File non disponibile.")
    record_access(request=request, instance=job, detail=f"Scaricamento del file {name}")
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response

from django_tasks import task

from .models import Export
from .services import build_file


@task()
def build_export(export_id: str) -> int:
    export = Export.objects.get(pk=export_id)
    try:
        build_file(export)
    except Exception as error:
        export.status = Export.Status.FAILED
        export.error = str(error)
        export.save(update_fields=["status", "error"])
        raise
    return export.row_count

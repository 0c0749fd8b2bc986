from django_tasks import task

from .services import fill_cv_text_from_document


@task()
def extract_cv_text(version_id: int) -> int:
    """Read the text of an uploaded PDF CV for matching (the worker runs this)."""
    return fill_cv_text_from_document(version_id=version_id)

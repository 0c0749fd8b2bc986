from django_tasks import task

from .services import write_download


@task()
def write_data_download(download_id: int) -> None:
    write_download(download_id)

from django_tasks import task

from . import services


@task()
def send_session_reminders(session_id: int, starts_at: str) -> int:
    return services.send_reminders(session_id, starts_at)


@task()
def send_room_links(session_id: int, starts_at: str) -> int:
    return services.send_room_links(session_id, starts_at)

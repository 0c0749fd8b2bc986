from datetime import datetime

from django_tasks import task

from approdo.comms.services import queue_email

from .models import Interview, InterviewStatus


@task()
def send_interview_reminder(interview_id: int, scheduled_at: str) -> bool:
    """Remind the person the day before; skipped if the interview was moved or closed."""
    interview = Interview.objects.select_related("person").filter(pk=interview_id).first()
    if (
        interview is None
        or interview.status != InterviewStatus.SCHEDULED
        or interview.scheduled_at != datetime.fromisoformat(scheduled_at)
    ):
        return False
    queue_email(
        to=interview.person.email,
        kind="promemoria colloquio",
        template="interview_reminder",
        person=interview.person,
        context={"person": interview.person, "interview": interview},
        requested_by=interview.operator,
    )
    return True

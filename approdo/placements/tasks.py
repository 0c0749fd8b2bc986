from django.utils import timezone
from django_tasks import task

from .models import Placement
from .services import move_out_as_working_now, start_of_day


@task()
def move_out_when_started(placement_id: int) -> bool:
    """On the first day of a permanent contract, the person leaves as working."""
    placement = Placement.objects.filter(pk=placement_id).first()
    if placement is None:  # the placement was removed: nothing to do
        return False
    if placement.start_on > timezone.localdate():  # the start was moved later
        move_out_when_started.using(run_after=start_of_day(placement.start_on)).enqueue(
            placement_id=placement_id
        )
        return False
    return move_out_as_working_now(placement=placement)

"""Times are shown in the programme's time zone, never in UTC."""

from datetime import UTC, datetime, timedelta

import pytest

from approdo.intake.forms import BookingForm
from approdo.intake.models import AgendaSlot
from tests.factories import UserFactory


@pytest.mark.django_db
def test_the_booking_picker_shows_local_times():
    # 8:00 UTC in winter is 9:00 in Italy, 10:00 in summer.
    operator = UserFactory()
    winter, summer = (
        AgendaSlot.objects.create(
            operator=operator, starts_at=start, ends_at=start + timedelta(hours=1)
        )
        for start in (datetime(2026, 1, 12, 8, tzinfo=UTC), datetime(2026, 7, 13, 8, tzinfo=UTC))
    )
    labels = dict(BookingForm(slots=[winter, summer]).fields["slot"].choices)
    assert labels[winter.pk].startswith("Lun 12/01/2026 09:00")
    assert labels[summer.pk].startswith("Lun 13/07/2026 10:00")
    assert "09:00" in str(winter) and "10:00" in str(summer)

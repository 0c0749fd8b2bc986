import pytest
from django.core.management import call_command
from django.utils import timezone

from approdo.people.models import Person
from approdo.placements.models import Placement
from approdo.reports.indicators import annual_report
from approdo.training.models import Course, Participation, ProgrammePath


@pytest.mark.django_db
def test_demo_data_covers_every_figure_of_the_yearly_report(capsys):
    call_command("seed_demo", "--people", "300")
    assert "Create 300 persone, 16 corsi" in capsys.readouterr().out
    assert Person.objects.count() == 300
    assert Participation.objects.exists() and ProgrammePath.objects.exists()
    assert Placement.objects.filter(is_ips=True).exists()
    report = annual_report(timezone.localdate().year)
    assert report["courses"]
    assert sum(course["participants"] for course in report["courses"].values()) > 0
    assert Course.objects.count() == 16
    call_command("seed_demo", "--people", "300", "--if-empty")  # a second demo start
    assert Person.objects.count() == 300

"""Memory does not grow with the export: rows are read, checked and written a batch at a time."""

import tracemalloc

import pytest
from django.db import transaction

from approdo.legacy.importer import LegacyImport
from approdo.legacy.staging import Staging
from approdo.legacy.synthetic import write_synthetic_export
from approdo.people.models import Person


def _peak_bytes(folder, *, dry_run: bool = False) -> int:
    tracemalloc.start()
    try:
        result = LegacyImport(folder).run(dry_run=dry_run)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.written != dry_run and not result.error_count
    return peak


@pytest.mark.django_db
def test_ten_times_the_export_needs_no_more_memory(tmp_path, monkeypatch):
    # Small batches, so that the small export already fills several of them.
    monkeypatch.setattr(Staging, "batch_size", 50)
    write_synthetic_export(tmp_path / "piccola", people=150, seed=5)
    write_synthetic_export(tmp_path / "grande", people=1500, seed=5)
    # A first check warms what every import shares (comuni, professions, ATECO codes).
    _peak_bytes(tmp_path / "piccola", dry_run=True)
    with transaction.atomic():  # undone: the two exports give some ids to different rows
        small = _peak_bytes(tmp_path / "piccola")
        transaction.set_rollback(True)
    large = _peak_bytes(tmp_path / "grande")
    assert Person.objects.count() == 1500
    # Holding every record (the importer before streaming) would need about ten times more.
    assert large < small * 1.5, (small, large)

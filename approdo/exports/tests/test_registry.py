"""Each app declares its kinds of file; `exports` runs them without knowing them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from approdo.exports import registry
from approdo.exports.models import Export
from approdo.exports.registry import FileKind, file_kind, file_kinds, register_file_kind
from approdo.exports.services import request_export

pytestmark = pytest.mark.django_db


def test_the_apps_declare_their_kinds_of_file():
    assert {kind.slug for kind in file_kinds()} >= {"persone", "aziende", "rapporto-annuale"}
    assert file_kind("persone").filter_form is not None
    assert file_kind("rapporto-annuale").formats == ("pdf", "xlsx")


def test_a_new_kind_plugs_in_and_the_worker_runs_its_writer(operator, run_tasks, monkeypatch):
    monkeypatch.setattr(registry, "_KINDS", dict(registry._KINDS))

    def write(export, path):
        path.write_text("ciao")
        return 1, "saluto.csv"

    register_file_kind(
        FileKind(
            slug="saluto", label="Saluto", formats=("csv",), capability="people.view", write=write
        )
    )
    export = request_export(user=operator, kind="saluto", filters={}, file_format="csv")
    run_tasks()
    export.refresh_from_db()
    assert (export.status, export.file_name, export.row_count) == (
        Export.Status.DONE,
        "saluto.csv",
        1,
    )


def test_unknown_kinds_formats_and_roles_are_refused(operator, auditor):
    with pytest.raises(ValidationError, match="sconosciuto"):
        request_export(user=operator, kind="segreti", filters={}, file_format="csv")
    with pytest.raises(ValidationError, match="Formato non previsto"):
        request_export(user=operator, kind="persone", filters={}, file_format="pdf")
    with pytest.raises(PermissionDenied):
        request_export(user=auditor, kind="persone", filters={}, file_format="csv")
    assert not Export.objects.exists()


def test_a_kind_cannot_be_declared_twice_differently():
    with pytest.raises(ValueError, match="twice"):
        register_file_kind(
            FileKind(
                slug="persone",
                label="Altro",
                formats=("csv",),
                capability="people.view",
                write=lambda export, path: (0, ""),
            )
        )

"""The apps form layers: an app imports only apps below it, so there is no cycle.

Higher apps plug into lower ones through registries (timeline events, page
sections, worker-made files) instead of being imported by them. Models of a
higher app that a lower one must read are looked up by name (`apps.get_model`),
as foreign keys are.
"""

import ast
from pathlib import Path

import approdo

# Lowest first. Add a new app where its imports put it.
LAYERS = [
    "core",
    "ui",
    "places",
    "accounts",
    "audit",
    "comms",
    "exports",
    "occupations",
    "people",
    "portal",
    "intake",
    "companies",
    "partners",
    "vacancies",
    "matching",
    "placements",
    "training",
    "projects",
    "casework",
    "mailings",
    "surveys",
    "events",
    "jobfair",
    "area",
    "reports",
    "legacy",
    "spid_testbed",
    "demo",
]

PACKAGE = Path(approdo.__file__).parent


def _imported_apps(path: Path) -> set[str]:
    """The project's apps a module imports (absolute imports of approdo.<app>)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "approdo" and len(parts) > 1:
                found.add(parts[1])
    return found


def _app_imports() -> dict[str, dict[str, set[str]]]:
    """app -> imported app -> the modules that import it (tests and migrations left out)."""
    graph: dict[str, dict[str, set[str]]] = {}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if len(relative.parts) < 2 or {"tests", "migrations"} & set(relative.parts):
            continue
        app = relative.parts[0]
        for imported in _imported_apps(path) - {app}:
            graph.setdefault(app, {}).setdefault(imported, set()).add(str(relative))
    return graph


def test_every_app_has_its_place_in_the_layers():
    apps = {path.parent.name for path in PACKAGE.glob("*/apps.py")}
    assert apps == set(LAYERS)


def test_apps_import_only_the_apps_below_them():
    upward = [
        f"{app} imports {imported} ({', '.join(sorted(modules))})"
        for app, imports in _app_imports().items()
        for imported, modules in imports.items()
        if imported in LAYERS and LAYERS.index(imported) > LAYERS.index(app)
    ]
    assert upward == []


def test_the_checker_sees_an_upward_import(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        "from approdo.reports.indicators import Scope\nimport approdo.people.models\n"
    )
    assert _imported_apps(module) == {"reports", "people"}

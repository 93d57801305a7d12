"""The arrows point one way: core imports only core and knowledge, and never Django or I/O layers."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "backstride"
FORBIDDEN_THIRD_PARTY = {"django", "click", "waitress", "psycopg", "altair", "vl_convert"}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_core_and_knowledge_stay_pure():
    for package, allowed in (
        ("core", ("backstride.core", "backstride.knowledge")),
        ("knowledge", ("backstride.knowledge",)),
    ):
        for path in (SRC / package).rglob("*.py"):
            for name in imports_of(path):
                if name.startswith("backstride"):
                    assert name.startswith(allowed), f"{path.relative_to(SRC)} imports {name}"
                assert name.split(".")[0] not in FORBIDDEN_THIRD_PARTY, (
                    f"{path.relative_to(SRC)} imports {name}"
                )


def test_the_command_line_and_the_web_app_share_services_not_each_other():
    """cli/ (a module per command group) and web/ both sit on services/: the command line takes
    nothing from a web view (e.g. the upload limit lives in services.jobs), and no view from cli/."""
    cli_modules = sorted((SRC / "cli").glob("*.py"))
    assert {path.stem for path in cli_modules} >= {"__init__", "__main__", "common", "check", "diary"}
    for path in cli_modules:
        for name in imports_of(path):
            assert not name.startswith("backstride.web.views"), f"{path.relative_to(SRC)} imports {name}"
    for path in (SRC / "web").rglob("*.py"):
        for name in imports_of(path):
            assert not name.startswith("backstride.cli"), f"{path.relative_to(SRC)} imports {name}"
    assert not list(SRC.glob("cli_*.py")), "the command line lives in cli/, one module per command group"


def test_only_services_query_the_database():
    """Ownership lives in one place: web views and CLI commands ask services, which take the acting
    user, and never read the models themselves (the activity and form-check views did). The
    connection settings (storage.connection) are set-up, not queries."""
    for package in ("web", "cli"):
        for path in (SRC / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for name in imports_of(path):
                assert not name.startswith("backstride.storage.models"), (
                    f"{path.relative_to(SRC)} imports {name}"
                )


def test_views_are_a_package_with_one_module_per_area():
    views = SRC / "web" / "views"
    assert {path.stem for path in views.glob("*.py")} >= {"common", "check", "diary", "plan", "activities"}
    assert not list((SRC / "web").glob("views*.py")), "views live in web/views/, one module per area"


def test_no_private_name_is_imported_from_another_module():
    """A leading underscore means "only this module uses it"; a name another module needs is public
    (views shared `_owner`, the CLI `_user`, the importers `_members`)."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom):
                continue
            if not (node.level or (node.module or "").startswith("backstride")):
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    offenders.append(f"{path.relative_to(SRC)} imports {alias.name} from {node.module}")
    assert offenders == []

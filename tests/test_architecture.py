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

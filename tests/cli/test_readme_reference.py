"""The README's command reference is written from the commands' own help by cog (issue 12): it fails
here when it is stale (run `make docs`) or when a command or option has no help text to write."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO_ROOT

from backstride.cli import main
from backstride.cli.reference import missing_help, readme_block, walk

README = REPO_ROOT / "README.md"


def test_the_readme_command_reference_is_what_cog_writes_now():
    done = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", str(README)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )
    assert done.returncode == 0, f"the README's command reference is stale: run `make docs`\n{done.stdout}"


def test_every_command_and_option_has_help_text():
    assert missing_help(main) == []


def test_the_reference_names_every_command_nested_groups_too():
    block = readme_block()
    paths = [ctx.command_path for ctx, _ in walk(main)]
    assert "backstride log edit-run" in paths and "backstride exercises show" in paths
    assert "backstride log done" in paths  # registered from plan.py onto the log group
    for path in paths:
        assert f"\n{path} [OPTIONS]" in block or f"\n{path} " in block, path
    assert README.read_text().count(block) == 1

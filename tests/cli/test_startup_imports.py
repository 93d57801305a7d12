"""Start-up imports only what the command needs (issue 17, item 4): `backstride --help` loads no Django
models, numpy, altair, pydantic or knowledge YAML, and no command module; `backstride today` none of
the other commands' heavy modules. The table the help listing is drawn from says what the commands'
own help says."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from backstride.cli import COMMANDS, main
from backstride.cli.lazy import LazyCommands

# Never on `backstride --help`: Django's models and database layer, the science stack, the charts,
# pydantic and the packaged YAML it validates (the exercise library was the biggest import of all).
NOT_ON_HELP = (
    "django.db.models",
    "django.contrib.auth.models",
    "numpy",
    "altair",
    "pydantic",
    "yaml",
    "backstride.knowledge.exercises",
    "backstride.knowledge.catalog",
    "backstride.knowledge.questionnaire",
    "backstride.storage.models",
)
# Never on `backstride today`: other commands' modules and what only they need.
NOT_ON_TODAY = (
    "numpy",
    "altair",
    "backstride.knowledge.exercises",
    "backstride.knowledge.questionnaire",  # the check's questions: only answers are checked against it
    "backstride.core.adjustments",
    "backstride.cli.check",
    "backstride.cli.adjust",
    "backstride.cli.accounts",
    "backstride.cli.gait",
    "backstride.cli.report",
)

PROBE = """
import json, sys
from backstride.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""


def run_probe(tmp_path: Path, *args: str) -> tuple[set[str], str]:
    """(the modules loaded by the time ``backstride ARGS`` ends, its output), run in a fresh process."""
    env = {key: value for key, value in os.environ.items() if key != "BACKSTRIDE_DB"}
    env["BACKSTRIDE_DATA_DIR"] = str(tmp_path / "data")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True, timeout=120
    )
    marker = done.stderr.rfind("\nMODULES ")
    assert marker >= 0, done.stderr
    return set(json.loads(done.stderr[marker + len("\nMODULES ") :])), done.stdout


def modules_after(tmp_path: Path, *args: str) -> set[str]:
    """The modules loaded by the time ``backstride ARGS`` ends, run in a fresh process."""
    return run_probe(tmp_path, *args)[0]


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return [name for name in names if name in modules]


def test_help_imports_no_command_and_nothing_heavy(tmp_path):
    modules = modules_after(tmp_path, "--help")
    assert loaded(modules, NOT_ON_HELP) == []
    command_modules = {place.module for place in COMMANDS.values()}
    assert sorted(command_modules & modules) == []
    assert "django" not in modules  # not even Django's settings: --help needs no data folder


def test_today_imports_only_what_today_needs(tmp_path):
    modules = modules_after(tmp_path, "today")
    assert "backstride.cli.diary" in modules and "backstride.services.today" in modules
    assert loaded(modules, NOT_ON_TODAY) == []


# Once the knowledge snapshot is made, `backstride today` shows the catalogue's texts without it.
NOT_ON_TODAY_WITH_SNAPSHOT = (
    "pydantic",
    "yaml",
    "backstride.knowledge.schema",
    "backstride.knowledge.catalog",
    "backstride.knowledge.diary_texts",
    "backstride.knowledge.plan_rules",
)


def test_today_reads_the_knowledge_snapshot_not_the_validated_yaml(tmp_path):
    """Reasons, their sources and the 'log today's pain' sentence come from the knowledge snapshot
    (knowledge/snapshot.py) after the first run made it, and say what the validated catalogue says."""
    from backstride.knowledge import catalog, plan_rules

    modules, output = run_probe(tmp_path, "today", "--format", "json")  # first run: makes the snapshot
    assert json.loads(output)["message"] == plan_rules.plan_text("RUN-TODAY-UNKNOWN")
    modules, output = run_probe(tmp_path, "today", "--format", "json")
    assert loaded(modules, NOT_ON_TODAY_WITH_SNAPSHOT) == []
    assert json.loads(output)["message"] == plan_rules.plan_text("RUN-TODAY-UNKNOWN")

    pain = ["log", "pain", "--pain", "4", "--no-red-flags", "--ran", "--before", "2", "--during", "5"]
    run_probe(tmp_path, *pain, "--after", "5")
    modules, output = run_probe(tmp_path, "today", "--format", "json")
    assert loaded(modules, NOT_ON_TODAY_WITH_SNAPSHOT) == []
    data = json.loads(output)
    assert data["run_today"] == "amber" and data["reasons"]
    assert [reason["text"] for reason in data["reasons"]] == [
        catalog.rule(reason["rule"]).title for reason in data["reasons"]
    ]
    ids = [source for reason in data["reasons"] for source in catalog.rule(reason["rule"]).sources]
    assert data["sources"] == [{"id": s.id, "citation": s.citation} for s in catalog.sources_for(ids)]
    assert data["sources"]


def test_an_urgent_alert_is_worded_from_the_snapshot_as_from_the_catalogue(tmp_path):
    """A check-in's emergency answer: `today` words the alert (tier, the user's numbers) from the
    snapshot, the same words as services.safety gives from the catalogue."""
    from backstride.core.triage import Urgency
    from backstride.knowledge import catalog
    from backstride.services.urgency_text import urgency_text

    run_probe(tmp_path, "settings", "--country", "GB")
    flags = ["--no-red-flags", "--red-flag", "saddle_numbness=yes", "--red-flag", "leg_pain_side=none"]
    run_probe(tmp_path, "log", "pain", "--pain", "2", *flags)
    run_probe(tmp_path, "today")  # makes the snapshot
    modules, output = run_probe(tmp_path, "today", "--format", "json")
    assert loaded(modules, NOT_ON_TODAY_WITH_SNAPSHOT) == []
    alert = json.loads(output)["escalation"]
    said = urgency_text(Urgency.EMERGENCY, alert["rules"], catalog.emergency_contact("GB"))
    assert (alert["urgency"], alert["headline"], alert["action"]) == ("emergency", said.headline, said.action)
    assert "999" in said.action


GC_PROBE = """
import atexit, gc, sys
from backstride import bootstrap
real_setup, seen = bootstrap.setup, []
def setup(*args, **kwargs):
    seen.append(gc.isenabled())
    return real_setup(*args, **kwargs)
bootstrap.setup = setup
atexit.register(lambda: sys.stderr.write(f"\\nGC {seen} {gc.isenabled()} {gc.get_freeze_count() > 0}\\n"))
sys.argv = ["backstride", *sys.argv[1:]]
from backstride.cli import main
main()
"""


def test_the_collector_is_paused_for_start_up_only(tmp_path):
    """`backstride today` as its own process: no collection while Django starts (lazy.py), the
    collector on again once the command runs (its acting user), start-up's objects frozen."""
    env = {key: value for key, value in os.environ.items() if key != "BACKSTRIDE_DB"}
    env["BACKSTRIDE_DATA_DIR"] = str(tmp_path / "data")
    done = subprocess.run(
        [sys.executable, "-c", GC_PROBE, "today"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "GC [False, True] True True"


def test_a_caller_keeps_its_own_collector():
    import gc

    from click.testing import CliRunner

    from backstride.cli import lazy

    assert CliRunner().invoke(main, ["--help"]).exit_code == 0
    assert gc.isenabled() and not lazy._paused


def test_each_place_holds_its_command_and_its_first_sentence():
    for name, place in COMMANDS.items():
        module = __import__(place.module, fromlist=[place.attribute])
        command = getattr(module, place.attribute)
        assert isinstance(command, click.Command), name
        assert command.name == name, f"{place.module}.{place.attribute} is `{command.name}`, listed as {name}"
        first_sentence = command.get_short_help_str(limit=10_000)
        assert place.summary == first_sentence, (
            f"COMMANDS[{name!r}].summary in backstride/cli/__init__.py must be the command's first "
            f"sentence: {first_sentence!r}"
        )


def test_every_command_module_is_in_the_table():
    """A command defined under cli/ but missing from COMMANDS would never be reachable."""
    top_level = {id(command): name for name, command in main.commands.items()}  # imports them all
    root = Path(__file__).resolve().parents[2] / "src" / "backstride" / "cli"
    defined: dict[int, str] = {}
    within_groups: set[int] = set()
    for path in sorted(root.glob("*.py")):
        if path.stem.startswith("__"):  # the package itself (main) and `python -m`, which runs it
            continue
        module = importlib.import_module(f"backstride.cli.{path.stem}")
        for attribute, value in vars(module).items():
            if isinstance(value, click.Command) and value.callback is not None and value is not main:
                if value.callback.__module__ == module.__name__:
                    defined[id(value)] = f"{module.__name__}.{attribute}"
                if isinstance(value, click.Group):
                    within_groups.update(id(sub) for sub in value.commands.values())
    unreachable = [
        where for key, where in defined.items() if key not in top_level and key not in within_groups
    ]
    assert unreachable == []


@pytest.mark.parametrize("width", [50, 80, 120])
def test_help_listing_is_clicks_own(width):
    """The listing drawn from the table is what Click prints with every command imported."""
    plain = click.Group(name="backstride", help=main.help, params=main.params)
    for name in COMMANDS:
        plain.add_command(main.commands[name], name)
    lazy_commands = LazyCommands({name: place for name, place in COMMANDS.items()}, {})
    listing = {}
    for group in (plain, main):
        saved = group.commands
        if group is main:
            group.commands = lazy_commands  # nothing imported: the stand-ins
        try:
            context = click.Context(
                group, info_name="backstride", terminal_width=width, max_content_width=width
            )
            listing[group is main] = group.get_help(context)
        finally:
            group.commands = saved
    assert listing[True] == listing[False]


def test_log_gains_done_from_the_plan_module():
    log = main.commands["log"]
    assert isinstance(log, click.Group)
    assert "done" in log.commands and "pain" in log.commands


@pytest.mark.django_db
def test_the_quick_schema_check_says_current_only_when_nothing_differs():
    """bootstrap skips the full migration check when the database records exactly the migrations on
    disk; one more (a newer backstride's) or one fewer sends it to the full check, which decides."""
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    from backstride import bootstrap

    assert bootstrap.schema_is_current(connection)
    recorder = MigrationRecorder(connection)
    recorder.record_applied("backstride", "9999_later")
    assert not bootstrap.schema_is_current(connection)
    recorder.record_unapplied("backstride", "9999_later")
    recorder.record_unapplied("backstride", "0001_initial")
    assert not bootstrap.schema_is_current(connection)
    recorder.record_applied("backstride", "0001_initial")
    assert bootstrap.schema_is_current(connection)

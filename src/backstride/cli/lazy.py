"""Commands imported when they are used, not when `backstride` starts (issue 17, item 4).

Importing every command module at start-up cost more than the command itself: `backstride today`
loaded the exercise library (pydantic-validated YAML), the check's question flow and the clinic
commands only to list them. Here each command is a place (module and attribute) until Click asks for
it; `backstride --help` shows each command's first sentence from a table, so it imports none of them
(tests/cli/test_startup_imports.py keeps the table equal to the commands' own help)."""

from __future__ import annotations

import contextlib
import gc
import importlib
import sys
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

import click

from backstride.cli.guard import GuardedGroup

# Start-up makes some 70,000 tracked objects that live until the process ends; with Python's default first
# threshold (700) the collector walks them again and again while they are made, and even at 20,000 its
# middle generation walked up to 200,000 young objects a few times (~30 ms of `backstride today`). So a
# command line run pauses the collector until start-up is over (``started``), then hides what start-up
# made from it and runs it at a raised threshold; serve and worker keep Python's defaults.
COMMAND_LINE_GC_THRESHOLD = 20_000
LONG_RUNNING = frozenset({"serve", "worker"})  # commands that live for hours: no collector tuning
_paused = False  # the collector is off because start-up is under way (only ever in our own process)


@dataclass(frozen=True)
class Place:
    """Where a command lives, and the first sentence of its help (what `--help` lists)."""

    module: str
    attribute: str
    summary: str


class LazyCommands(MutableMapping[str, click.Command]):
    """Click's name -> command mapping; a command's module is imported the first time it is read.
    Names (listing, `in`) never import anything. ``loaded`` hooks run once a command is imported
    (e.g. `log` gains `done` from plan.py)."""

    def __init__(self, places: dict[str, Place], loaded: dict[str, Callable[[click.Command], None]]):
        self.places = dict(places)
        self.loaded_hooks = dict(loaded)
        self.commands: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self.commands:
            place = self.places[name]  # KeyError: no such command
            command = getattr(importlib.import_module(place.module), place.attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{place.module}.{place.attribute} is not a Click command")
            self.commands[name] = command
            hook = self.loaded_hooks.get(name)
            if hook is not None:
                hook(command)
        return self.commands[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self.places.pop(name, None)
        self.commands[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self.places and name not in self.commands:
            raise KeyError(name)
        self.places.pop(name, None)
        self.commands.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(set(self.places) | set(self.commands)))

    def __len__(self) -> int:
        return len(set(self.places) | set(self.commands))

    def __contains__(self, name: object) -> bool:
        return name in self.places or name in self.commands

    def summary_stand_in(self, name: str) -> click.Command:
        """The command if already imported, else a stand-in with its first sentence as help: Click
        makes the same short help from it (same words, cut at the same width)."""
        if name in self.commands:
            return self.commands[name]
        return click.Command(name, help=self.places[name].summary)


class LazyGroup(GuardedGroup):
    """The `backstride` group: commands from a table of places, imported on use."""

    def __init__(
        self,
        *args: Any,
        places: dict[str, Place],
        loaded: dict[str, Callable[[click.Command], None]] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(places, loaded or {})

    def main(self, args: Sequence[str] | None = None, *more: Any, **kwargs: Any) -> Any:
        """As Click's; when the arguments are this process's own (the `backstride` program, not a
        caller in another program such as a test), the collector is tuned for a short-lived process
        and the exit is quick."""
        if args is not None:  # called from inside another program: its process, its collector
            return super().main(args, *more, **kwargs)
        if not LONG_RUNNING & set(sys.argv[1:]):  # a server or worker keeps Python's own collector
            gc.set_threshold(COMMAND_LINE_GC_THRESHOLD, *gc.get_threshold()[1:])
            _pause_collector()
        try:
            return super().main(None, *more, **kwargs)
        finally:
            leave_quickly()

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Click's own listing (same layout), from the stand-ins: `--help` imports no command."""
        commands = self.commands
        assert isinstance(commands, LazyCommands)
        rows = [(name, commands.summary_stand_in(name)) for name in self.list_commands(ctx)]
        rows = [(name, command) for name, command in rows if not command.hidden]
        if not rows:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        with formatter.section("Commands"):
            formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in rows])


def _pause_collector() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def started() -> None:
    """Start-up is over (Django is set up): what it made lives until the process ends, so it is frozen
    out of the collector's sight, and the collector paused for start-up runs again. Nothing when
    it was not paused (a caller's process, serve, worker)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def leave_quickly() -> None:
    """The process ends next. Close the database connections (as the end of the process would), then
    hide every object from the collector: otherwise the interpreter's last collections walk them all
    on the way out (0.1-0.2 s of `backstride today`; atexit handlers and flushing still run)."""
    django_apps = sys.modules.get("django.apps")
    if django_apps is not None and django_apps.apps.ready:
        from django.db import connections

        # A connection already broken: the exit closes it anyway, and the command's own message
        # (printed, or on its way as SystemExit) must stay the last word, never a traceback.
        with contextlib.suppress(Exception):
            connections.close_all()
    gc.freeze()

"""The terminal side of `backstride check`: reading an answers file, asking the questions with the
spec's skip logic, and printing a report (urgency first, then run-today, then the pattern)."""

from __future__ import annotations

import json
import math
import os
import stat
import sys
from pathlib import Path
from typing import Any

import click

from backstride import bootstrap
from backstride.cli.common import FORMAT, SafePath, acting_user, emit_json, refuse
from backstride.core.triage import flow
from backstride.core.triage.answers import find_problems
from backstride.knowledge import catalog
from backstride.knowledge.questionnaire import Item, questionnaire_items
from backstride.services.check_report import CheckReport
from backstride.services.errors import BadAnswers, BadAnswersFile, InputRefused
from backstride.services.questions import answer_from_text, answer_options, question_text, skip_label

MAX_ANSWERS_BYTES = 1_000_000
URGENCY_COLOUR = {
    "emergency": "red",
    "doctor_soon": "red",
    "clinician_if_no_better": "yellow",
    "self_manage": "green",
}
RUN_COLOUR = {"red": "red", "amber": "yellow", "green": "green"}
# Section K patterns name a possible cause outside the usual back patterns: "your answers point to".
SECTION_K_PATTERNS = ("not_from_the_back", "bone_stress", "pregnancy_related")


def load_answers_file(path: Path, fmt: str) -> object:
    """The answers file as JSON, or exit 2 with one line per problem (nothing is saved). Hostile files
    are refused, not trusted: a device or a pipe (``/dev/zero``'s size is 0), more than
    MAX_ANSWERS_BYTES (read with a hard cap, whatever the file system says), text that is not UTF-8
    (a UTF-8 byte order mark is fine), nesting deeper than Python can follow, NaN or Infinity, and
    numbers of more than MAX_NUMBER_DIGITS digits (a 400-digit answer is not an age)."""
    try:
        data = read_small_file(path, MAX_ANSWERS_BYTES)
    except FileProblem as error:
        refuse(BadAnswersFile([("(file)", str(error))]), fmt)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        refuse(BadAnswersFile([("(file)", "is UTF-16 text: save it as UTF-8 (any editor's 'Save as')")]), fmt)
    try:
        raw = json.loads(
            data.decode("utf-8-sig"),
            object_pairs_hook=_refuse_duplicate_keys,
            parse_int=_read_int,
            parse_float=_read_float,
            parse_constant=_NotAnAnswer.constant,
        )
    except DuplicateKeys as error:
        refuse(
            BadAnswers([(key, "appears more than once in the file: keep one answer") for key in error.keys]),
            fmt,
        )
    except RecursionError:
        refuse(BadAnswersFile([("(file)", f"is nested too deeply; {EXPECTED}")]), fmt)
    except UnicodeDecodeError as error:
        refuse(BadAnswersFile([("(file)", f"is not UTF-8 text (byte {error.start}): save it as UTF-8")]), fmt)
    except json.JSONDecodeError as error:
        refuse(BadAnswersFile([("(file)", f"is not valid JSON ({error}); {EXPECTED}")]), fmt)
    unreadable = _unreadable_values(raw)
    if unreadable:  # with every other problem in the file, so all are fixed in one go
        flagged = {item for item, _ in unreadable}
        rest = (
            {key: value for key, value in raw.items() if key not in flagged} if isinstance(raw, dict) else {}
        )
        problems = unreadable + [(p.item_id, p.message) for p in find_problems(rest)]
        order = {key: index for index, key in enumerate(raw)} if isinstance(raw, dict) else {}
        ordered = sorted(problems, key=lambda problem: order.get(problem[0], len(order)))
        refuse(BadAnswers(ordered), fmt)
    return raw


EXPECTED = 'expected an object like {"pain_now": 4}'
MAX_NUMBER_DIGITS = 15  # far beyond any answer (the largest range is 36,500 days); no float rounding


class FileProblem(Exception):
    """A file that cannot be read as asked; the message says what to do."""


def read_small_file(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes. Opened without blocking, so a FIFO
    cannot hang the command, checked to be a regular file (``/dev/zero`` says its size is 0), and
    read with a hard cap rather than trusting the size the file system reports."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise FileProblem(f"{path} does not exist: check the path") from None
    except PermissionError:
        raise FileProblem(f"{path} cannot be read (permission denied): check its permissions") from None
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        raise FileProblem(f"{path} cannot be opened ({error}): check the path") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise FileProblem(f"{path} is not a regular file (a folder, device or pipe): give a JSON file")
        with os.fdopen(fd, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
    except OSError as error:
        raise FileProblem(f"{path} cannot be read ({error.strerror or error}): check the file") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise FileProblem(f"is larger than {limit // 1_000_000} MB; an answers file is a small JSON object")
    return data


class _NotAnAnswer:
    """A JSON value no answer can be (NaN, Infinity, a number too long to be one): kept in place so the
    item it belongs to can be named, and never handed to the engine."""

    def __init__(self, message: str):
        self.message = message

    def __repr__(self) -> str:
        return "<not an answer>"

    @classmethod
    def constant(cls, name: str) -> _NotAnAnswer:
        return cls(f"is {name}, which is not a number an answer can be: give a finite number such as 4")


def _read_int(text: str) -> int | _NotAnAnswer:
    digits = len(text.lstrip("-"))
    if digits > MAX_NUMBER_DIGITS:
        return _NotAnAnswer(f"is a number of {digits} digits: no answer is that large; give one such as 4")
    return int(text)


def _read_float(text: str) -> float | _NotAnAnswer:
    number = float(text)
    if not math.isfinite(number) or len(text) > 40:
        shown = text if len(text) <= 20 else f"{text[:20]}..."
        return _NotAnAnswer(f"is {shown}, not a number an answer can be: give one such as 4.5")
    return number


def _unreadable_values(raw: object) -> list[tuple[str, str]]:
    """(item, message) for each value holding NaN, Infinity or an over-long number, anywhere in it."""

    def found(value: object) -> _NotAnAnswer | None:
        stack = [value]
        while stack:
            current = stack.pop()
            if isinstance(current, _NotAnAnswer):
                return current
            if isinstance(current, dict):
                stack.extend(current.values())
            elif isinstance(current, list):
                stack.extend(current)
        return None

    if isinstance(raw, dict):
        return [(str(key), bad.message) for key, value in raw.items() if (bad := found(value)) is not None]
    bad = found(raw)
    return [("(file)", bad.message)] if bad is not None else []


class DuplicateKeys(ValueError):
    def __init__(self, keys: list[str]):
        self.keys = keys
        super().__init__(", ".join(keys))


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json.loads keeps the last of two equal keys; a second answer could silently hide a red flag."""
    seen: dict[str, Any] = {}
    repeated = []
    for key, value in pairs:
        if key in seen:
            repeated.append(key)
        seen[key] = value
    if repeated:
        raise DuplicateKeys(repeated)
    return seen


def _ask(item: Item, answers: dict[str, Any]) -> object | None:
    options = answer_options(item)
    click.echo("")
    click.secho(question_text(item), bold=True)
    if item.note:
        click.echo(item.note)
    if options:
        for number, (_, label) in enumerate(options, start=1):
            click.echo(f"  {number}. {label}")
        choice = click.prompt("Your answer", type=click.IntRange(1, len(options)))
        return options[choice - 1][0]
    if item.type == "scale_0_10":
        return click.prompt("0-10", type=click.IntRange(0, 10))
    blank = skip_label(item).lower().replace("i don't know", "you don't know")
    while True:  # a number: blank means "don't know" ("not in the last year" for a birth)
        raw = click.prompt(f"Number (leave blank: {blank})", default="", show_default=False)
        if raw.strip() == "":
            return None
        typed = answer_from_text(item, raw)  # as on the web (services.questions): not "²", "nan"
        if isinstance(typed, str):
            click.echo("Please type a number, e.g. 42.")
            continue
        problems = [p for p in find_problems({**answers, item.id: typed}) if p.item_id == item.id]
        if not problems:
            return typed
        click.echo(problems[0].message)


def ask_interactively(known: dict[str, Any] | None = None) -> tuple[dict[str, Any], bool]:
    """Ask in order with skip logic; returns (answers, completed). Stops at an emergency answer.
    ``known``: answers the app already has (e.g. shoe km from the shoe tracker), not asked again."""
    items = questionnaire_items()
    answers: dict[str, Any] = dict(known or {})
    asked: set[str] = set()
    section = None
    click.echo("backstride symptom check. About 3 minutes. This is not a diagnosis.")
    while (item_id := flow.next_item(answers, asked)) is not None:
        if flow.SECTION_OF[item_id] != section:
            section = flow.SECTION_OF[item_id]
            click.secho(f"\n== {section} ==", fg="cyan")
            if item_id.startswith("sb_"):
                sb = catalog.startback()
                click.echo(sb.preamble)
                click.echo(f"{sb.copyright} {sb.funding}")
        done, total = flow.progress(answers, asked)
        click.echo(f"[{done + 1}/{total}]", nl=False)
        value = _ask(items[item_id], answers)
        asked.add(item_id)
        if value is not None:
            answers[item_id] = value
    stopped = flow.emergency_found(answers)
    if stopped:
        click.secho("\nSTOP: one of your answers needs emergency care now.", fg="red", bold=True, err=False)
    return answers, not stopped


def print_report(report: CheckReport) -> None:
    out = sys.stdout
    urgency_colour = URGENCY_COLOUR[report["urgency"]]
    click.secho(f"\n{report['urgency_headline']}", fg=urgency_colour, bold=True, file=out)
    click.echo(report["urgency_action"])
    run = report["run_today"]
    click.secho(f"\nMay I run today? {run.upper()}", fg=RUN_COLOUR[run], bold=True)
    if report["urgency"] != "emergency":  # an emergency shows only the emergency (issue 10)
        fits = "point to" if report["likely_pattern"] in SECTION_K_PATTERNS else "fit a pattern often called"
        click.echo(f"\nYour answers {fits}: {report['likely_pattern_name']}")
        click.echo(report["pattern_disclaimer"])
    sb = report["startback"]
    if not sb.get("asked", True):
        click.echo("\nSTarT Back: not asked")
    elif report["urgency"] != "emergency":
        click.echo(
            f"\nSTarT Back: total {sb['total']}/9, psychosocial {sb['psychosocial']}/5, {sb['risk']} risk"
        )
    click.secho("\nWhy:", bold=True)
    for reason in report["reasons"]:
        click.echo(f"  [{reason['rule']}] {reason['text']}")
    click.secho("\nWhat to do now:", bold=True)
    for card in report["advice"]:
        click.echo(f"  * {card['title']}")
    click.echo(f"\nSources: {', '.join(source['id'] for source in report['sources'])}")
    if report.get("id"):
        click.echo(f"Saved as check #{report['id']}. `backstride history` lists your checks.")


# --- the command ---------------------------------------------------------------------------------


@click.command()
@click.option(
    "--answers",
    "answers_file",
    type=SafePath(dir_okay=False, path_type=Path),
    help="A JSON object of item id -> answer (ids as in spec/questionnaire.json).",
)
@FORMAT
@click.option("--no-save", is_flag=True, help="Do not store this check in the history.")
@click.option("--country", metavar="CC", help="Country for emergency numbers (e.g. GB, US, DE).")
def check(answers_file: Path | None, fmt: str, no_save: bool, country: str | None) -> None:
    """Symptom check: red flags, likely pattern, STarT Back and may-I-run-today.

    Without --answers it asks the questions here; it stops at once on an emergency answer.
    """
    from backstride.cli.check import ask_interactively, load_answers_file

    if answers_file is not None:
        raw = load_answers_file(answers_file, fmt)
        completed = True
    else:
        if not sys.stdin.isatty() and fmt == "json":
            raise click.UsageError("interactive check needs a terminal; use --answers FILE for scripts")
        from backstride.config import local_today
        from backstride.services.checks import known_answers

        raw, completed = ask_interactively(known_answers(acting_user(), local_today()))
    _run_check(raw, fmt=fmt, save=not no_save, completed=completed, country=country)
    if answers_file is None and completed and not no_save and fmt == "text":
        # Spec K.8: My activities (and, from the second check, the global change) at each full check.
        from backstride.cli.outcomes import ask_outcomes_interactively
        from backstride.config import local_today

        ask_outcomes_interactively(acting_user(), local_today())


def _run_check(raw: object, *, fmt: str, save: bool, completed: bool, country: str | None) -> None:
    bootstrap.setup()
    from backstride.services.checks import check_symptoms

    user = acting_user() if save or country is None else None
    try:
        outcome = check_symptoms(raw, user, save=save, completed=completed, country=country)
    except InputRefused as error:
        refuse(error, fmt)
    if fmt == "json":
        emit_json(outcome.report)
    else:
        from backstride.cli.check import print_report

        print_report(outcome.report)

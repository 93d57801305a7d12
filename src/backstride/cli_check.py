"""The terminal side of `backstride check`: reading an answers file, asking the questions with the
spec's skip logic, and printing a report (urgency first, then run-today, then the pattern)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from backstride.core.triage import flow
from backstride.core.triage.answers import find_problems
from backstride.knowledge import catalog
from backstride.knowledge.questionnaire import Item, questionnaire_items
from backstride.services.questions import answer_options, question_text, skip_label

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
    from backstride.cli_common import _fail_bad_answers

    try:
        if path.stat().st_size > MAX_ANSWERS_BYTES:
            _fail_bad_answers(
                [("(file)", "is larger than 1 MB; an answers file is a small JSON object")], fmt
            )
        return json.loads(path.read_text(encoding="utf-8-sig"), object_pairs_hook=_refuse_duplicate_keys)
    except DuplicateKeys as error:
        _fail_bad_answers(
            [(key, "appears more than once in the file: keep one answer") for key in error.keys], fmt
        )
    except FileNotFoundError:
        _fail_bad_answers([("(file)", f"{path} does not exist")], fmt)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        _fail_bad_answers(
            [("(file)", f'is not valid JSON ({error}); expected an object like {{"pain_now": 4}}')], fmt
        )
    raise AssertionError("unreachable")


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
        try:
            value: float = float(raw)
        except ValueError:
            click.echo("Please type a number, e.g. 42.")
            continue
        typed: int | float = int(value) if value.is_integer() else value
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


def print_report(report: dict[str, Any]) -> None:
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

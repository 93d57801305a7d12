"""`backstride exercises`: the library (list, filter) and one exercise with its picture."""

from __future__ import annotations

from pathlib import Path

import click

from backstride.cli.common import FORMAT, SafePath, emit_json, write_file
from backstride.knowledge.exercises import CATEGORIES, PATTERN_CODES
from backstride.services.errors import NotFound


@click.group(invoke_without_command=True)
@click.option("--category", type=click.Choice(CATEGORIES), help="Only this kind of exercise.")
@click.option("--pattern", type=click.Choice(PATTERN_CODES), help="Only what the plan uses for this pattern.")
@FORMAT
@click.pass_context
def exercises(ctx: click.Context, category: str | None, pattern: str | None, fmt: str) -> None:
    """The exercise library: strength, stretches, mobility, pre-run activation, self-checks."""
    if ctx.invoked_subcommand is not None:
        return
    from backstride.services.exercises import dosage_text, library, row

    items = library(category, pattern)
    if fmt == "json":
        emit_json({"exercises": [row(item) for item in items]})
        return
    for item in items:
        click.echo(f"{item.id:<34} {item.category:<14} L{item.level}  {dosage_text(item)}")


@exercises.command()
@click.argument("exercise_id")
@click.option(
    "--svg", "svg_file", type=SafePath(dir_okay=False, path_type=Path), help="Write the picture here."
)
@FORMAT
def show(exercise_id: str, svg_file: Path | None, fmt: str) -> None:
    """One exercise: steps, dosage, cautions per pain pattern, sources (and its picture with --svg)."""
    from backstride.services.exercises import dosage_text, find, picture, row, stages_for

    try:
        item = find(exercise_id)
    except NotFound as error:
        raise click.ClickException(str(error)) from error
    if svg_file is not None:
        write_file(svg_file, picture(item.id).encode("utf-8"), "--svg")
    if fmt == "json":
        emit_json(row(item))
        return
    click.secho(item.name, bold=True)
    for number, step in enumerate(item.steps, start=1):
        click.echo(f"  {number}. {step}")
    click.echo(f"Dose: {dosage_text(item)}")
    for stage in stages_for(item):
        click.echo(f"  Stage {stage['stage']}: {stage['session']}")
    for pattern, caution in item.cautions.items():
        click.echo(f"Caution ({pattern}): {caution}")
    click.echo(f"Sources: {', '.join(item.sources)}")

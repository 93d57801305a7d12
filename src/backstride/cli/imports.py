"""`backstride import` and `activities`: activity files in, the stored activities out."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from backstride.cli.common import FORMAT, SafePath, acting_user, emit_json


@click.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=SafePath(exists=True, path_type=Path))
@FORMAT
@click.option("--workers", type=click.IntRange(1, 64), help="Parser processes (default: one per core).")
def import_command(paths: tuple[Path, ...], fmt: str, workers: int | None) -> None:
    """Import activity files (FIT, GPX, TCX, plain or .gz), folders, zips and Strava or Garmin exports.

    Exit status: 0 when every file was imported or was a duplicate, 1 when some failed (the others
    are still imported), 2 for usage errors.
    """
    from backstride.services.imports import collect_sources, import_collected

    user = acting_user()
    collected = collect_sources(paths)
    total = len(collected.sources)
    show_bar = fmt == "text" and sys.stderr.isatty() and total > 1
    if show_bar:
        with click.progressbar(length=total, label="Importing", file=sys.stderr) as bar:
            state = {"done": 0}

            def advance(done: int, _total: int) -> None:
                bar.update(done - state["done"])
                state["done"] = done

            report = import_collected(user, collected, advance, workers)
    else:
        report = import_collected(user, collected, None, workers)
    if fmt == "json":
        emit_json(report)
    else:
        click.echo(
            f"Imported {report['imported']} activities; {report['skipped_duplicates']} duplicates skipped."
        )
        for failure in report["failed"]:
            click.echo(f"  failed: {failure['path']}: {failure['error']}", err=True)
    sys.exit(1 if report["failed"] else 0)


@click.command()
@FORMAT
def activities(fmt: str) -> None:
    """List stored activities, newest first (distances and pace in your unit: `settings --units`)."""
    from backstride.core.pace import distance_text, pace_text
    from backstride.services.imports import activity_row, list_activities
    from backstride.services.users import units_of

    user = acting_user()
    rows = [activity_row(activity) for activity in list_activities(user)]
    unit = units_of(user)
    if fmt == "json":
        emit_json({"activities": rows})
        return
    if not rows:
        click.echo("No activities yet: `backstride import FILE_OR_FOLDER`.")
    for row in rows:
        distance = "-" if row["distance_m"] is None else distance_text(row["distance_m"], unit)
        minutes = "-" if row["moving_time_s"] is None else f"{row['moving_time_s'] / 60:.0f} min"
        pace = "-" if row["pace_s_per_km"] is None else pace_text(row["pace_s_per_km"], unit)
        flags = " (indoor)" if row["indoor"] else ""
        flags += " (partial)" if row["partial"] else ""
        click.echo(
            f"#{row['id']:<5} {row['day']}  {row['sport']:<9} {distance:>10} {minutes:>8} {pace:>10}  "
            f"{row['display_name']}{flags}"
        )

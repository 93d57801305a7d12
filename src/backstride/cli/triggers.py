"""`backstride triggers`: which of the runner's own factors go with their flare-ups. Thin: the days are
assembled in services.triggers and analysed in core.triggers."""

from __future__ import annotations

import click

from backstride.cli.common import FORMAT, acting_user, emit_json
from backstride.config import local_today


@click.command()
@FORMAT
def triggers(fmt: str) -> None:
    """What went with your pain in the last year: associations with intervals, not causes."""
    from backstride.services.triggers import experiment_for, factor_of, report, report_json, together

    result = report(acting_user(), local_today())
    if fmt == "json":
        emit_json(report_json(result))
        return
    counts = (
        f"{result.checkin_days} mornings rated, {result.rated_runs} runs with pain rated, "
        f"{result.flares} flare{'s' if result.flares != 1 else ''}"
    )
    if not result.ready:
        click.echo(f"Not enough data yet ({counts}). Still needed:")
        for line in result.missing:
            click.echo(f"  - {line}")
        return
    if not result.findings:
        click.echo(
            f"Nothing stands out clearly ({counts}; {len(result.tests)} comparisons made). "
            "No factor went with your pain more than chance would explain."
        )
    for rank, finding in enumerate(result.findings, start=1):
        click.echo(f"{rank}. {factor_of(finding.factor).title}: {finding.sentence}")
        if note := together(result, finding):
            click.echo(f"   {note}")
        kind = experiment_for(finding)
        if kind:
            click.echo(f"   Test it for two weeks: backstride experiment start {kind}")
    joint = [effect.sentence for effect in result.joint.effects if effect.sentence]
    if joint:
        click.echo("Taken together:")
        for line in joint:
            click.echo(f"  - {line}")
    if result.findings:
        click.echo(f"({counts}; {len(result.tests)} comparisons made, corrected for their number.)")
    for line in result.missing:
        click.echo(f"Not yet analysed: {line}.")
    if result.left_out:
        names = ", ".join(factor_of(key).title.lower() for key in sorted(result.left_out))
        click.echo(f"Left out for too few days or too little variation: {names}.")

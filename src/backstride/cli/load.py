"""`backstride load`: the training load."""

from __future__ import annotations

import click

from backstride.cli.common import FORMAT, acting_user, day_option, emit_json, refuse
from backstride.config import local_today
from backstride.services.errors import InputRefused


@click.command()
@click.option("--from", "start", default=None, help="YYYY-MM-DD (default: 12 weeks ago).")
@click.option("--to", "end", default=None, help="YYYY-MM-DD (default: today).")
@FORMAT
def load(start: str | None, end: str | None, fmt: str) -> None:
    """Training load: daily and weekly series, the latest spike, 2-week progression and ACWR."""
    from backstride.core.inputs import AHEAD_DAYS
    from backstride.services.load import load_for

    # The shared date parser (core.inputs): from 1970 to a year ahead; the range at most 20 years.
    first = None if start is None else day_option(start, "--from", fmt, local_today(), ahead_days=AHEAD_DAYS)
    last = None if end is None else day_option(end, "--to", fmt, local_today(), ahead_days=AHEAD_DAYS)
    try:
        data = load_for(acting_user(), first, last, local_today())
    except InputRefused as error:
        refuse(error, fmt)
    if fmt == "json":
        emit_json(data)
        return
    click.echo("Week        km     min   sRPE  monotony")
    for week in data["weekly"][-6:]:
        km = (week.get("distance_m") or 0) / 1000
        minutes = (week.get("duration_s") or 0) / 60
        monotony = "-" if week.get("monotony") is None else f"{week['monotony']:.2f}"
        click.echo(
            f"{week['week_start']}  {km:6.1f} {minutes:6.0f} {week.get('srpe_au') or 0:6.0f}  {monotony}"
        )
    spike, progression, acwr = data["spike"], data["progression"], data["acwr"]
    if spike:
        click.echo(f"Latest run vs longest of the previous 30 days: {spike.get('reason')}")
    click.echo(f"2-week progression: {progression.get('reason')}")
    acwr_value = acwr.get("rolling_uncoupled")
    click.echo(f"Acute:chronic: {acwr.get('reason') if acwr_value is None else f'{acwr_value:.2f}'}")
    click.echo(acwr.get("note", ""))

"""`backstride gait VIDEO`: the running-form check from a phone video (needs the `video` extra)."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import click

from backstride.cli_common import FORMAT, _emit_json, _user
from backstride.services.errors import BackstrideError


def _roi(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    try:
        parts = [float(v) for v in value.replace(" ", "").split(",")]
    except ValueError:
        parts = []
    if len(parts) != 4 or parts[2] <= parts[0] or parts[3] <= parts[1]:
        raise click.BadParameter(
            "x0,y0,x1,y1 in pixels of the video, with x1 > x0 and y1 > y0", param_hint="--roi"
        )
    return (parts[0], parts[1], parts[2], parts[3])


@contextmanager
def _native_logs_held() -> Iterator[TextIO]:
    """MediaPipe's C++ code logs start-up warnings straight to file descriptor 2, which no Python
    setting silences. Hold them in a temporary file during the analysis (shown if it fails
    unexpectedly) and give the progress bar a stream to the real stderr."""
    sys.stderr.flush()
    saved = os.dup(2)
    real = os.fdopen(os.dup(saved), "w")
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            yield real
        except Exception as error:
            if not isinstance(error, BackstrideError):
                held.seek(0)
                real.write(held.read().decode("utf-8", "replace"))
            raise
        finally:
            real.flush()
            os.dup2(saved, 2)
            os.close(saved)
            real.close()


def _print_result(data: dict[str, Any]) -> None:
    def number(value: float | None, unit: str, decimals: int = 0) -> str:
        return "not measured" if value is None else f"{value:.{decimals}f}{unit}"

    click.secho(
        f"Running-form check ({data['view']} view, {data['fps']:.0f} fps, {data['steps']} steps)", bold=True
    )
    rough = " (approximate from behind; use a side view)" if data["view"] == "rear" else ""
    click.echo(f"  Step rate:            {number(data['cadence_spm'], ' steps/min')}{rough}")
    if data["view"] == "side":
        click.echo(f"  Heel ahead of pelvis: {number(data['overstride_pct_leg'], '% of leg length')}")
        click.echo(f"  Shin angle at strike: {number(data['shank_angle_deg'], '°')}")
        click.echo(f"  Knee bend at strike:  {number(data.get('knee_flexion_ic_deg'), '°')}")
        click.echo(f"  Trunk lean:           {number(data['trunk_lean_deg'], '°')}")
    else:
        drop = data["metrics"].get("pelvic_drop_deg", {}).get("median")
        click.echo(f"  Pelvic drop:          {number(drop, '°', 1)} (low confidence)")
    for finding in data["findings"]:
        click.secho(f"\n{finding['title']}", bold=True, fg="yellow" if finding["kind"] == "flag" else None)
        click.echo(f"  {finding['text']}")
        click.echo(f"  Sources: {', '.join(finding['sources'])}")
    for warning in data["warnings"]:
        click.echo(f"\nNote: {warning}")


@click.command()
@click.argument("video", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--view", type=click.Choice(["side", "rear"]), default="side", show_default=True)
@click.option("--roi", default=None, help="x0,y0,x1,y1: analyse the person in this box (pixels).")
@click.option("--list", "list_checks", is_flag=True, help="Your earlier form checks.")
@click.option("--delete", "delete_id", type=int, default=None, help="Delete form check ID (and its clip).")
@FORMAT
def gait(
    video: Path | None, view: str, roi: str | None, list_checks: bool, delete_id: int | None, fmt: str
) -> None:
    """Running-form check from a phone video: step rate, overstride, shin angle, trunk lean, head and
    neck, bounce (side view) or pelvic drop (rear view), with what they mean and their sources.

    Film from the side, camera still at hip height, 3-5 m away, landscape, 10-20 s, 60 fps if you can.
    """
    from backstride.services import gait as service

    if delete_id is not None:
        try:
            service.delete_check(_user(), delete_id)
        except BackstrideError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Deleted form check #{delete_id}.")
        return
    if list_checks:
        rows = service.history(_user())
        if fmt == "json":
            _emit_json(rows)
            return
        for row in rows:
            cadence = "-" if row["cadence_spm"] is None else f"{row['cadence_spm']:.0f} spm"
            click.echo(
                f"#{row['id']}  {row['day']}  {row['view']:4}  {row['status']:6}  {cadence}  "
                f"{row['filename']}"
            )
        return
    if video is None:
        raise click.UsageError("give a VIDEO file (or --list)")
    box = _roi(roi)
    try:
        with (
            _native_logs_held() as real_stderr,
            click.progressbar(length=100, label="Analysing", file=real_stderr) as bar,
        ):
            shown = [0]

            def progress(fraction: float) -> None:
                step = int(fraction * 100) - shown[0]
                if step > 0:
                    bar.update(step)
                    shown[0] += step

            check = service.analyse_file(_user(), video, view, box, progress)
    except service.FormCheckFailed as error:
        if fmt == "json":
            _emit_json({"error": error.code, "message": str(error)})
        raise click.ClickException(str(error)) from error
    except BackstrideError as error:
        raise click.ClickException(str(error)) from error
    data = dict(check.result or {})
    data["id"] = check.id
    if fmt == "json":
        _emit_json(data)
        return
    _print_result(data)
    click.echo(f"\nSaved as form check #{check.id}; see it with `backstride serve` under Form.")

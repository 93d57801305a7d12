"""`backstride gait VIDEO`: the running-form check from a phone video (needs the `video` extra)."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO

import click

from backstride.cli.common import FORMAT, SafePath, acting_user, emit_json
from backstride.services.errors import BackstrideError, NotFound

if TYPE_CHECKING:
    from backstride.services.gait_types import GaitReport


class GaitFailure(click.ClickException):
    """A failure of `backstride gait`: one line on stderr, or with ``--format json`` one object
    ``{"error": code, "message": ...}`` on stdout. Exit status 2 for a usage error (a path, view or box
    that cannot be used), 1 for a clip that cannot be analysed."""

    exit_code = 1

    def __init__(self, code: str, message: str, as_json: bool) -> None:
        super().__init__(" ".join(message.split()))  # one line, whatever the cause put in it
        self.code = code
        self.as_json = as_json

    def show(self, file: IO[Any] | None = None) -> None:
        if self.as_json:
            click.echo(json.dumps({"error": self.code, "message": self.message}, ensure_ascii=False))
        else:
            click.echo(f"Error: {self.message}", err=True)


class GaitUsageFailure(GaitFailure):
    exit_code = 2


def failure(code: str, message: str, exit_code: int, as_json: bool) -> GaitFailure:
    return (GaitUsageFailure if exit_code == 2 else GaitFailure)(code, message, as_json)


def _wants_json(args: list[str]) -> bool:
    """Whether the raw arguments ask for ``--format json`` (read before Click has parsed them)."""
    for k, arg in enumerate(args):
        if arg == "--":
            return False
        if arg == "--format=json" or (arg == "--format" and args[k + 1 : k + 2] == ["json"]):
            return True
    return False


class GaitCommand(click.Command):
    """`backstride gait`, whose usage errors (a bad --view, a --roi that is not four numbers, an unknown
    option) are one line, or one JSON object with ``--format json``, and exit 2."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        as_json = _wants_json(list(args))
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as error:
            param = getattr(error, "param", None)
            code = f"bad_{param.name}" if isinstance(error, click.BadParameter) and param else "usage"
            raise failure(code, error.format_message(), 2, as_json) from None


def _roi(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[float, float, float, float] | None:
    """--roi: four finite pixel numbers, in order, at least 16 pixels each way (inside the frame is
    checked once the video is open)."""
    if value is None:
        return None
    from backstride.pose.box import BoxError, parse_roi

    try:
        return parse_roi(value)
    except BoxError as error:
        raise click.BadParameter(str(error), ctx=ctx, param=param) from None


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


def _print_result(data: GaitReport) -> None:
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
        pelvic_drop = data["metrics"].get("pelvic_drop_deg")
        drop = pelvic_drop["median"] if pelvic_drop else None
        click.echo(f"  Pelvic drop:          {number(drop, '°', 1)} (low confidence)")
    for finding in data["findings"]:
        click.secho(f"\n{finding['title']}", bold=True, fg="yellow" if finding["kind"] == "flag" else None)
        click.echo(f"  {finding['text']}")
        click.echo(f"  Sources: {', '.join(finding['sources'])}")
    for warning in data["warnings"]:
        click.echo(f"\nNote: {warning}")


@click.command(cls=GaitCommand)
@click.argument("video", required=False, type=SafePath(path_type=Path))
@click.option(
    "--view",
    type=click.Choice(["side", "rear"]),
    default="side",
    show_default=True,
    help="Where the phone filmed from.",
)
@click.option(
    "--roi",
    default=None,
    callback=_roi,
    help="x0,y0,x1,y1: analyse the person in this box (pixels of the video, e.g. 400,80,900,700).",
)
@click.option("--list", "list_checks", is_flag=True, help="Your earlier form checks.")
@click.option("--delete", "delete_id", type=int, default=None, help="Delete form check ID (and its clip).")
@FORMAT
def gait(
    video: Path | None,
    view: str,
    roi: tuple[float, float, float, float] | None,
    list_checks: bool,
    delete_id: int | None,
    fmt: str,
) -> None:
    """Running-form check from a phone video: step rate, overstride, shin angle, trunk lean, head and
    neck, bounce (side view) or pelvic drop (rear view), with what they mean and their sources.

    Film from the side, camera still at hip height, 3-5 m away, landscape, 10-20 s, 60 fps if you can.
    Clips up to 60 s (by their own timestamps) and 7200 frames; frames above 1920 pixels are analysed
    scaled down, and frames above 8K are refused.
    """
    as_json = fmt == "json"
    try:
        _gait(video, view, roi, list_checks, delete_id, as_json)
    except BackstrideError as error:
        code = getattr(error, "code", None) or ("no_such_check" if isinstance(error, NotFound) else "error")
        raise failure(code, str(error), error.exit_code, as_json) from None


def _gait(
    video: Path | None,
    view: str,
    roi: tuple[float, float, float, float] | None,
    list_checks: bool,
    delete_id: int | None,
    as_json: bool,
) -> None:
    from backstride.services import gait as service

    if delete_id is not None:
        service.delete_check(acting_user(), delete_id)
        if as_json:
            emit_json({"deleted": delete_id})
            return
        click.echo(f"Deleted form check #{delete_id}.")
        return
    if list_checks:
        rows = service.history(acting_user())
        if as_json:
            emit_json(rows)
            return
        for row in rows:
            cadence = "-" if row["cadence_spm"] is None else f"{row['cadence_spm']:.0f} spm"
            click.echo(
                f"#{row['id']}  {row['day']}  {row['view']:4}  {row['status']:6}  {cadence}  "
                f"{row['filename']}"
            )
        return
    if video is None:
        message = "give a VIDEO file to analyse (or --list to see earlier checks)"
        raise failure("usage", message, 2, as_json)
    service.check_clip_file(video)  # before the progress bar: a wrong path is a one-line answer
    user = acting_user()
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

            check = service.analyse_file(user, video, view, roi, progress)
    except BackstrideError:
        raise
    except Exception as error:  # a hostile clip may break the decoder: a message, never a traceback
        message = f"The analysis stopped: {error}. Try the clip again, or film a new one."
        raise service.FormCheckFailed("internal", message) from error
    result = service.result_of(check)
    assert result is not None  # analyse_file returns the check with the result it has just stored
    data: GaitReport = {**result, "id": check.id}
    if as_json:
        emit_json(data)
        return
    _print_result(data)
    click.echo(f"\nSaved as form check #{check.id}; see it with `backstride serve` under Form.")

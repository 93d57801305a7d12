"""Activity files built by the tests: GPX runs and a Strava export, with whatever names a test needs
(control characters included), so hostile cases do not depend on a file someone happened to find."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

METRES_PER_DEGREE_LAT = 111_195.0


def gpx_run(
    start: datetime,
    metres: float,
    *,
    name: str | None = "Run",
    creator: str = "backstride tests",
    seconds: int = 1800,
    points: int = 61,
) -> bytes:
    """A plausible run due north: ``points`` fixes over ``seconds``, ``metres`` long in total."""
    step_deg = metres / (points - 1) / METRES_PER_DEGREE_LAT
    step_s = seconds / (points - 1)
    fixes = "\n".join(
        f'<trkpt lat="{51.0 + i * step_deg:.7f}" lon="-0.1000000"><ele>{20 + (i % 5)}</ele>'
        f"<time>{(start + timedelta(seconds=i * step_s)).strftime('%Y-%m-%dT%H:%M:%SZ')}</time></trkpt>"
        for i in range(points)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<gpx version="1.1" creator="{escape(creator)}" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk>{'' if name is None else f'<name>{escape(name)}</name>'}<type>running</type><trkseg>\n"
        f"{fixes}\n</trkseg></trk></gpx>\n"
    ).encode()


def run_start(number: int) -> datetime:
    """Run ``number`` of a generated history: one a day at 06:00 UTC."""
    return datetime(2025, 3, 1, 6, 0, tzinfo=UTC) + timedelta(days=number)


def write_runs(folder: Path, count: int, *, shift_s: int = 0, stretch: float = 1.0, tag: str = "a") -> None:
    """``count`` runs as GPX files; ``shift_s`` and ``stretch`` make a second recording of the same runs
    (another watch: a few seconds later, a little longer) whose files differ byte for byte."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        data = gpx_run(
            run_start(number) + timedelta(seconds=shift_s),
            (5000 + 37 * number) * stretch,
            name=f"Run {number}",
            creator=f"watch {tag}",
        )
        (folder / f"{tag}-{number:03d}.gpx").write_bytes(data)


STRAVA_HEADER = [
    "Activity ID",
    "Activity Date",
    "Activity Name",
    "Activity Type",
    "Elapsed Time",
    "Distance",
    "Activity Gear",
    "Filename",
    "Moving Time",
    "Distance",
]


def write_strava_export(
    folder: Path, rows: list[dict[str, str]], shoes: list[tuple[str, str, str]] | None = None
) -> Path:
    """A minimal Strava export: activities.csv (rows by header name; "Distance" is the metres column),
    the files under activities/ that rows name (write them yourself), and shoes.csv."""
    (folder / "activities").mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(STRAVA_HEADER)
    for row in rows:
        metres = row.get("Distance", "")
        km = f"{float(metres) / 1000:.2f}" if metres else ""
        writer.writerow(
            [
                row.get("Activity ID", ""),
                row["Activity Date"],
                row.get("Activity Name", ""),
                row.get("Activity Type", "Run"),
                row.get("Elapsed Time", "1800"),
                km,
                row.get("Activity Gear", ""),
                row.get("Filename", ""),
                row.get("Moving Time", "1800"),
                metres,
            ]
        )
    (folder / "activities.csv").write_text(out.getvalue(), encoding="utf-8")
    lines = ["Shoe Name,Shoe Brand,Shoe Model,Shoe Default Sport Types"]
    for name, brand, model in shoes or []:
        lines.append(f"{name},{brand},{model},Run")
    (folder / "shoes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def strava_date(moment: datetime) -> str:
    """The way activities.csv writes a start (UTC, English locale)."""
    return moment.astimezone(UTC).strftime("%b %d, %Y, %I:%M:%S %p").replace(" 0", " ", 1)

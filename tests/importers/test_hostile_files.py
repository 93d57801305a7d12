"""A corpus of hostile activity files, generated here: every import gives activities or a one-line error,
never a traceback (a parser bug shows as "could not read this file (SomeError: ...)"), a hang, an
impossible activity, or unbounded memory.

Truncated FIT files at many offsets, bit-flipped FIT/GPX/TCX (hypothesis, derandomized so CI is
stable), FIT headers declaring huge sizes, teleports, empty and random files, deeply nested XML, very
long text, NUL bytes in names. The big ones go through the real `backstride import` in a child process
with a time limit and an address-space limit.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import resource
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import REPO_ROOT

from backstride.core.plausibility import (
    GPS_JUMP_SLACK_M,
    SUSTAINED_SLACK_M,
    SUSTAINED_WINDOW_S,
    limits_for,
)
from backstride.importers.pipeline import ParsedFile, parse_source

from .filegen import (
    FILE_ID,
    T0,
    fit_crc,
    fit_definition,
    fit_header,
    fit_session,
    gpx,
    gpx_point,
    small_fit,
    small_gpx,
    small_tcx,
    tcx,
    tcx_point,
)

FUZZ = settings(
    max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
PARSER_BUG = "could not read this file ("
SECONDS_PER_FILE = 10.0


def check(parsed: ParsedFile) -> None:
    """Activities that are possible, or one line saying why not: nothing else."""
    if parsed.error is not None:
        assert not parsed.parts
        assert parsed.error.strip() and "\n" not in parsed.error, parsed.error
        assert not parsed.error.startswith(PARSER_BUG), parsed.error
        return
    assert parsed.parts
    for part in parsed.parts:
        summary, activity = part.summary, part.activity
        limits = limits_for(summary.sport)
        assert "\n" not in (activity.partial_reason or "")
        span = max(summary.elapsed_time_s or 0.0, summary.moving_time_s or 0.0)
        assert 0 <= span <= limits.max_duration_s
        if summary.distance_m is not None:
            # Never faster than the sport's limit, but for the GPS slack allowed for.
            slack = GPS_JUMP_SLACK_M + SUSTAINED_SLACK_M * (span / SUSTAINED_WINDOW_S + 2)
            assert 0 <= summary.distance_m <= limits.max_speed_mps * span + slack, (summary, activity)


def import_bytes(tmp_path: Path, name: str, data: bytes) -> ParsedFile:
    path = tmp_path / name
    path.write_bytes(data)
    started = time.monotonic()
    parsed = parse_source(name, str(path), None)
    assert time.monotonic() - started < SECONDS_PER_FILE, name
    check(parsed)
    return parsed


# --------------------------------------------------------------------------------------------------
# FIT
# --------------------------------------------------------------------------------------------------

FIT = small_fit(600)


def _fit_offsets() -> list[int]:
    edges = [0, 1, 2, 11, 12, 13, 14, 15, 20, 27, 28, 40, len(FIT) - 3, len(FIT) - 2, len(FIT) - 1]
    return sorted(set(edges + list(range(41, len(FIT), 211))))


@pytest.mark.parametrize("offset", _fit_offsets())
def test_fit_truncated_anywhere(tmp_path: Path, offset: int) -> None:
    parsed = import_bytes(tmp_path, "cut.fit", FIT[:offset])
    if offset > 400:  # enough records for an activity: kept, flagged partial
        assert parsed.parts and parsed.parts[0].activity.partial


def _with_header(data_size: int, header_size: int = 12, body: bytes = FIT[12:-2]) -> bytes:
    header = struct.pack("<BBHI4s", header_size, 0x20, 2132, data_size, b".FIT")
    return header + b"\0" * max(0, header_size - 12) + body


@pytest.mark.parametrize(
    "data",
    [
        _with_header(0xFFFFFFFF),  # declares 4 GB of data
        _with_header(0xFFFFFFFF, header_size=255),  # a header longer than the file
        _with_header(len(FIT) - 14, header_size=14),  # a 14-byte header (its CRC) over the real data
        _with_header(0),  # declares nothing
        _with_header(0x7FFFFFFF, body=b""),  # a header and nothing else
        # a definition of 255 fields of 255 bytes: a 65 kB message that is not there
        fit_header(1000) + FILE_ID + bytes([0x41, 0, 0, 20, 0, 255]) + bytes([3, 255, 0x02]) * 255,
        # a definition with an unknown base type on a record field
        fit_header(200) + FILE_ID + fit_definition(1, 20, [(253, 4, 0x86), (3, 1, 0x1F)]) + bytes([1]) * 50,
        b"\x0e\x10" + b"\xff" * 6 + b".FIT" + os.urandom(64),
        FIT * 300,  # 300 chained copies of the same run
    ],
    ids=[
        "4gb",
        "header-255",
        "header-14",
        "size-0",
        "empty-body",
        "huge-definition",
        "unknown-base",
        "random-after-magic",
        "chained-300",
    ],
)
def test_fit_headers_and_definitions_that_lie(tmp_path: Path, data: bytes) -> None:
    import_bytes(tmp_path, "lies.fit", data)


def test_a_big_fit_the_fast_decoder_cannot_read_fails_fast(tmp_path: Path) -> None:
    """fitdecode, the fallback, reads about 0.5 MB/s: a 21 MB file it would need is refused instead."""
    definition = fit_definition(1, 20, [(253, 4, 0x86), (3, 1, 0x1F)])  # base type 0x1F: unknown
    data = fit_header(21 * 1024**2) + FILE_ID + definition + bytes(21 * 1024**2)
    parsed = import_bytes(tmp_path, "odd.fit", data)
    assert parsed.error == (
        "unsupported FIT structure: unknown FIT base type 0x1f in message 20 (and at 21 MB it is too big "
        "for the slow decoder: over 20 MB); export it as GPX or TCX from the device's app and import that"
    )


def test_fit_names_with_nul_and_bad_utf8(tmp_path: Path) -> None:
    name = b"Forerunner\x00\xff\xfe junk" + b"\x00" * 4
    file_id = fit_definition(0, 0, [(0, 1, 0x00), (1, 2, 0x84), (4, 4, 0x86), (8, len(name), 0x07)])
    file_id += bytes([0]) + struct.pack("<BHI", 4, 255, T0) + name
    records = FIT[12 + len(FILE_ID) : -2 - len(fit_session(T0, 600, 1800.0))]
    body = file_id + records + fit_session(T0, 600, 1800.0)
    data = fit_header(len(body)) + body
    parsed = import_bytes(tmp_path, "name.fit", data + struct.pack("<H", fit_crc(data)))
    assert parsed.parts and "\x00" not in (parsed.parts[0].activity.device or "")


@FUZZ
@given(st.data())
def test_fit_bit_flips(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    mutated = bytearray(FIT)
    for _ in range(data.draw(st.integers(1, 8))):
        mutated[data.draw(st.integers(0, len(FIT) - 1))] ^= 1 << data.draw(st.integers(0, 7))
    import_bytes(tmp_path_factory.mktemp("flip"), "flipped.fit", bytes(mutated))


# --------------------------------------------------------------------------------------------------
# GPX and TCX
# --------------------------------------------------------------------------------------------------

GPX = small_gpx(300)
TCX = small_tcx(300)
ANTIPODE = (-48.0, -169.0)  # the other side of the Earth from (48, 11)
GPX_TELEPORT = gpx([gpx_point(48.0, 11.0, 0), gpx_point(*ANTIPODE, 10), gpx_point(48.0, 11.0001, 20)])
TCX_TELEPORT = tcx([tcx_point(48.0, 11.0, 0), tcx_point(*ANTIPODE, 10), tcx_point(48.0, 11.0001, 20)])
GPX_TELEPORTS = gpx([gpx_point(*((48.0, 11.0) if i % 2 else ANTIPODE), i) for i in range(500)])
GPX_FAR_ALTITUDES = gpx([gpx_point(48.0, 11.0 + i * 4e-5, i, ele=1e7 * (-1) ** i) for i in range(100)])
GPX_GARBAGE_TIMES = gpx("".join(f"<trkpt><time>{t}</time></trkpt>" for t in ("9999-99-99", "x", "") * 50))
TCX_ENDLESS_LAPS = (
    b"<TrainingCenterDatabase><Activities><Activity Sport='Running'>"
    + b"<Lap><TotalTimeSeconds>1e308</TotalTimeSeconds><DistanceMeters>1e308</DistanceMeters></Lap>" * 50
    + b"</Activity></Activities></TrainingCenterDatabase>"
)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("nested.gpx", b"<gpx>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</gpx>"),
        ("nested.tcx", b"<TrainingCenterDatabase>" + b"<x>" * 100_000),
        ("wide-point.gpx", gpx("<trkpt lat='1' lon='1'>" + "<e/>" * 20_000 + "</trkpt>")),
        ("nul-name.gpx", GPX.replace(b"<name>t</name>", b"<name>a\x00b</name>")),
        ("nul-ref.gpx", GPX.replace(b"<name>t</name>", b"<name>a&#0;b</name>")),
        ("control-name.gpx", GPX.replace(b"<name>t</name>", b"<name>a\x1b[31mb</name>")),
        ("utf16.gpx", GPX.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")),
        ("same-time.gpx", gpx([gpx_point(48.0, 11.0 + i * 1e-5, 0) for i in range(2000)])),
        ("backwards.gpx", gpx([gpx_point(48.0, 11.0 + i * 1e-5, 2000 - i) for i in range(2000)])),
        ("teleport.gpx", GPX_TELEPORT),
        ("teleports.gpx", GPX_TELEPORTS),
        ("teleport.tcx", TCX_TELEPORT),
        ("far-altitude.gpx", GPX_FAR_ALTITUDES),
        ("huge-numbers.gpx", gpx([gpx_point(48.0, 11.0, i, ele=1e308, hr=10**9) for i in range(10)])),
        ("garbage-times.gpx", GPX_GARBAGE_TIMES),
        ("laps-only.tcx", TCX.replace(b"<Track>", b"<Track>" + b"<Trackpoint/>" * 5000)),
        ("endless-laps.tcx", TCX_ENDLESS_LAPS),
        ("cut.gpx", GPX[: len(GPX) // 2]),
        ("cut.tcx", TCX[: len(TCX) // 3]),
        ("bom-only.gpx", b"\xef\xbb\xbf" * 1000),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)  # fmt: skip
def test_xml_that_attacks_the_parser(tmp_path: Path, name: str, data: bytes) -> None:
    parsed = import_bytes(tmp_path, name, data)
    if name.startswith("teleport") and parsed.parts:
        assert parsed.parts[0].activity.partial


@FUZZ
@given(st.data(), st.sampled_from(["gpx", "tcx"]))
def test_xml_bit_flips(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, kind: str) -> None:
    original = GPX if kind == "gpx" else TCX
    mutated = bytearray(original)
    for _ in range(data.draw(st.integers(1, 8))):
        mutated[data.draw(st.integers(0, len(original) - 1))] ^= 1 << data.draw(st.integers(0, 7))
    import_bytes(tmp_path_factory.mktemp("flip"), f"flipped.{kind}", bytes(mutated))


# --------------------------------------------------------------------------------------------------
# Anything at all
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00",
        random.Random(11).randbytes(4096),
        random.Random(12).randbytes(1024**2),
        gzip.compress(random.Random(13).randbytes(10_000)),
        gzip.compress(FIT)[:-20],  # a cut gzip stream
        gzip.compress(gzip.compress(FIT)),  # gzip in gzip
        gzip.compress(gzip.compress(gzip.compress(FIT))),  # three deep: not unwrapped further
        b"PK\x03\x04" + random.Random(14).randbytes(200),  # looks like a zip
    ],
    ids=["empty", "nul", "random-4k", "random-1m", "gzip-random", "gzip-cut", "gzip-2", "gzip-3", "zip-head"],
)
def test_anything(tmp_path: Path, data: bytes) -> None:
    import_bytes(tmp_path, "thing.fit", data)


BIG_CHILD_LIMIT = 2 * 1024**3


def test_the_big_hostile_files_through_the_real_command(tmp_path: Path) -> None:
    """`backstride import` of a folder of big hostile files in a child with a time limit and a 2 GB
    address-space limit: a JSON report with one line per failure, no traceback, no hang."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    long_name = b"<name>" + b"x" * 30_000_000 + b"</name>"
    (folder / "long-name.gpx").write_bytes(GPX.replace(b"<name>t</name>", long_name))
    (folder / "deep.gpx").write_bytes(b"<gpx>" + b"<a>" * 3_000_000)
    (folder / "many-waypoints.gpx").write_bytes(
        b"<gpx>" + b"<wpt lat='1' lon='1'><name>w</name></wpt>" * 500_000 + b"</gpx>"
    )
    (folder / "wide.tcx").write_bytes(TCX.replace(b"<Track>", b"<Track>" + b"<x/>" * 3_000_000))
    with (folder / "over-the-cap.fit").open("wb") as handle:
        handle.write(FIT[:64])
        handle.truncate(201 * 1024**2)
    (folder / "zero.fit").write_bytes(b"")
    (folder / "teleport.gpx").write_bytes(GPX_TELEPORT)
    env = {key: value for key, value in os.environ.items() if key != "BACKSTRIDE_DB"}
    env.update(BACKSTRIDE_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(REPO_ROOT / "src"))

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (BIG_CHILD_LIMIT, BIG_CHILD_LIMIT))

    done = subprocess.run(
        [sys.executable, "-m", "backstride.cli", "import", str(folder), "--format", "json", "--workers", "1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        preexec_fn=limit,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert done.returncode == 1, done.stderr[-3000:]
    report = json.loads(done.stdout)
    errors = {Path(row["path"]).name: row["error"] for row in report["failed"]}
    assert all("\n" not in error and not error.startswith(PARSER_BUG) for error in errors.values()), errors
    assert "over the 200 MB limit" in errors["over-the-cap.fit"]
    assert "nested more than 64 deep" in errors["deep.gpx"]
    imported = {Path(row["source_file"]).name: row for row in report["activities"]}
    assert len(imported["long-name.gpx"]["name"]) <= 200
    assert imported["teleport.gpx"]["partial"] and imported["teleport.gpx"]["distance_m"] < 100

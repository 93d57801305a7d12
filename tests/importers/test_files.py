"""Reading activity files: the one size cap, and devices/FIFOs refused before anything is read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import REPO_ROOT

from backstride.importers import files, formats
from backstride.importers.files import MAX_FILE_BYTES, FileRefused, read_file, read_head
from backstride.importers.pipeline import parse_source

from .filegen import small_fit


def _bytes_read() -> int:
    """What this process has read so far (Linux /proc/self/io `rchar`)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


def test_one_cap_for_every_way_in() -> None:
    assert MAX_FILE_BYTES == 200 * 1024**2
    assert formats.MAX_DECOMPRESSED_BYTES == MAX_FILE_BYTES
    peak = files.MEMORY_PER_FILE_BYTE * MAX_FILE_BYTES + files.MEMORY_FIXED_BYTES
    assert peak <= files.MEMORY_CEILING_BYTES == 1024**3


def test_a_file_over_the_cap_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "huge.fit"
    with big.open("wb") as handle:  # sparse: no disk space used
        handle.write(small_fit(10)[:64])
        handle.truncate(MAX_FILE_BYTES + 1)
    before = _bytes_read()
    parsed = parse_source(str(big), str(big), None)
    assert _bytes_read() - before < 1024**2
    assert parsed.error is not None and not parsed.parts
    assert "over the 200 MB limit for one activity file" in parsed.error and "\n" not in parsed.error
    assert not parsed.not_an_activity  # reported even when found in a folder: it looked like a FIT file


def test_exactly_the_cap_is_read(tmp_path: Path) -> None:
    path = tmp_path / "at-cap.bin"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES)
    assert len(read_file(path)) == MAX_FILE_BYTES


def test_bytes_over_the_cap_from_an_archive_or_upload_are_refused() -> None:
    parsed = parse_source("export.zip!big.fit", None, b"\0" * (MAX_FILE_BYTES + 1))
    assert parsed.error and "limit for one activity file" in parsed.error


def test_gzip_output_is_capped_the_same() -> None:
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)  # gzip framing, fed in 1 MB pieces
    zeros = b"\0" * 1024**2
    bomb = b"".join(packer.compress(zeros) for _ in range(MAX_FILE_BYTES // len(zeros) + 1)) + packer.flush()
    with pytest.raises(formats.ActivityFileError, match="200 MB"):
        formats.decompressed(bomb)


def test_dev_zero_is_refused_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refused from what fstat says, before any byte is read (how fast: bench/refusal_bench.py)."""
    reads: list[object] = []
    real_fdopen = os.fdopen

    def fdopen(fd: int, *args: object, **kwargs: object) -> object:
        reads.append(fd)  # a file object to read from: only ever made for a regular file
        return real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "fdopen", fdopen)
    parsed = parse_source("/dev/zero", "/dev/zero", None)
    assert reads == []
    assert parsed.error == (
        "refused: zero is a device, not an activity file; name the .fit, .gpx or .tcx file, a folder or a zip"
    )
    with pytest.raises(FileRefused, match="a device"):
        read_head("/dev/zero")
    assert reads == []


def test_a_folder_is_not_read_as_a_file(tmp_path: Path) -> None:
    with pytest.raises(FileRefused, match=f"^refused: {tmp_path.name} is a folder, not an activity file;"):
        read_file(tmp_path)


FIFO_CHILD = """
import os, sys
from backstride.importers.files import read_head
from backstride.importers.pipeline import parse_source
path = sys.argv[1]
parsed = parse_source(path, path, None)
try:
    read_head(path)
    head = "read"
except Exception as error:
    head = str(error)
print(parsed.error)
print(head)
"""


def test_a_fifo_is_refused_at_once_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.gpx"
    os.mkfifo(fifo)
    # In a child with a timeout: if opening blocked (no writer ever comes), it would wait forever, so
    # the generous timeout fails the test instead of hanging it (how fast it is: bench/refusal_bench.py).
    done = subprocess.run(
        [sys.executable, "-c", FIFO_CHILD, str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")},
        check=True,
    )
    error, head = done.stdout.strip().splitlines()
    assert error == (
        "refused: pipe.gpx is a named pipe (FIFO), not an activity file; "
        "name the .fit, .gpx or .tcx file, a folder or a zip"
    )
    assert head == error


@pytest.mark.django_db
def test_cli_import_of_dev_zero_fails_in_one_line() -> None:
    from backstride.cli import main

    result = CliRunner().invoke(main, ["import", "/dev/zero", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["imported"] == 0
    assert [f["error"] for f in report["failed"]] == [
        "refused: /dev/zero is a device, not an activity file; "
        "name the .fit, .gpx or .tcx file, a folder or a zip"
    ]

"""Reading activity files: regular files only, and never more than MAX_FILE_BYTES of one file.

The one size cap for a single activity file, wherever it comes from: named on the command line, found
in a folder, a member of an archive, an upload, or the output of gunzip. Why 200 MB: real recordings
are far smaller (a 24-hour run recorded every second is about 4 MB of FIT or 20 MB of GPX; the largest
file in the shared test corpus is 3 MB), and the importer's peak memory for one file is at most
MEMORY_PER_FILE_BYTE bytes per file byte plus MEMORY_FIXED_BYTES of working buffers, so the cap keeps
one file under MEMORY_CEILING_BYTES. bench/import_memory.py measures it (a 150 MB FIT: 1.7 bytes per
byte); tests/importers/test_bounded.py holds it in CI. Archives keep their own limits on top (member
count, total bytes, compression ratio; see archive.py).

Devices, FIFOs and sockets (`/dev/zero`, a named pipe) are refused before a byte is read: opening uses
O_NONBLOCK, so a FIFO with no writer cannot block the import.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from backstride.core.activity import ActivityFileError

MAX_FILE_BYTES = 200 * 1024**2
MEMORY_PER_FILE_BYTE = 5  # the importer's documented peak: at most this many bytes per byte of the file
MEMORY_FIXED_BYTES = 16 * 1024**2  # plus this, whatever the size (chunk buffers, caches): small files
MEMORY_CEILING_BYTES = 1024**3  # 1 GB: 5 x the cap is 1000 MB, plus the fixed part
HEAD_BYTES = 4096  # enough to tell FIT, GPX, TCX, gzip and zip apart


class FileRefused(ActivityFileError):
    """A file the importer will not read at all (too big, or not a regular file)."""


def megabytes(size: int) -> str:
    return f"{size / 1024**2:,.0f} MB" if size >= 1024**2 else f"{size / 1024**2:.1f} MB"


def too_big(size: int) -> FileRefused:
    return FileRefused(
        f"refused: {megabytes(size)} is over the {megabytes(MAX_FILE_BYTES)} limit for one activity "
        "file (a day-long recording is under 20 MB); check that this is the activity you meant"
    )


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def not_regular(label: str, mode: int) -> FileRefused:
    """The one refusal for a path that is not a regular file (device, pipe, socket), named as the user
    knows it."""
    return FileRefused(
        f"refused: {label} is {_kind(mode)}, not an activity file; name the .fit, .gpx or .tcx file, "
        "a folder or a zip"
    )


def open_regular(path: str | os.PathLike[str], *, check_size: bool = True) -> BinaryIO:
    """Open `path` for reading if it is a regular file (and, with `check_size`, within the cap).
    Raises FileRefused with a one-line reason otherwise, and OSError when it cannot be opened."""
    flags = (
        os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    )
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise not_regular(Path(path).name or str(path), info.st_mode)
        if check_size and info.st_size > MAX_FILE_BYTES:
            raise too_big(info.st_size)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_file(path: str | os.PathLike[str]) -> bytes:
    """The whole file, if it is a regular file of at most MAX_FILE_BYTES (a file that grows while it
    is read is refused too: at most MAX_FILE_BYTES + 1 bytes are ever read)."""
    with open_regular(path) as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise too_big(len(data))
    return data


def read_head(path: str | os.PathLike[str], size: int = HEAD_BYTES) -> bytes:
    """The first `size` bytes, to sniff the format; refuses devices and FIFOs like `read_file` (a big
    file is not refused here: reading it later is)."""
    with open_regular(path, check_size=False) as handle:
        return handle.read(size)


def check_size(data: bytes | bytearray | memoryview) -> None:
    """For bytes that did not come from `read_file` (archive members, uploads, gunzip output)."""
    if len(data) > MAX_FILE_BYTES:
        raise too_big(len(data))

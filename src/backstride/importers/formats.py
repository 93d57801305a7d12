"""Sniff a file's format from its bytes and hand it to the right parser (gzip unwrapped first)."""

from __future__ import annotations

import gzip
import io
import zlib

from backstride.core.activity import ActivityFileError, ParsedActivity

from .files import MAX_FILE_BYTES, megabytes

MAX_DECOMPRESSED_BYTES = MAX_FILE_BYTES  # a gunzipped file is one activity file: the same cap
MAX_GZIP_RATIO = 200  # a higher expansion is a decompression bomb, not a watch file


class UnknownFormat(ActivityFileError):
    """Not an activity file by content. Inside a folder or an archive such files are passed over."""


def sniff(data: bytes) -> str | None:
    """'fit', 'gpx', 'tcx', 'gzip', 'zip' or None."""
    if data[:2] == b"\x1f\x8b":
        return "gzip"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip"
    if len(data) >= 12 and data[8:12] == b".FIT":
        return "fit"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<"):
        if b"<trainingcenterdatabase" in head:
            return "tcx"
        if b"<gpx" in head:
            return "gpx"
    return None


def gunzip(data: bytes) -> bytes:
    """Decompress with a hard cap on the output size, so a gzip bomb stops early."""
    limit = min(MAX_DECOMPRESSED_BYTES, max(len(data), 1) * MAX_GZIP_RATIO)
    stream = gzip.GzipFile(fileobj=io.BytesIO(data))
    try:
        out = stream.read(limit + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise ActivityFileError(f"damaged gzip file ({error})") from error
    if len(out) > limit:
        raise ActivityFileError(
            f"refused as unsafe: this gzip file expands over {MAX_GZIP_RATIO}x or past "
            f"{megabytes(MAX_DECOMPRESSED_BYTES)} (a decompression bomb?); import the original file"
        )
    return out


def decompressed(data: bytes) -> bytes:
    for _ in range(2):  # .fit.gz, and the odd double-gzipped upload
        if sniff(data) != "gzip":
            break
        data = gunzip(data)
    return data


def parse_activity_bytes(data: bytes) -> list[ParsedActivity]:
    """Parse already-decompressed bytes; ActivityFileError (one line) when it cannot be imported."""
    kind = sniff(data)
    if kind == "fit":
        from .fit import parse_fit

        return parse_fit(data)
    if kind == "gpx":
        from .gpx import parse_gpx

        return parse_gpx(data)
    if kind == "tcx":
        from .tcx import parse_tcx

        return parse_tcx(data)
    if not data:
        raise UnknownFormat("empty file")
    raise UnknownFormat("not a FIT, GPX or TCX activity file (checked by content, not by name)")

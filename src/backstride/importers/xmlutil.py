"""Helpers shared by the XML importers (GPX, TCX).

- `walk`: safe streaming parsing with defusedxml's iterparse (no DTD, no entity expansion, no external
  entities), after skipping a BOM and whitespace before `<?xml` (Strava TCX files start with
  whitespace). The document is read 16 KB at a time and handed to a reader as start/end events with
  the path of local names; every element is removed from the tree as soon as it ends, so memory stays
  bounded by the nesting depth (at most MAX_DEPTH), never by the file. A file cut off part-way ends the
  elements still open, so the reader keeps what was read, and reports the reason (`partial`).
- `PointTable`: track points as compact columns (8 bytes a value), exact duplicates left out.
- `local`: element names without their namespace, so `gpxtpx:hr`, `ns3:hr` and `hr` all read as "hr".
- `parse_time`: ISO-8601 with `Z`, offsets, fractions of any length; naive times are taken as UTC.
- `chronological_indices`, `drop_reason`, `heart_rate`, `per_leg_to_steps`, `haversine_m`,
  `sport_from_label`: the cleaning rules both formats share.
"""

from __future__ import annotations

import math
import re
import time
from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta, timezone
from statistics import median
from typing import Protocol, TypeVar
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException, DTDForbidden

from backstride.core.activity import ActivityFileError
from backstride.core.plausibility import haversine_m

__all__ = ["haversine_m"]  # re-exported: the importers' one great-circle distance lives in core

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_WHITESPACE = b" \t\r\n"


# A running cadence whose typical (median) reading is at most this is per leg (strides/min), as Garmin
# TPX `RunCadence`, Strava GPX `cad` and most watches write it: doubled to steps/min. A typical per-leg
# running cadence is 75-95; a typical steps/min one is 150-190, so 120 separates them.
PER_LEG_MAX = 120.0

# Times outside [GPS epoch, now + 2 days] are clock garbage (e.g. 1901-12-13, the 32-bit minimum).
EARLIEST_EPOCH = datetime(1980, 1, 6, tzinfo=UTC).timestamp()
# Points separated from the rest of the activity by more than this are clock errors (GPS week rollover,
# a watch that had not synced): the largest group of points without such a gap is kept.
MAX_GAP_S = 24 * 3600.0
DROP_TOLERANCE = 0.05  # share of an activity's points that may be dropped without flagging `partial`


MAX_DEPTH = 64  # GPX and TCX nest about 8 elements deep; a deeper document is not one of them
MAX_RECORD_ELEMENTS = 10_000  # elements inside one track point (a real one has about 10)


class XmlReader(Protocol):
    """What `walk` feeds: `path` is the local names from the root to `elem` (valid during the call).
    Elements named in `records` (track points) are handed over whole at their end, with their children
    attached, and their descendants are not fed one by one: fewer calls for the bulk of a file."""

    records: frozenset[str]

    def start(self, elem: Element, path: list[str]) -> None: ...

    def end(self, elem: Element, path: list[str]) -> None: ...


R = TypeVar("R", bound=XmlReader)


def one_line(text: object, limit: int = 160) -> str:
    """`text` on one line, shortened: messages built from exceptions or file content stay one line."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def content_bounds(data: bytes) -> tuple[int, int]:
    """(start, end) of the document in `data`: UTF-8 BOMs and whitespace before the first `<` skipped
    (in any order), and NUL padding or whitespace after the document (some devices pad their files),
    which would otherwise read as damage. Nothing is copied."""
    end = len(data)
    if not data.startswith(_UTF16_BOMS):
        while end:
            piece = data[max(0, end - 65536) : end]
            kept = piece.rstrip(b"\x00" + _WHITESPACE)
            end -= len(piece) - len(kept)
            if kept:
                break
    start = 0
    while start < end:
        if data.startswith(_UTF8_BOM, start):
            start += len(_UTF8_BOM)
        elif data[start] in _WHITESPACE:
            start += 1
        else:
            break
    return start, end


def strip_preamble(data: bytes) -> bytes:
    """The document without what `content_bounds` skips (a copy; for small inputs)."""
    start, end = content_bounds(data)
    return data[start:end]


class _ViewReader:
    """A file over data[start:end] that copies only what is asked for (iterparse reads 16 KB at a time)."""

    def __init__(self, data: bytes, start: int, end: int) -> None:
        self._view = memoryview(data)
        self._pos = start
        self._end = end

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0 or size > self._end - self._pos:
            size = self._end - self._pos
        out = bytes(self._view[self._pos : self._pos + size])
        self._pos += size
        return out


def _bind_undeclared_prefixes(text: bytes) -> bytes | None:
    """Declare prefixes a writer used without `xmlns:p=...` (seen in hand-edited GPX extensions), so the
    file parses instead of failing on "unbound prefix". None when there is nothing to fix."""
    used = set(re.findall(rb"</?([A-Za-z_][\w.-]*):[A-Za-z_]", text))
    declared = set(re.findall(rb"xmlns:([A-Za-z_][\w.-]*)\s*=", text))
    missing = sorted(used - declared - {b"xml", b"xmlns"})
    if not missing:
        return None
    root = re.search(rb"<(?![?!])[A-Za-z_][\w.:-]*", text)
    if root is None:
        return None
    decls = b"".join(b' xmlns:%s="urn:backstride:undeclared:%s"' % (p, p) for p in missing)
    return text[: root.end()] + decls + text[root.end() :]


class _TooDeep(Exception):
    pass


def _run(source: _ViewReader, fmt: str, root_name: str, reader: XmlReader) -> tuple[bool, Exception | None]:
    """Feed `reader` the document's events. Returns (whether the root element started, the error that
    stopped the parse or None). The elements still open at an error are ended, innermost first."""
    stack: list[Element] = []  # open elements outside track points (and the open track point)
    path: list[str] = []
    root_seen = False
    start, end, records = reader.start, reader.end, reader.records
    names = _LOCAL
    in_record = False  # inside a track point: its descendants are only counted
    inner = 0  # open descendants of the track point
    record_elements = 0
    try:
        for event, elem in safe_et.iterparse(source, events=("start", "end"), forbid_dtd=True):
            if in_record:
                if event == "start":
                    inner += 1
                    record_elements += 1
                    if record_elements > MAX_RECORD_ELEMENTS or len(stack) + inner > MAX_DEPTH:
                        raise _TooDeep(f"a <{path[-1]}> with over {MAX_RECORD_ELEMENTS} elements or levels")
                elif inner:
                    inner -= 1  # stays attached to its track point, read with it
                else:
                    in_record = False
                    end(elem, path)
                    stack.pop()
                    path.pop()
                    stack[-1].remove(elem)
                continue
            if event == "start":
                name = names.get(elem.tag) or local(elem.tag)
                if not stack:
                    if root_seen or name != root_name:
                        raise ActivityFileError(
                            f"not a {fmt} file: the root element is <{one_line(name, 40)}>"
                        )
                    root_seen = True
                stack.append(elem)
                path.append(name)
                if len(stack) > MAX_DEPTH:
                    raise _TooDeep(f"elements nested more than {MAX_DEPTH} deep")
                if name in records and len(stack) > 1:
                    in_record, inner, record_elements = True, 0, 0
                start(elem, path)
            else:
                end(elem, path)
                stack.pop()
                path.pop()
                if stack:
                    stack[-1].remove(elem)  # at the front: its earlier siblings are gone already
    except (ParseError, _TooDeep) as exc:
        while stack:  # end what is open, innermost first (a track point with what it holds so far)
            end(stack[-1], path)
            stack.pop()
            path.pop()
        return root_seen, exc
    except DTDForbidden as exc:
        if exc.name and local(str(exc.name)) != root_name:
            raise ActivityFileError(
                f"not a {fmt} file: it is a <!DOCTYPE {one_line(exc.name, 40)}> document"
            ) from None
        raise ActivityFileError(
            f"{fmt} file refused: it contains a DOCTYPE declaration (DTDs and entities are not allowed)"
        ) from None
    except DefusedXmlException as exc:
        raise ActivityFileError(
            f"{fmt} file refused: it declares entities ({type(exc).__name__}); they are not allowed"
        ) from None
    return True, None


def walk(data: bytes, fmt: str, root_name: str, make_reader: Callable[[], R]) -> tuple[R, str | None]:
    """Stream `data` (a GPX or TCX document) into a new reader; returns (reader, damage or None).
    `fmt` names the format in messages. Raises ActivityFileError with a one-line reason when the file
    is not such a document at all (not XML, another root element, a DTD or entities)."""
    start, end = content_bounds(data)
    if start >= end or (data[start : start + 1] != b"<" and not data.startswith(_UTF16_BOMS, start)):
        text = data[start : min(end, start + 60)]
        shown = one_line(text.decode("utf-8", "replace"), 60) if text else "the file is empty"
        raise ActivityFileError(f"not a {fmt} file: it is not XML ({shown})")
    reader = make_reader()
    started, error = _run(_ViewReader(data, start, end), fmt, root_name, reader)
    if error is not None and "unbound prefix" in str(error):
        fixed = _bind_undeclared_prefixes(data[start:end])
        if fixed is not None:
            reader = make_reader()
            started, error = _run(_ViewReader(fixed, 0, len(fixed)), fmt, root_name, reader)
    if not started:
        raise ActivityFileError(f"not a {fmt} file: {one_line(error or 'no XML element')}")
    damage = f"the file is cut off or damaged ({one_line(error, 100)})" if error is not None else None
    return reader, damage


class Thinned:
    """Which of `count` points are kept when at most `limit` may be: every stride-th (a power of two)
    and the last. `k in thinned` answers in O(1), without a list of indices."""

    def __init__(self, count: int, limit: int) -> None:
        stride = 1
        while -(-count // stride) > limit:
            stride *= 2
        self.stride, self.count = stride, count

    def __contains__(self, k: object) -> bool:
        return isinstance(k, int) and 0 <= k < self.count and (k % self.stride == 0 or k == self.count - 1)


def thinned(count: int, limit: int) -> Thinned:
    return Thinned(count, limit)


class PointTable:
    """Rows of floats-or-None (one track point each) as columns of doubles, NaN for None. Exact
    duplicate rows (a lap written twice) are left out: only a row whose time is not later than every
    earlier row can be one, so the set of row hashes is built the first time time stands still or goes
    back, and not at all for the usual file whose times only go forward."""

    def __init__(self, width: int) -> None:
        self.columns: list[array[float]] = [array("d") for _ in range(width)]
        self.appended = 0  # rows offered, duplicates included
        self._latest = -math.inf
        self._seen: set[int] | None = None

    def __len__(self) -> int:
        return len(self.columns[0])

    def append(self, row: tuple[float | None, ...]) -> None:
        self.appended += 1
        t = row[0]
        assert t is not None
        if t > self._latest:
            self._latest = t
            if self._seen is not None:
                self._seen.add(hash(row))
        else:
            if self._seen is None:
                self._seen = {hash(self.row(i)) for i in range(len(self))}
            key = hash(row)
            if key in self._seen:
                return
            self._seen.add(key)
        for column, value in zip(self.columns, row, strict=True):
            column.append(math.nan if value is None else value)

    def value(self, column: int, i: int) -> float | None:
        value = self.columns[column][i]
        return None if value != value else value

    def row(self, i: int) -> tuple[float | None, ...]:
        return tuple(None if c[i] != c[i] else c[i] for c in self.columns)


_LOCAL: dict[str, str] = {}
_LOCAL_MAX = 4096  # a file with endless distinct tag names must not grow the cache without bound


def local(tag: object) -> str:
    """The element name without its namespace: `{http://...}hr` -> `hr`. Comments/PIs give ""."""
    if not isinstance(tag, str):
        return ""
    name = _LOCAL.get(tag)
    if name is None:
        name = tag.rpartition("}")[2]
        if len(_LOCAL) < _LOCAL_MAX:
            _LOCAL[tag] = name
    return name


def children(elem: Element, name: str) -> list[Element]:
    return [c for c in elem if local(c.tag) == name]


def child(elem: Element | None, *path: str) -> Element | None:
    """Follow direct children by local name: `child(tp, "HeartRateBpm", "Value")`."""
    for name in path:
        if elem is None:
            return None
        elem = next((c for c in elem if local(c.tag) == name), None)
    return elem


def child_text(elem: Element | None, *path: str) -> str | None:
    found = child(elem, *path)
    if found is None or found.text is None:
        return None
    text = found.text.strip()
    return text or None


def to_float(text: str | None) -> float | None:
    """A finite number, or None for missing/garbage text."""
    if text is None:
        return None
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def child_float(elem: Element | None, *path: str) -> float | None:
    return to_float(child_text(elem, *path))


_ISO_LOOSE = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*"
    r"(?:([Zz])|([+-])(\d{2}):?(\d{2})?)?\s*$"
)


def parse_time(text: str | None) -> datetime | None:
    """ISO-8601 date-time -> aware UTC datetime; None when missing or unreadable. Naive = UTC."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        value_or_none = _parse_time_loose(text)
        if value_or_none is None:
            return None
        value = value_or_none
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _parse_time_loose(text: str) -> datetime | None:
    m = _ISO_LOOSE.match(text)
    if m is None:
        return None
    year, month, day, hour, minute, second, frac, _z, sign, off_h, off_m = m.groups()
    offset = timedelta(hours=int(off_h or 0), minutes=int(off_m or 0))
    try:
        return datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0),
            int((frac or "0")[:6].ljust(6, "0")), tzinfo=timezone(-offset if sign == "-" else offset),
        )  # fmt: skip
    except ValueError:
        return None


def parse_duration(text: str | None) -> float | None:
    """Seconds from `311.31` or `h:mm:ss(.ff)` / `mm:ss`; None when unreadable."""
    if not text:
        return None
    parts = text.strip().split(":")
    if len(parts) > 3:
        return None
    total = 0.0
    for part in parts:
        value = to_float(part)
        if value is None or value < 0:
            return None
        total = total * 60 + value
    return total


def valid_position(lat: float | None, lon: float | None) -> bool:
    return lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180


def nondecreasing_indices(values: Sequence[float]) -> Sequence[int]:
    """Indices of a longest non-decreasing subsequence of `values` (in order), the earliest such.

    The rule for clocks that step backwards: keep the most points whose times never go back; among
    equally long choices keep the earlier points, so a point that steps back is the one dropped. A
    point far ahead is dropped too, rather than every point after it. O(n log n).
    """
    n = len(values)
    if all(values[i] <= values[i + 1] for i in range(n - 1)):
        return range(n)  # the usual file: every point in order, nothing to choose
    starts = [0] * n  # starts[i]: length of the longest non-decreasing run starting at i
    tails: list[float] = []
    for i in range(n - 1, -1, -1):
        v = -values[i]
        k = bisect_right(tails, v)
        if k == len(tails):
            tails.append(v)
        else:
            tails[k] = v
        starts[i] = k + 1
    need = len(tails)
    out: list[int] = []
    last = -math.inf
    for i, v in enumerate(values):
        if need and v >= last and starts[i] >= need:
            out.append(i)
            last = v
            need -= 1
    return out


def heart_rate(value: float | None) -> float | None:
    """A heart rate reading, or None for the "no reading" markers writers use (0, 255 = FIT invalid)."""
    return value if value is not None and 0 < value <= 250 else None


def plausible_epoch(t: float) -> bool:
    return EARLIEST_EPOCH <= t <= time.time() + 2 * 86400


def chronological_indices(times: Sequence[float]) -> Sequence[int]:
    """The points to keep, in order: a longest non-decreasing run of times (`nondecreasing_indices`),
    then, if gaps of more than MAX_GAP_S split it, the largest group."""
    keep = nondecreasing_indices(times)
    best_start = best_len = group_start = 0
    for k in range(1, len(keep) + 1):
        if k == len(keep) or times[keep[k]] - times[keep[k - 1]] > MAX_GAP_S:
            if k - group_start > best_len:
                best_start, best_len = group_start, k - group_start
            group_start = k
    return keep[best_start : best_start + best_len]


def drop_reason(total: int, timed: int, unique: int, kept: int, what: str) -> str | None:
    """The `partial_reason` when more than DROP_TOLERANCE of the points were dropped, else None.

    total = points in the file, timed = with a usable time, unique = timed minus exact duplicates (not
    counted as dropped: a lap written twice loses nothing), kept = after `chronological_indices`.
    """
    considered = total - (timed - unique)
    dropped = considered - kept
    if dropped <= DROP_TOLERANCE * considered:
        return None
    return (
        f"{dropped} of {considered} {what} dropped "
        f"({total - timed} without a usable time, {unique - kept} out of order or far from the rest)"
    )


def per_leg_to_steps(values: list[float | None]) -> tuple[list[float | None], bool]:
    """Double a cadence channel recorded per leg (median positive reading <= PER_LEG_MAX) to steps/min.

    Returns the channel and whether it was doubled. Zeros (standing) stay zero; None stays None.
    """
    positive = [v for v in values if v is not None and v > 0]
    if not positive or median(positive) > PER_LEG_MAX:
        return values, False
    return [None if v is None else v * 2 for v in values], True


# Strava's numeric activity types in its GPX exports (`<type>9</type>`). 1 and 9 are seen in the test
# files; the others follow Strava's list (Ride=1, Hike=4, Run=9, Walk=10, Swim=16, VirtualRide=17,
# EBikeRide=18); unknown codes give "other".
STRAVA_TYPE_CODES: dict[str, tuple[str, str | None]] = {
    "1": ("cycling", None),
    "4": ("hiking", None),
    "9": ("running", None),
    "10": ("walking", None),
    "16": ("swimming", None),
    "17": ("cycling", "virtual"),
    "18": ("cycling", None),
}


def sport_from_label(label: str | None) -> tuple[str, str | None]:
    """(sport, sub_sport) from a free-text sport (`Running`, `trail_running`, `Biking`, `Ride`, a
    Strava numeric code...). Unknown or missing -> ("other", None)."""
    if not label:
        return "other", None
    text = label.strip()
    if text.isdigit():
        return STRAVA_TYPE_CODES.get(text.lstrip("0") or "0", ("other", None))
    word = re.sub(r"[^a-z]", "", text.lower())
    if "treadmill" in word:
        return "running", "treadmill"
    if "run" in word or "jog" in word:
        for key, sub in (
            ("trail", "trail"),
            ("track", "track"),
            ("virtual", "virtual"),
            ("indoor", "indoor"),
        ):
            if key in word:
                return "running", sub
        if "road" in word or "street" in word:
            return "running", "road"
        return "running", None
    if any(key in word for key in ("ride", "cycl", "bik", "bicycle")):
        return "cycling", "virtual" if "virtual" in word else None
    if "hik" in word:
        return "hiking", None
    if "walk" in word:
        return "walking", None
    if "swim" in word:
        return "swimming", None
    return "other", None

"""Streaming GPX and TCX documents in bounded memory, and keeping their points compactly.

- `walk`: safe streaming parsing with defusedxml's iterparse (no DTD, no entity expansion, no external
  entities), after skipping a BOM and whitespace before `<?xml` (Strava TCX files start with
  whitespace). The document is read 16 KB at a time and handed to a reader as start/end events with
  the path of local names; every element is removed from the tree as soon as it ends, so memory stays
  bounded by the nesting depth (at most MAX_DEPTH), never by the file. Track points (the reader's
  `records`) are handed over whole, with at most MAX_RECORD_ELEMENTS elements in them. A file cut off
  part-way ends the elements still open, so the reader keeps what was read, and reports the reason.
- `PointTable`: track points as compact columns (8 bytes a value), exact duplicates left out.
- `thinned`: which points to keep as samples past an activity's sample cap.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as plain_et
from array import array
from collections.abc import Callable
from typing import Protocol, TypeVar
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException, DTDForbidden

from backstride.core.activity import ActivityFileError
from backstride.importers.xmlutil import LOCAL_NAMES, local, one_line

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_WHITESPACE = b" \t\r\n"

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


_PLAIN_ENCODINGS = frozenset({b"utf-8", b"utf8", b"us-ascii", b"ascii", b"iso-8859-1", b"latin-1", b"latin1"})
_DECLARED_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]*)["']""")


def cannot_hold_a_dtd(data: bytes, start: int, end: int) -> bool:
    """True when data[start:end] is in an encoding where markup is plain ASCII bytes (UTF-8, ASCII,
    Latin-1: declared or not) and holds no `<!DOCTYPE`. Entities can only be declared in a DTD, and
    a DTD only after `<!DOCTYPE`: such a document can go to the C parser, which is not defused but
    then has nothing to refuse. Anything else (UTF-16, another declared encoding, a DOCTYPE anywhere,
    even in a comment) takes defusedxml's parser, which refuses it as before."""
    head = data[start : min(end, start + 512)]
    if b"\x00" in head or head.startswith(_UTF16_BOMS):
        return False
    if head.startswith(b"<?xml"):
        close = head.find(b"?>")
        if close < 0:
            return False
        declared = _DECLARED_ENCODING.search(head, 0, close)
        if b"encoding" in head[:close] and (declared is None or declared[1].lower() not in _PLAIN_ENCODINGS):
            return False
    return data.find(b"<!DOCTYPE", start, end) < 0


def _run(
    source: _ViewReader, fmt: str, root_name: str, reader: XmlReader, plain: bool = False
) -> tuple[bool, Exception | None]:
    """Feed `reader` the document's events. Returns (whether the root element started, the error that
    stopped the parse or None). The elements still open at an error are ended, innermost first.
    `plain`: the document cannot hold a DTD (`cannot_hold_a_dtd`), so the C parser reads it (about
    twice as fast as defusedxml's pure-Python one)."""
    stack: list[Element] = []  # open elements outside track points (and the open track point)
    path: list[str] = []
    root_seen = False
    start, end, records = reader.start, reader.end, reader.records
    names = LOCAL_NAMES
    in_record = False  # inside a track point: its descendants are only counted
    inner = 0  # open descendants of the track point
    record_elements = 0
    try:
        events = (
            plain_et.iterparse(source, events=("start", "end"))
            if plain
            else safe_et.iterparse(source, events=("start", "end"), forbid_dtd=True)
        )
        for event, elem in events:
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
    plain = cannot_hold_a_dtd(data, start, end)
    started, error = _run(_ViewReader(data, start, end), fmt, root_name, reader, plain)
    if error is not None and "unbound prefix" in str(error):
        fixed = _bind_undeclared_prefixes(data[start:end])
        if fixed is not None:
            reader = make_reader()
            started, error = _run(_ViewReader(fixed, 0, len(fixed)), fmt, root_name, reader, plain)
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

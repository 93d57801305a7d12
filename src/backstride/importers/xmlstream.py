"""Streaming GPX and TCX documents in bounded memory, and keeping their points compactly.

- `walk`: safe streaming parsing with defusedxml's iterparse (no DTD, no entity expansion, no external
  entities), after skipping a BOM and whitespace before `<?xml` (Strava TCX files start with
  whitespace). The document is read 16 KB at a time and handed to a reader as start/end events with
  the path of local names; every element is removed from the tree as soon as it ends, so memory stays
  bounded by the nesting depth (at most MAX_DEPTH), never by the file. Track points (the reader's
  `records`) are handed over whole, with at most MAX_RECORD_ELEMENTS elements in them. A file cut off
  part-way ends the elements still open, so the reader keeps what was read, and reports the reason.
  A document that cannot hold a DTD goes to the C parser instead, which builds it as a tree 64 KB at
  a time; `_TreeWalk` makes the same calls from that tree (no Python step per element in a track
  point) and removes what it walked, so memory stays bounded by the chunk.
- `PointTable`: track points as compact columns (8 bytes a value), exact duplicates left out.
- `thinned`: which points to keep as samples past an activity's sample cap.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as plain_et
from array import array
from collections.abc import Callable, Sequence
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
    attached, and their descendants are not fed one by one: fewer calls for the bulk of a file
    (`read_records`: a run of them at once, from the tree walk)."""

    records: frozenset[str]

    def start(self, elem: Element, path: list[str]) -> None: ...

    def end(self, elem: Element, path: list[str]) -> None: ...

    def read_records(self, elems: list[Element], path: list[str]) -> None:
        """`start` then `end` for each of `elems`, siblings with the same name (`path` ends with it)."""


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


PLAIN_CHUNK = 64 * 1024  # bytes the C parser builds into the tree between two walks of it


class _TreeWalk:
    """The reader's calls for a document the C parser builds as a tree, with no event per element.

    After each chunk is fed, `advance` walks what was built since the last walk, in document order:
    `start` for an element outside track points as soon as it is there, `end` once it is known to be
    closed, and a track point (with its children) once it is closed. An element is closed when a later
    sibling has started, or when one of its ancestors is; at the end of the document (or at an error)
    everything left is closed, innermost first. Walked elements are removed from their parent, so the
    tree holds at most a chunk's worth of elements. The reader sees the same calls as from `_run`'s
    events; per track point this costs one call instead of two events per element in it."""

    def __init__(self, fmt: str, root_name: str, reader: XmlReader) -> None:
        self.fmt, self.root_name, self.reader = fmt, root_name, reader
        self.stack: list[Element] = []  # open elements
        self.walked: list[int] = []  # per open element: its children walked so far (the last is open)
        self.path: list[str] = []
        self.root_seen = False

    def _closed(self) -> bool:
        """Whether the innermost open element is closed: whether it, or one of its ancestors, has a
        sibling after it."""
        stack, walked = self.stack, self.walked
        return any(len(stack[i]) > walked[i] for i in range(len(stack) - 2, -1, -1))

    def _forget_walked(self) -> None:
        """Remove the walked children (all but the open one) from the open elements: the tree keeps
        at most what was built since the last walk. In one slice each: one by one costs a copy of
        the rest each time."""
        stack, walked = self.stack, self.walked
        for k in range(len(stack)):
            done = walked[k] - 1 if k + 1 < len(stack) else walked[k]
            if done > 0:
                del stack[k][:done]
                walked[k] -= done

    def _check_record(self, record: Element) -> None:
        """The limits `_run` applies element by element inside a track point (on the stack)."""
        count = len(list(record.iter())) - 1
        depth = len(self.stack)
        if count > MAX_RECORD_ELEMENTS or (
            count + depth > MAX_DEPTH and _depth(record) - 1 + depth > MAX_DEPTH
        ):
            raise _TooDeep(f"a <{self.path[-1]}> with over {MAX_RECORD_ELEMENTS} elements or levels")

    def advance(self, root: Element | None, final: bool) -> None:
        """Walk what the builder holds (`root`: its root so far). `final`: nothing more will be built."""
        stack, walked, path = self.stack, self.walked, self.path
        start, end, records = self.reader.start, self.reader.end, self.reader.records
        read = self.reader.read_records
        names = LOCAL_NAMES
        if not self.root_seen:
            if root is None:
                return
            name = names.get(root.tag) or local(root.tag)
            if name != self.root_name:
                raise ActivityFileError(f"not a {self.fmt} file: the root element is <{one_line(name, 40)}>")
            self.root_seen = True
            stack.append(root)
            walked.append(0)
            path.append(name)
            start(root, path)
        while stack:
            top = stack[-1]
            at = walked[-1]
            available = len(top) - at
            if not available:
                # Closed: a sibling after it (the usual case, checked first) or after an ancestor.
                if not final and not (len(stack) > 1 and len(stack[-2]) > walked[-2]) and not self._closed():
                    self._forget_walked()
                    return  # its children or its end are still to come
                end(top, path)
                stack.pop()
                walked.pop()
                path.pop()
                continue
            child = top[at]
            name = names.get(child.tag) or local(child.tag)
            if name not in records:
                walked[-1] = at + 1
                stack.append(child)
                walked.append(0)
                path.append(name)
                if len(stack) > MAX_DEPTH:
                    raise _TooDeep(f"elements nested more than {MAX_DEPTH} deep")
                start(child, path)
                continue
            # A run of track points: each read whole once closed (the last one when `top` is), the
            # run handed over in one call.
            count = 0
            last_closed = final or self._closed()
            waiting = False
            stack.append(child)
            walked.append(0)
            path.append(name)
            try:
                while count < available:
                    child = top[at + count]
                    if (names.get(child.tag) or local(child.tag)) != name:
                        break
                    stack[-1] = child
                    self._check_record(child)
                    if count + 1 == available and not last_closed:
                        waiting = True  # still being built: what it holds so far is within the limits
                        break
                    count += 1
            except _TooDeep:
                read(top[at : at + count], path)
                start(child, path)  # `_run` started it before finding it too big; the caller ends it
                walked[-2] = at + count + 1
                raise
            stack.pop()
            walked.pop()
            if count:
                read(top[at : at + count], path)
                walked[-1] = at + count
            path.pop()
            if waiting:
                self._forget_walked()
                return


def _depth(elem: Element) -> int:
    """Levels in `elem`'s subtree (1 for an element with no children); only for rare big track points."""
    deepest, todo = 0, [(elem, 1)]
    while todo:
        node, level = todo.pop()
        deepest = max(deepest, level)
        todo.extend((c, level + 1) for c in node)
    return deepest


def _run_plain(
    source: _ViewReader, fmt: str, root_name: str, reader: XmlReader
) -> tuple[bool, Exception | None]:
    """`_run` for a document that cannot hold a DTD (`cannot_hold_a_dtd`): the C parser builds it into a
    tree a chunk at a time (about twice as fast as defusedxml's pure-Python parser) and `_TreeWalk`
    hands it to the reader."""
    builder = plain_et.TreeBuilder()
    parser = plain_et.XMLParser(target=builder)
    walk = _TreeWalk(fmt, root_name, reader)
    error: Exception | None = None
    try:
        try:
            while data := source.read(PLAIN_CHUNK):
                parser.feed(data)
                # The C TreeBuilder's close() returns the root built so far without ending anything.
                walk.advance(builder.close(), final=False)
            parser.close()
        except ParseError as exc:
            error = exc
        walk.advance(builder.close(), final=True)
    except _TooDeep as exc:
        error = exc
        while walk.stack:  # end what is open, innermost first (a track point with what it holds)
            reader.end(walk.stack[-1], walk.path)
            walk.stack.pop()
            walk.path.pop()
    return walk.root_seen, error


def _run(
    source: _ViewReader, fmt: str, root_name: str, reader: XmlReader, plain: bool = False
) -> tuple[bool, Exception | None]:
    """Feed `reader` the document's events. Returns (whether the root element started, the error that
    stopped the parse or None). The elements still open at an error are ended, innermost first.
    `plain`: the document cannot hold a DTD (`cannot_hold_a_dtd`), so the C parser reads it
    (`_run_plain`)."""
    if plain:
        return _run_plain(source, fmt, root_name, reader)
    stack: list[Element] = []  # open elements outside track points (and the open track point)
    path: list[str] = []
    root_seen = False
    start, end, records = reader.start, reader.end, reader.records
    names = LOCAL_NAMES
    in_record = False  # inside a track point: its descendants are only counted
    inner = 0  # open descendants of the track point
    record_elements = 0
    try:
        events = safe_et.iterparse(source, events=("start", "end"), forbid_dtd=True)
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

    def positions(self) -> Sequence[int]:
        """The kept k, in order."""
        every = range(0, self.count, self.stride)
        if self.stride == 1 or not self.count or (self.count - 1) % self.stride == 0:
            return every
        return [*every, self.count - 1]


def thinned(count: int, limit: int) -> Thinned:
    return Thinned(count, limit)


class PointTable:
    """Rows of floats (one track point each, NaN for a missing value) kept row after row in one array
    of doubles (one C call per row), read back as columns. Exact duplicate rows (a lap written twice)
    are left out: only a row whose time is not later than every earlier row can be one, so the set of
    row keys is built the first time time stands still or goes back, and not at all for the usual
    file whose times only go forward."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.flat: array[float] = array("d")
        self.appended = 0  # rows offered, duplicates included
        self._latest = -math.inf
        self._seen: set[int] | None = None  # hashes, not rows: 8 bytes a row
        self._columns: list[array[float]] | None = None

    def __len__(self) -> int:
        return len(self.flat) // self.width

    def append(self, row: tuple[float, ...]) -> None:
        self.appended += 1
        t = row[0]
        if t > self._latest:
            self._latest = t
            if self._seen is not None:
                self._seen.add(hash(_key(row)))
        else:
            if self._seen is None:
                self._seen = {hash(self.row(i)) for i in range(len(self))}
            key = hash(_key(row))
            if key in self._seen:
                return
            self._seen.add(key)
        self.flat.extend(row)
        self._columns = None

    @property
    def columns(self) -> list[array[float]]:
        """One array per column (made once the rows are all in; built again after an append)."""
        if self._columns is None:
            width = self.width
            self._columns = [self.flat[c::width] for c in range(width)]
        return self._columns

    def value(self, column: int, i: int) -> float | None:
        value = self.flat[i * self.width + column]
        return None if value != value else value

    def row(self, i: int) -> tuple[float | None, ...]:
        return _key(self.flat[i * self.width : (i + 1) * self.width])


def take(column: array[float], indices: Sequence[int]) -> array[float]:
    """column[i] for each i of `indices`, as a new array (a copy of it all when that is every i)."""
    if (
        isinstance(indices, range)
        and indices.step == 1
        and indices.start == 0
        and indices.stop == len(column)
    ):
        return column[:]
    return array("d", [column[i] for i in indices])


def _key(row: Sequence[float]) -> tuple[float | None, ...]:
    # NaN is not equal to itself (and hashes by identity): missing values compare as None.
    return tuple(None if v != v else v for v in row)

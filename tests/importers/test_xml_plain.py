"""Which GPX/TCX documents the C parser may read (issue 17): only those that cannot hold a DTD, so
there is nothing for defusedxml to refuse; every other one still goes through defusedxml."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import SHARED

from backstride.core.activity import ActivityFileError
from backstride.importers import xmlstream
from backstride.importers.gpx import parse_gpx
from backstride.importers.tcx import parse_tcx
from backstride.importers.xmlstream import MAX_RECORD_ELEMENTS, cannot_hold_a_dtd

from .filegen import gpx, gpx_run_points, small_gpx, small_tcx

GPX_BODY = (
    b'<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg/></trk></gpx>'
)


def plain(doc: bytes) -> bool:
    return cannot_hold_a_dtd(doc, 0, len(doc))


@pytest.mark.parametrize(
    "doc",
    [
        GPX_BODY,
        b'<?xml version="1.0"?>' + GPX_BODY,
        b'<?xml version="1.0" encoding="UTF-8"?>' + GPX_BODY,
        b"<?xml version='1.0' encoding='iso-8859-1'?>" + GPX_BODY,
    ],
)
def test_utf8_ascii_or_latin1_without_a_doctype_is_plain(doc: bytes) -> None:
    assert plain(doc)


@pytest.mark.parametrize(
    "doc",
    [
        b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "b">]>' + GPX_BODY,
        b"<!-- <!DOCTYPE anywhere, even in a comment --> " + GPX_BODY,
        b'<?xml version="1.0" encoding="cp037"?>' + GPX_BODY,  # markup need not be ASCII bytes
        b'<?xml version="1.0" encoding="UTF-16"?>' + GPX_BODY,
        b'<?xml version="1.0" encoding=UTF-8?>' + GPX_BODY,  # an encoding we cannot read for sure
        b'<?xml version="1.0" encoding="utf-8"',  # a declaration that never ends
        "\ufeff".encode("utf-16") + GPX_BODY.decode().encode("utf-16-le"),
        GPX_BODY.decode().encode("utf-16-le"),  # no BOM: NUL bytes
    ],
)
def test_anything_else_goes_to_defusedxml(doc: bytes) -> None:
    assert not plain(doc)


def test_an_entity_without_a_dtd_is_still_no_gpx() -> None:
    doc = b'<?xml version="1.0"?><gpx version="1.1" creator="&xxe;"><trk><trkseg/></trk></gpx>'
    assert plain(doc)
    with pytest.raises(ActivityFileError):
        parse_gpx(doc)


# The C parser's documents are walked as a tree a chunk at a time (xmlstream._TreeWalk); defusedxml's
# are read event by event. Both must give the reader the same calls, wherever the chunks end.
SHARED_XML = sorted(
    p for kind in ("gpx", "tcx") for p in (SHARED / "data" / "activities" / kind).iterdir() if p.is_file()
)
POINTS = "".join(gpx_run_points(4))
TCX_POINTS = small_tcx(3).split(b"<Track>")[1].split(b"</Track>")[0]
WIDE = "<trkpt lat='1' lon='1'>" + "<e/>" * (MAX_RECORD_ELEMENTS + 5) + "</trkpt>"
SECOND_TRACK = b"</trk><trk><trkseg>" + POINTS.encode() + b"</trkseg></trk></gpx>"
CUT_AND_WIDE = [
    ("cut.gpx", small_gpx(120)[: len(small_gpx(120)) * 2 // 3]),
    ("cut.tcx", small_tcx(120)[: len(small_tcx(120)) // 2]),
    ("wide-point.gpx", gpx(POINTS + WIDE)),
    ("deep-point.gpx", gpx(POINTS + "<trkpt>" + "<e>" * 70 + "</e>" * 70 + "</trkpt>")),
    ("deep.gpx", b"<gpx>" + b"<a>" * 100 + b"</a>" * 100 + b"</gpx>"),
    ("two-tracks.gpx", small_gpx(30).replace(b"</trk></gpx>", SECOND_TRACK)),
    ("wrong-root.gpx", b"<?xml version='1.0'?><kml><a/>"),
    # Track points where none are read: outside a segment, in a route, in a course.
    ("stray-points.gpx", small_gpx(5).replace(b"<trkseg>", b"<rte>" + POINTS.encode() + b"</rte><trkseg>")),
    ("unsegmented.gpx", small_gpx(5).replace(b"</trkseg>", b"</trkseg>" + POINTS.encode())),
    ("course.tcx", small_tcx(5).replace(b"<Activities>", b"<Courses><Track>" + TCX_POINTS + b"</Track></Courses><Activities>")),  # noqa: E501
    ("lap-extras.tcx", small_tcx(5).replace(b"<Track>", b"<Extensions>" + TCX_POINTS + b"</Extensions><Track>")),  # noqa: E501
    ("not-closed.tcx", small_tcx(20).replace(b"</Track>", b"").replace(b"</TrainingCenterDatabase>", b"")),
]  # fmt: skip


def read_both_ways(
    data: bytes, kind: str, monkeypatch: pytest.MonkeyPatch, chunks: tuple[int, ...] = (1, 7, 64, 4096)
) -> tuple[object, object]:
    parse = parse_gpx if kind == "gpx" else parse_tcx

    def result() -> object:
        try:
            return parse(data)
        except ActivityFileError as error:
            return (type(error), str(error))

    events = result_with(monkeypatch, result, plain=False)
    for chunk in chunks:  # every kind of boundary: inside names, text, between elements
        monkeypatch.setattr(xmlstream, "PLAIN_CHUNK", chunk)
        assert result_with(monkeypatch, result, plain=True) == events, f"chunks of {chunk} bytes"
    monkeypatch.undo()
    return result_with(monkeypatch, result, plain=True), events


def result_with(monkeypatch: pytest.MonkeyPatch, result: Callable[[], object], plain: bool) -> object:
    # cannot_hold_a_dtd decides which parser reads the document; the answer is forced either way here.
    monkeypatch.setattr(xmlstream, "cannot_hold_a_dtd", lambda *_: plain)
    return result()


@pytest.mark.parametrize("path", SHARED_XML, ids=lambda p: p.name)
def test_the_tree_walk_reads_the_shared_files_as_the_events_do(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = path.read_bytes()
    if b"<!DOCTYPE" in data:  # defusedxml refuses it
        data = GPX_BODY
    tree, events = read_both_ways(data[:100_000], path.suffix[1:], monkeypatch, chunks=(61, 4096))
    assert tree == events


@pytest.mark.parametrize(("name", "data"), CUT_AND_WIDE, ids=[n for n, _ in CUT_AND_WIDE])
def test_the_tree_walk_ends_damaged_files_as_the_events_do(
    name: str, data: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A track point still being built is measured again after each chunk: 1-byte chunks over a wide
    # one would take minutes.
    chunks = (1, 7, 64, 4096) if len(data) < 20_000 else (64, 4096)
    tree, events = read_both_ways(data, name.rsplit(".", 1)[1], monkeypatch, chunks)
    assert tree == events
    if name.startswith(("cut", "wide", "deep-point", "not-closed")):
        assert isinstance(tree, list) and tree and tree[0].partial, "what was read before the damage is kept"

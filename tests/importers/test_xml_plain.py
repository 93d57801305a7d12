"""Which GPX/TCX documents the C parser may read (issue 17): only those that cannot hold a DTD, so
there is nothing for defusedxml to refuse; every other one still goes through defusedxml."""

from __future__ import annotations

import pytest

from backstride.core.activity import ActivityFileError
from backstride.importers.gpx import parse_gpx
from backstride.importers.xmlstream import cannot_hold_a_dtd

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

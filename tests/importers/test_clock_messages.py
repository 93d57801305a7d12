"""A file whose times are outside 1980 (GPS time) to today is refused with what is wrong with the date and
what to do (issue 11: it used to say "a drawn or planned route")."""

from __future__ import annotations

import pytest

from backstride.core.activity import NotAnActivity
from backstride.importers.gpx import parse_gpx
from backstride.importers.tcx import parse_tcx


def gpx(*times: str) -> bytes:
    timed = [f"<time>{t}</time>" if t else "" for t in times]
    points = "".join(f'<trkpt lat="51.5" lon="-0.1{i}">{time}</trkpt>' for i, time in enumerate(timed))
    return (
        '<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><trkseg>{points}</trkseg></trk></gpx>"
    ).encode()


def tcx(when: str) -> bytes:
    return (
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="Running"><Id>{when}</Id><Lap StartTime="{when}"><Track>'
        f"<Trackpoint><Time>{when}</Time><DistanceMeters>0</DistanceMeters></Trackpoint>"
        "</Track></Lap></Activity></Activities></TrainingCenterDatabase>"
    ).encode()


@pytest.mark.parametrize(
    ("when", "words"),
    [
        ("1969-07-20T20:17:00Z", "is dated 1969-07-20, before 1980-01-06, when GPS time began"),
        ("2150-01-01T08:00:00Z", "is dated 2150-01-01, in the future"),
    ],
)
def test_a_gpx_track_with_a_wrong_clock_says_so_and_what_to_do(when, words):
    with pytest.raises(NotAnActivity) as caught:
        parse_gpx(gpx(when, when))
    message = str(caught.value)
    assert words in message and "Correct the date in the file" in message
    assert "drawn or planned" not in message


def test_a_track_without_times_is_still_a_drawn_route():
    with pytest.raises(NotAnActivity, match="drawn or planned route"):
        parse_gpx(gpx("", ""))


def test_a_tcx_activity_with_a_wrong_clock_says_so():
    with pytest.raises(NotAnActivity, match="is dated 1975-05-01, before 1980-01-06") as caught:
        parse_tcx(tcx("1975-05-01T07:00:00Z"))
    assert "set the watch's clock" in str(caught.value)

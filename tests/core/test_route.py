"""The route drawing's geometry (core.route): equirectangular at the middle latitude, cut at gaps,
coloured in pace bands. The real-file test uses a run from ../shared/data (never copied here)."""

from __future__ import annotations

import math

import pytest
from tests.conftest import SHARED

from backstride.core.route import BANDS, DRAWING_SIZE, MARGIN, project, trace
from backstride.importers.pipeline import parse_source

RUN = SHARED / "data" / "activities" / "fit" / "fitparse__garmin-fenix-5-run.fit"


def test_a_degree_of_longitude_is_shorter_away_from_the_equator():
    # 60°N: a degree east is half a degree north (cos 60° = 0.5).
    metres = project([59.5, 60.5], [10.0, 11.0])
    (x0, y0), (x1, y1) = metres
    assert (x0, y0) == (0, 0)
    assert x1 / y1 == pytest.approx(math.cos(math.radians(60)), rel=1e-9)
    assert y1 == pytest.approx(111_195, rel=1e-3)  # a degree of latitude


def test_the_drawing_keeps_the_routes_aspect_ratio_and_flips_north_up():
    # 1 km east then 0.5 km north, at the equator.
    east = math.degrees(1000 / 6_371_000)
    drawn = trace([0.0, 0.0, east / 2], [0.0, east, east])
    assert drawn is not None
    assert drawn.width == DRAWING_SIZE
    assert (drawn.width - 2 * MARGIN) / (drawn.height - 2 * MARGIN) == pytest.approx(2, rel=1e-2)
    assert drawn.start == (MARGIN, drawn.height - MARGIN)  # south-west corner, bottom left
    assert drawn.end[1] == MARGIN  # the north end at the top
    assert (drawn.width_km, drawn.height_km) == (1.0, 0.5)


def test_a_missing_position_cuts_the_line_and_too_few_positions_draw_nothing():
    drawn = trace([0.0, 0.001, None, 0.002, 0.003], [0.0, 0.0, None, 0.0, 0.0])
    assert drawn is not None and [len(s.points) for s in drawn.segments] == [2, 2]
    assert all(segment.band is None for segment in drawn.segments)  # no speeds: one neutral colour
    assert trace([0.0, None], [0.0, None]) is None


def test_pace_bands_go_from_the_slowest_to_the_fastest_fifth():
    lats = [i * 0.0001 for i in range(11)]
    speeds = [None, *[2.0 + 0.2 * i for i in range(10)]]
    drawn = trace(lats, [0.0] * 11, speeds)
    assert drawn is not None and len(drawn.band_speeds) == BANDS + 1
    bands = [segment.band for segment in drawn.segments]
    assert bands == sorted(bands) and bands[0] == 0 and bands[-1] == BANDS - 1
    # consecutive segments share their joining point: the line has no holes
    for before, after in zip(drawn.segments, drawn.segments[1:], strict=False):
        assert before.points[-1] == after.points[0]


def test_a_real_run_projects_to_its_own_shape():
    parsed = parse_source(str(RUN), str(RUN), None)
    stream = parsed.parts[0].summary.stream  # the stream the import stores
    lats = [v for v in stream["lat"] if v is not None]
    lons = [v for v in stream["lon"] if v is not None]
    drawn = trace(stream["lat"], stream["lon"], stream["speed_mps"])
    assert drawn is not None and drawn.segments
    north_south = math.radians(max(lats) - min(lats)) * 6_371_000
    mid = math.radians((max(lats) + min(lats)) / 2)
    east_west = math.radians(max(lons) - min(lons)) * 6_371_000 * math.cos(mid)
    ratio = (drawn.width - 2 * MARGIN) / (drawn.height - 2 * MARGIN)
    assert ratio == pytest.approx(east_west / north_south, rel=0.01)
    assert drawn.height_km == pytest.approx(north_south / 1000, abs=0.01)
    xs = [x for segment in drawn.segments for x, _ in segment.points]
    ys = [y for segment in drawn.segments for _, y in segment.points]
    assert min(xs) >= MARGIN - 0.1 and max(xs) <= drawn.width - MARGIN + 0.1
    assert min(ys) >= MARGIN - 0.1 and max(ys) <= drawn.height - MARGIN + 0.1

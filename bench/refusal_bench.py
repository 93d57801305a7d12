"""How fast hostile inputs are refused: XML entity bombs, /dev/zero and a named pipe with no writer.

    .venv/bin/python bench/refusal_bench.py [--repeat N]

The tests check that these are refused, and refused before anything is expanded or read
(tests/importers/test_gpx_tcx.py, test_files.py); how fast is measured here, where a slow machine
cannot fail a test. Each refusal is timed against a baseline measured in the same run: parsing a
plain GPX file of the same size (for the XML documents) and importing a small regular GPX file (for
the device and the pipe). A ratio near 1 or below means the refusal costs no more than reading an
ordinary small file; an entity bomb that was expanded would be many orders of magnitude slower.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from backstride.core.activity import ActivityFileError
from backstride.importers.gpx import parse_gpx
from backstride.importers.pipeline import parse_source
from backstride.importers.tcx import parse_tcx
from peak_memory import own_peak_mb

LOL = "".join(f' <!ENTITY lol{n} "{"".join(f"&lol{n - 1};" for _ in range(10))}">\n' for n in range(2, 10))
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE gpx [\n <!ENTITY lol "lol">\n <!ENTITY lol1 "'
    + "&lol;" * 10
    + '">\n'
    + LOL
    + "]>\n<gpx><trk><name>&lol9;</name><trkseg><trkpt><time>2024-05-01T06:00:00Z</time></trkpt>"
    "</trkseg></trk></gpx>"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    "<gpx><trk><name>&xxe;</name><trkseg><trkpt><time>2024-05-01T06:00:00Z</time></trkpt></trkseg>"
    "</trk></gpx>"
)
PARAMETER_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE TrainingCenterDatabase [<!ENTITY % ext SYSTEM '
    '"http://127.0.0.1:9/evil.dtd"> %ext;]>\n<TrainingCenterDatabase/>'
)


def plain_gpx(size: int) -> bytes:
    """A valid GPX track of about `size` bytes (the baseline for the XML refusals)."""
    head = '<?xml version="1.0"?>\n<gpx version="1.1" creator="bench"><trk><trkseg>'
    points, second = [], 0
    while len(head) + sum(map(len, points)) < size:
        points.append(
            f'<trkpt lat="45.{second:06d}" lon="7.{second:06d}">'
            f"<time>2024-05-01T06:{second // 60 % 60:02d}:{second % 60:02d}Z</time></trkpt>"
        )
        second += 1
    return (head + "".join(points) + "</trkseg></trk></gpx>").encode()


def best_of(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        with contextlib.suppress(ActivityFileError):
            fn()
        best = min(best, time.perf_counter() - started)
    return best


def report(label: str, seconds: float, baseline: float) -> None:
    print(f"{label:<38} {seconds * 1e6:9.0f} us   ratio to baseline {seconds / baseline:6.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200, help="best of N runs of each")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for name, doc in (
            ("billion laughs", BILLION_LAUGHS),
            ("external entity", EXTERNAL_ENTITY),
            ("parameter entity", PARAMETER_ENTITY),
        ):
            data = ("\ufeff  " + doc).encode()
            plain = plain_gpx(len(data))
            baseline = best_of(lambda plain=plain: parse_gpx(plain), args.repeat)
            print(f"baseline: a plain {len(plain)}-byte GPX parsed in {baseline * 1e6:.0f} us")
            for parse in (parse_gpx, parse_tcx):
                seconds = best_of(lambda parse=parse, data=data: parse(data), args.repeat)
                report(f"{name} ({parse.__name__})", seconds, baseline)

        small = Path(folder) / "small.gpx"
        small.write_bytes(plain_gpx(2000))
        baseline = best_of(lambda: parse_source(small.name, str(small), None), args.repeat)
        print(f"baseline: a 2 kB GPX file imported by parse_source in {baseline * 1e6:.0f} us")
        fifo = Path(folder) / "pipe.gpx"
        os.mkfifo(fifo)
        for label, path in (
            ("/dev/zero (a device)", "/dev/zero"),
            ("a named pipe with no writer", str(fifo)),
        ):
            parsed = parse_source(path, path, None)
            assert parsed.error and parsed.error.startswith("refused:"), parsed.error
            seconds = best_of(lambda path=path: parse_source(path, path, None), args.repeat)
            report(label, seconds, baseline)
    print(f"peak memory (max RSS of this process): {own_peak_mb():.0f} MB")


if __name__ == "__main__":
    main()

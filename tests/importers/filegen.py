"""Activity files built by the tests (and by bench/import_memory.py): big ones written to disk in
chunks, so making a 150 MB file never holds it in memory, and small hostile ones.

Everything here is written from the FIT protocol and the GPX/TCX schemas, independently of the
importer's own code (its CRC table, its decoders): a test that builds its input with the code under
test proves nothing.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
T0 = 1_000_000_000  # FIT seconds: 2021-09-08T01:46:40Z
START = FIT_EPOCH + timedelta(seconds=T0)
SEMICIRCLES = 2**31 / 180.0

# --------------------------------------------------------------------------------------------------
# FIT
# --------------------------------------------------------------------------------------------------

_CRC_TABLE = [0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
              0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400]  # fmt: skip
_BYTE_TABLE: list[int] = []


def _byte_table() -> list[int]:
    """CRC-16 of the FIT SDK (its nibble table) precomputed per byte: the SDK's algorithm, 2x faster."""
    if not _BYTE_TABLE:
        for byte in range(256):
            crc = 0
            for nibble in (byte & 0x0F, byte >> 4):
                tmp = _CRC_TABLE[crc & 0x0F]
                crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[nibble]
            _BYTE_TABLE.append(crc)
    return _BYTE_TABLE


def fit_crc(data: bytes, crc: int = 0) -> int:
    """The FIT SDK CRC of `data`, continuing from `crc`. The table of a byte is linear in the CRC's low
    byte, so crc' = (crc >> 8) ^ T[(crc ^ byte) & 0xFF]."""
    table = _byte_table()
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


def fit_header(data_size: int) -> bytes:
    return struct.pack("<BBHI4s", 12, 0x20, 2132, data_size, b".FIT")


def fit_definition(local: int, gnum: int, fields: list[tuple[int, int, int]]) -> bytes:
    out = bytes([0x40 | local, 0, 0]) + struct.pack("<H", gnum) + bytes([len(fields)])
    return out + b"".join(bytes(f) for f in fields)


FILE_ID = (
    fit_definition(0, 0, [(0, 1, 0x00), (1, 2, 0x84), (2, 2, 0x84), (4, 4, 0x86)])
    + bytes([0])
    + struct.pack("<BHHI", 4, 1, 1623, T0)
)

# timestamp, lat, lon, enhanced_altitude, heart_rate, cadence, distance, enhanced_speed
RECORD_FIELDS = [(253, 4, 0x86), (0, 4, 0x85), (1, 4, 0x85), (78, 4, 0x86), (3, 1, 0x02), (4, 1, 0x02),
                 (5, 4, 0x86), (73, 4, 0x86)]  # fmt: skip
RECORD = struct.Struct("<BIiiIBBII")  # with the 1-byte record header (local message 1)


def fit_session(start: int, seconds: int, metres: float, sport: int = 1) -> bytes:
    """A session message; times over the uint32 range of milliseconds are written as invalid."""
    millis = seconds * 1000 if seconds * 1000 < 0xFFFFFFFF else 0xFFFFFFFF
    fields = [(253, 4, 0x86), (2, 4, 0x86), (5, 1, 0x00), (6, 1, 0x00), (7, 4, 0x86), (8, 4, 0x86),
              (9, 4, 0x86)]  # fmt: skip
    return (
        fit_definition(3, 18, fields)
        + bytes([3])
        + struct.pack("<IIBBIII", start + seconds, start, sport, 0, millis, millis, round(metres * 100))
    )


LOOP_RADIUS_M = 500.0  # the generated runs go round a 3.1 km loop, so any length stays on the map


def loop_position(metres: float, lat0: float = 48.0, lon0: float = 11.0) -> tuple[float, float]:
    """(lat, lon) after `metres` round the loop (a circle of LOOP_RADIUS_M around a point near lat0/lon0)."""
    angle = metres / LOOP_RADIUS_M
    lat = lat0 + LOOP_RADIUS_M * math.sin(angle) / 111_320.0
    lon = lon0 + LOOP_RADIUS_M * (1 - math.cos(angle)) / (111_320.0 * math.cos(math.radians(lat0)))
    return lat, lon


def run_records(count: int, *, speed: float = 3.0) -> Iterator[bytes]:
    """`count` one-second records of a steady run round the loop (with a gentle hill and heart rate)."""
    for i in range(count):
        metres = i * speed
        lat, lon = loop_position(metres)
        altitude = 500 + 20 * math.sin(i / 600)
        yield RECORD.pack(1, T0 + i, round(lat * SEMICIRCLES), round(lon * SEMICIRCLES),
                          round((altitude + 500) * 5), 140 + i % 20, 85, round(metres * 100),
                          round(speed * 1000))  # fmt: skip


def write_fit(path: Path, target_bytes: int, *, speed: float = 3.0) -> int:
    """A valid single-session running FIT of about `target_bytes` (1 Hz records). Returns the number of
    records. Written in chunks with a correct CRC."""
    record_size = RECORD.size
    head = FILE_ID + fit_definition(1, 20, RECORD_FIELDS)
    count = max(1, (target_bytes - 200) // record_size)
    tail = fit_session(T0, count - 1, (count - 1) * speed)
    data_size = len(head) + count * record_size + len(tail)
    with path.open("wb") as out:
        crc = _write(out, fit_header(data_size), 0)
        crc = _write(out, head, crc)
        chunk: list[bytes] = []
        for record in run_records(count, speed=speed):
            chunk.append(record)
            if len(chunk) == 8192:
                crc = _write(out, b"".join(chunk), crc)
                chunk = []
        crc = _write(out, b"".join(chunk) + tail, crc)
        out.write(struct.pack("<H", crc))
    return count


def write_dense_fit(path: Path, target_bytes: int) -> int:
    """The worst case for memory per file byte: records of 2 bytes (a compressed-timestamp header and a
    heart rate), one a second, after one full record. Returns the number of records."""
    head = FILE_ID + fit_definition(2, 20, [(253, 4, 0x86), (3, 1, 0x02)]) + bytes([2])
    head += struct.pack("<IB", T0, 150) + fit_definition(1, 20, [(3, 1, 0x02)])
    count = max(1, (target_bytes - len(head) - 14) // 2)
    with path.open("wb") as out:
        crc = _write(out, fit_header(len(head) + 2 * count), 0)
        crc = _write(out, head, crc)
        for first in range(0, count, 65536):
            chunk = bytearray()
            for i in range(first + 1, min(count, first + 65536) + 1):
                chunk += bytes([0x80 | (1 << 5) | ((T0 + i) & 0x1F), 140 + i % 20])
            crc = _write(out, bytes(chunk), crc)
        out.write(struct.pack("<H", crc))
    return count + 1


def _write(out: BinaryIO, data: bytes, crc: int) -> int:
    out.write(data)
    return fit_crc(data, crc)


def small_fit(seconds: int = 600, *, speed: float = 3.0) -> bytes:
    """A small valid running FIT (one record per second) in memory."""
    body = FILE_ID + fit_definition(1, 20, RECORD_FIELDS) + b"".join(run_records(seconds + 1, speed=speed))
    body += fit_session(T0, seconds, seconds * speed)
    data = fit_header(len(body)) + body
    return data + struct.pack("<H", fit_crc(data))


# --------------------------------------------------------------------------------------------------
# GPX and TCX
# --------------------------------------------------------------------------------------------------

GPX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gpx version="1.1" creator="backstride tests" xmlns="http://www.topografix.com/GPX/1/1" '
    'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
    "<trk><name>Generated run</name><type>running</type><trkseg>\n"
)
GPX_TAIL = "</trkseg></trk></gpx>\n"


def _iso(seconds: float) -> str:
    return (START + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def gpx_point(
    lat: float, lon: float, seconds: float, *, ele: float | None = 500.0, hr: int | None = 150
) -> str:
    ele_text = f"<ele>{ele:.1f}</ele>" if ele is not None else ""
    ext = (
        f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{hr}</gpxtpx:hr><gpxtpx:cad>85</gpxtpx:cad>"
        "</gpxtpx:TrackPointExtension></extensions>"
        if hr is not None
        else ""
    )
    return f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}">{ele_text}<time>{_iso(seconds)}</time>{ext}</trkpt>\n'


def gpx_run_points(count: int, *, speed: float = 3.0) -> Iterator[str]:
    for i in range(count):
        lat, lon = loop_position(i * speed)
        yield gpx_point(lat, lon, i, ele=500 + 20 * math.sin(i / 600), hr=140 + i % 20)


def write_gpx(path: Path, target_bytes: int) -> int:
    """A Garmin-style GPX run (1 Hz points with elevation, heart rate, cadence) of about `target_bytes`."""
    point_size = len(next(gpx_run_points(1)).encode())
    count = max(1, (target_bytes - len(GPX_HEAD) - len(GPX_TAIL)) // point_size)
    with path.open("w", encoding="utf-8") as out:
        out.write(GPX_HEAD)
        chunk: list[str] = []
        for point in gpx_run_points(count):
            chunk.append(point)
            if len(chunk) == 8192:
                out.write("".join(chunk))
                chunk = []
        out.write("".join(chunk) + GPX_TAIL)
    return count


def gpx(points: list[str] | str, *, sport: str | None = "running") -> bytes:
    body = "".join(points) if isinstance(points, list) else points
    kind = f"<type>{sport}</type>" if sport else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="tests" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><name>t</name>{kind}<trkseg>{body}</trkseg></trk></gpx>"
    ).encode()


def small_gpx(seconds: int = 600) -> bytes:
    return gpx(list(gpx_run_points(seconds + 1)))


TCX_NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"


def tcx_point(lat: float, lon: float, seconds: float, distance: float | None = None) -> str:
    dist = f"<DistanceMeters>{distance:.1f}</DistanceMeters>" if distance is not None else ""
    return (
        f"<Trackpoint><Time>{_iso(seconds)}</Time><Position><LatitudeDegrees>{lat:.7f}</LatitudeDegrees>"
        f"<LongitudeDegrees>{lon:.7f}</LongitudeDegrees></Position><AltitudeMeters>500.0</AltitudeMeters>"
        f"{dist}<HeartRateBpm><Value>150</Value></HeartRateBpm></Trackpoint>"
    )


def tcx(
    points: list[str], *, sport: str = "Running", seconds: float | None = None, metres: float | None = None
) -> bytes:
    lap_totals = ""
    if seconds is not None:
        lap_totals += f"<TotalTimeSeconds>{seconds}</TotalTimeSeconds>"
    if metres is not None:
        lap_totals += f"<DistanceMeters>{metres}</DistanceMeters>"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase xmlns="{TCX_NS}"><Activities>'
        f'<Activity Sport="{sport}"><Id>{_iso(0)}</Id><Lap StartTime="{_iso(0)}">{lap_totals}'
        f"<Track>{''.join(points)}</Track></Lap></Activity></Activities></TrainingCenterDatabase>"
    ).encode()


def small_tcx(seconds: int = 600, *, speed: float = 3.0) -> bytes:
    points = [tcx_point(*loop_position(i * speed), i, i * speed) for i in range(seconds + 1)]
    return tcx(points, seconds=seconds, metres=seconds * speed)

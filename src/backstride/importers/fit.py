"""FIT activity importer: a fast decoder of our own, with `fitdecode` as the robust fallback.

`parse_fit(data)` turns the bytes of a (gunzipped) FIT file into one `ParsedActivity` per session.

The fast decoder compiles every definition message once into a `struct.Struct` plus a small generated
function, so each data message costs one `unpack_from` call; only the messages and fields the importer
needs are kept (file_id, session, record, activity, sport). Both decoders produce the same intermediate
form (`_Decoded`: raw integer values, invalid sentinels already turned into None) and share one builder,
so the fast path and the fallback give identical activities on files both can read.

Damage (a truncated file, an undefined local message, a corrupt chained header, a chained file with a
bad CRC) keeps what was read before it and flags the activities `partial`. A wrong CRC on the first (or
only) file is ignored when the file decodes cleanly. Structural surprises the fast decoder does not
handle (an unknown base type) send the whole file to fitdecode.
"""

from __future__ import annotations

import bisect
import io
import logging
import struct
import sys
import time
import warnings
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import repeat
from operator import sub, truediv
from typing import Any, TypeGuard

from backstride.core.activity import ActivityFileError, DeviceSummary, NotAnActivity, ParsedActivity, Samples
from backstride.importers import fit_profile as P

__all__ = ["decode_fast", "decode_fitdecode", "parse_fit"]

# A raw record: REC_SLOTS values (see fit_profile.RECORD_FIELD_SLOTS), None when absent or invalid.
RawRecord = tuple[Any, ...]
RawMessage = dict[int, Any]


_log = logging.getLogger(__name__)


class _Unsupported(Exception):
    """Something the fast decoder does not handle: the file goes to fitdecode."""


@dataclass
class _Part:
    """One FIT file of a (possibly chained) FIT stream."""

    offset: int
    file_id: RawMessage | None = None
    sessions: list[RawMessage] = field(default_factory=list)
    records: list[RawRecord] = field(default_factory=list)
    activity: RawMessage | None = None
    sports: list[RawMessage] = field(default_factory=list)

    @property
    def file_type(self) -> int | None:
        return None if self.file_id is None else self.file_id.get(P.FILE_ID_TYPE)


@dataclass
class _Decoded:
    parts: list[_Part]
    damage: str | None = None  # one line: why decoding stopped early
    decoder: str = "fast"  # "fast" | "fitdecode"


# --------------------------------------------------------------------------------------------------
# Fast decoder
# --------------------------------------------------------------------------------------------------

_KIND_SKIP = 0
_KIND_RECORD = 1
_KIND_MESSAGE = 2
_KIND_TIMESTAMP = 3

# (kind, handler, data size, global message number)
_Def = tuple[int, Callable[..., Any] | None, int, int]
_DEF_CACHE: dict[tuple[int, str, bytes, int], _Def] = {}
_HEADER = struct.Struct("<BBHI4s")
_U16 = {"<": struct.Struct("<H"), ">": struct.Struct(">H")}
_CSD_INVALID = b"\xff\xff\xff"


def _bytes_value(raw: bytes, base_num: int) -> Any:
    if base_num == P.BASE_TYPE_STRING:
        text = raw.split(b"\x00", 1)[0]
        return text.decode("utf-8", errors="replace") or None
    return None  # byte arrays are not needed (record compressed_speed_distance has its own path)


def _compile_record(endian: str, fields: list[tuple[int, int, int]], total: int) -> Callable[..., Any]:
    """Generate `h(data, pos, hts) -> raw record tuple` for one record definition."""
    fmt = [endian]
    names: list[str] = []
    exprs: list[str] = ["hts"] + ["None"] * (P.REC_SLOTS - 1)
    used = 0
    for num, size, base in fields:
        slot = P.RECORD_FIELD_SLOTS.get(num)
        code, bsize, invalid = P.BASE_TYPES[base & 0x1F]
        var = f"a{len(names)}"
        if slot == P.REC_COMPRESSED_SPEED_DISTANCE and size == 3:
            fmt.append("3s")
            exprs[slot] = f"({var} if {var} != {_CSD_INVALID!r} else None)"
        elif (
            slot is not None
            and slot != P.REC_COMPRESSED_SPEED_DISTANCE
            and size == bsize
            and code != "s"
            and (slot != P.REC_TIMESTAMP or code in "Ii")
        ):
            fmt.append(code)
            valid = f"{var} == {var}" if invalid is None else f"{var} != {invalid}"  # floats: NaN is invalid
            fallback = "hts" if slot == P.REC_TIMESTAMP else "None"
            exprs[slot] = f"({var} if {valid} else {fallback})"
        else:
            fmt.append(f"{size}x")
            used += size
            continue
        names.append(var)
        used += size
    fmt.append(f"{total - used}x")
    st = struct.Struct("".join(fmt))
    unpack = f"    {', '.join(names)}, = _u(data, pos)\n" if names else ""
    src = f"def h(data, pos, hts, _u=_u):\n{unpack}    return ({', '.join(exprs)},)\n"
    namespace: dict[str, Any] = {"_u": st.unpack_from}
    exec(src, namespace)
    handler: Callable[..., Any] = namespace["h"]
    return handler


def _compile_message(
    endian: str, gnum: int, fields: list[tuple[int, int, int]], total: int
) -> Callable[..., Any]:
    """A handler returning {field number: raw value} for the wanted fields of a (rare) message."""
    wanted = P.WANTED_FIELDS[gnum]
    fmt = [endian]
    spec: list[tuple[int, int, Any]] = []  # (field number, base number, invalid)
    used = 0
    for num, size, base in fields:
        bnum = base & 0x1F
        code, bsize, invalid = P.BASE_TYPES[bnum]
        if num in wanted and bnum == P.BASE_TYPE_STRING and (gnum, num) in P.STRING_FIELDS:
            fmt.append(f"{size}s")
            spec.append((num, bnum, None))
        elif num in wanted and code != "s" and size == bsize and (gnum, num) not in P.STRING_FIELDS:
            fmt.append(code)
            spec.append((num, bnum, invalid))
        else:
            fmt.append(f"{size}x")
        used += size
    fmt.append(f"{total - used}x")
    unpack_from = struct.Struct("".join(fmt)).unpack_from

    def handler(data: bytes, pos: int, hts: int | None) -> RawMessage:
        out: RawMessage = {}
        for (num, bnum, invalid), value in zip(spec, unpack_from(data, pos), strict=True):
            if isinstance(value, bytes):
                value = _bytes_value(value, bnum)
                if value is not None:
                    out[num] = value
            elif invalid is None:
                if value == value:  # not NaN
                    out[num] = value
            elif value != invalid:
                out[num] = value
        if hts is not None and P.FIELD_TIMESTAMP not in out:
            out[P.FIELD_TIMESTAMP] = hts
        return out

    return handler


def _compile_timestamp(endian: str, fields: list[tuple[int, int, int]]) -> Callable[..., Any] | None:
    """For messages we skip: read only their timestamp (it drives compressed-timestamp headers)."""
    offset = 0
    for num, size, base in fields:
        if num == P.FIELD_TIMESTAMP and size == 4 and (base & 0x1F) in (0x06, 0x05, 0x0C):
            unpack_from = struct.Struct(f"{endian}{offset}xI").unpack_from

            def handler(data: bytes, pos: int, hts: int | None, _u: Any = unpack_from) -> int | None:
                value: int = _u(data, pos)[0]
                return None if value == 0xFFFFFFFF else value

            return handler
        offset += size
    return None


def _compile(endian: str, gnum: int, raw_fields: bytes, dev_size: int) -> _Def:
    key = (gnum, endian, raw_fields, dev_size)
    cached = _DEF_CACHE.get(key)
    if cached is not None:
        return cached
    fields = [(raw_fields[i], raw_fields[i + 1], raw_fields[i + 2]) for i in range(0, len(raw_fields), 3)]
    for _num, _size, base in fields:
        if (base & 0x1F) not in P.BASE_TYPES:
            raise _Unsupported(f"unknown FIT base type 0x{base:02x} in message {gnum}")
    total = sum(size for _num, size, _base in fields) + dev_size
    handler: Callable[..., Any] | None
    if gnum == P.MESG_RECORD:
        kind, handler = _KIND_RECORD, _compile_record(endian, fields, total)
    elif gnum in P.WANTED_FIELDS:
        kind, handler = _KIND_MESSAGE, _compile_message(endian, gnum, fields, total)
    else:
        handler = _compile_timestamp(endian, fields)
        kind = _KIND_SKIP if handler is None else _KIND_TIMESTAMP
    compiled: _Def = (kind, handler, total, gnum)
    if len(_DEF_CACHE) > 4096:
        _DEF_CACHE.clear()
    _DEF_CACHE[key] = compiled
    return compiled


def _read_header(data: bytes, pos: int) -> tuple[int, int] | None:
    """(header size, data size) of the FIT header at `pos`, or None if there is none."""
    if len(data) - pos < 12:
        return None
    header_size, _proto, _profile, data_size, magic = _HEADER.unpack_from(data, pos)
    if magic != b".FIT" or header_size < 12 or len(data) - pos < header_size:
        return None
    return header_size, data_size


def _decode_part(data: bytes, pos: int, end: int, part: _Part) -> str | None:
    """Decode the messages of one FIT file in data[pos:end] into `part`. Returns a damage reason or None."""
    defs: list[_Def | None] = [None] * 16
    records = part.records
    last_ts = 0  # compressed-timestamp accumulator (as in the FIT SDK and fitdecode)
    while pos < end:
        header = data[pos]
        if header & 0x80:  # compressed timestamp header
            d = defs[(header >> 5) & 0x03]
            offset = header & 0x1F
            ts = offset + (last_ts & ~0x1F)
            if offset < (last_ts & 0x1F):
                ts += 0x20
            last_ts = hts = ts
        elif header & 0x40:  # definition message
            if pos + 6 > end:
                return f"truncated definition message at byte {pos}"
            arch = data[pos + 2]
            if arch > 1:
                return f"corrupt definition message at byte {pos} (architecture byte {arch})"
            endian = ">" if arch else "<"
            gnum = _U16[endian].unpack_from(data, pos + 3)[0]
            nfields = data[pos + 5]
            fields_end = pos + 6 + 3 * nfields
            dev_size = 0
            if header & 0x20:  # developer fields: skip their bytes
                if fields_end + 1 > end:
                    return f"truncated definition message at byte {pos}"
                ndev = data[fields_end]
                dev_end = fields_end + 1 + 3 * ndev
                if dev_end > end:
                    return f"truncated definition message at byte {pos}"
                dev_size = sum(data[fields_end + 2 : dev_end : 3])
                next_pos = dev_end
            else:
                next_pos = fields_end
            if fields_end > end:
                return f"truncated definition message at byte {pos}"
            defs[header & 0x0F] = _compile(endian, gnum, bytes(data[pos + 6 : fields_end]), dev_size)
            pos = next_pos
            continue
        else:
            d = defs[header & 0x0F]
            hts = None
        if d is None:
            local = (header >> 5) & 0x03 if header & 0x80 else header & 0x0F
            return f"data message at byte {pos} uses undefined local message {local}"
        kind, handler, size, gnum = d
        if pos + 1 + size > end:
            return f"truncated message at byte {pos}"
        if kind == _KIND_RECORD:
            rec = handler(data, pos + 1, hts)  # type: ignore[misc]
            records.append(rec)
            if rec[0] is not None:
                last_ts = rec[0]
        elif kind == _KIND_TIMESTAMP:
            ts_value = handler(data, pos + 1, hts)  # type: ignore[misc]
            if ts_value is not None and hts is None:
                last_ts = ts_value
        elif kind == _KIND_MESSAGE:
            msg = handler(data, pos + 1, hts)  # type: ignore[misc]
            if hts is None and isinstance(msg.get(P.FIELD_TIMESTAMP), int):
                last_ts = msg[P.FIELD_TIMESTAMP]
            _store_message(part, gnum, msg)
        pos += 1 + size
    return None


def _store_message(part: _Part, gnum: int, msg: RawMessage) -> None:
    if gnum == P.MESG_SESSION:
        part.sessions.append(msg)
    elif gnum == P.MESG_FILE_ID:
        if part.file_id is None:
            part.file_id = msg
    elif gnum == P.MESG_ACTIVITY:
        part.activity = msg
    elif gnum == P.MESG_SPORT:
        part.sports.append(msg)


def decode_fast(data: bytes) -> _Decoded:
    """Decode the messages the importer needs. Raises ActivityFileError when nothing is a FIT file,
    and _Unsupported for structures the fast path does not handle."""
    n = len(data)
    if _read_header(data, 0) is None:
        raise ActivityFileError(
            "not a FIT file (empty)" if n == 0 else "not a FIT file (no valid FIT header at byte 0)"
        )
    parts: list[_Part] = []
    pos = 0
    damage: str | None = None
    while pos < n:
        header = _read_header(data, pos)
        if header is None:
            rest = data[pos:]
            if not rest.strip(b"\x00"):
                break  # zero padding after the last file
            damage = f"corrupt FIT header at byte {pos} after {len(parts)} complete file(s)"
            break
        header_size, data_size = header
        if data_size == 0:
            damage = f"empty FIT file at byte {pos} (its header declares no data)"
            break
        start = pos + header_size
        end = start + data_size
        truncated = end > n
        part = _Part(offset=pos)
        parts.append(part)
        damage = _decode_part(data, start, min(end, n), part)
        if damage is not None:
            break
        if truncated:
            damage = f"truncated: the file ends {end - n} bytes before the end its header declares"
            break
        if end + 2 > n:
            damage = "the file ends without its CRC (unterminated recording)"
            break
        if len(parts) > 1 and _crc16(data, pos, end) != data[end] | (data[end + 1] << 8):
            parts.pop()
            damage = f"chained FIT file #{len(parts) + 1} at byte {pos} has a bad CRC; it was skipped"
            break
        pos = end + 2
    return _Decoded(parts=parts, damage=damage, decoder="fast")


# CRC-16 of the FIT SDK (CRC-16/ARC), two bytes per step with a 64 K table built on first use.
_CRC_TABLE: list[int] = []
_CRC_TABLE2: list[int] = []


def _crc16(data: bytes, start: int, end: int) -> int:
    if not _CRC_TABLE:
        for i in range(256):
            crc = i
            for _ in range(8):
                crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
            _CRC_TABLE.append(crc)
        t = _CRC_TABLE
        _CRC_TABLE2.extend((t[x & 0xFF] >> 8) ^ t[(t[x & 0xFF] ^ (x >> 8)) & 0xFF] for x in range(65536))
    t1, t2 = _CRC_TABLE, _CRC_TABLE2
    crc = 0
    even_end = start + ((end - start) & ~1)
    words = array("H", data[start:even_end])
    if sys.byteorder == "big":
        words.byteswap()
    for word in words:
        crc = t2[crc ^ word]
    if even_end < end:
        crc = (crc >> 8) ^ t1[(crc ^ data[even_end]) & 0xFF]
    return crc


# --------------------------------------------------------------------------------------------------
# fitdecode fallback
# --------------------------------------------------------------------------------------------------


def decode_fitdecode(data: bytes) -> _Decoded:
    """The same intermediate form as decode_fast, read with fitdecode (slower, more forgiving)."""
    import fitdecode

    parts: list[_Part] = []
    damage: str | None = None
    part: _Part | None = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = fitdecode.FitReader(
                io.BytesIO(data),
                check_crc=fitdecode.CrcCheck.WARN,
                error_handling=fitdecode.ErrorHandling.RAISE,
            )
            with reader:
                for frame in reader:
                    if isinstance(frame, fitdecode.FitHeader):
                        part = _Part(offset=-1)
                        parts.append(part)
                        if frame.body_size == 0:
                            damage = "empty FIT file (its header declares no data)"
                            break
                    elif isinstance(frame, fitdecode.FitCRC):
                        if not frame.matched and len(parts) > 1:
                            parts.pop()
                            damage = f"chained FIT file #{len(parts) + 1} has a bad CRC; it was skipped"
                            break
                    elif isinstance(frame, fitdecode.FitDataMessage) and part is not None:
                        gnum = frame.global_mesg_num
                        if gnum == P.MESG_RECORD:
                            part.records.append(_fitdecode_record(frame))
                        elif gnum in P.WANTED_FIELDS:
                            _store_message(part, gnum, _fitdecode_message(frame, gnum))
    except Exception as exc:  # fitdecode on garbage can raise more than FitError: keep what was read
        if not parts:
            raise ActivityFileError(f"not a FIT file ({_one_line(exc)})") from exc
        damage = _one_line(exc)
    return _Decoded(parts=parts, damage=damage, decoder="fitdecode")


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def _plain_fields(frame: Any) -> Any:
    """The message's own (non-developer, non-expanded) fields, plus a compressed-header timestamp."""
    for fd in frame.fields:
        fdef = fd.field_def
        if fdef is None:
            if fd.def_num == P.FIELD_TIMESTAMP and isinstance(fd.raw_value, int):
                yield fd.def_num, fd.raw_value
            continue
        if getattr(fdef, "is_dev", False):
            continue
        yield fd.def_num, fd.raw_value


def _fitdecode_record(frame: Any) -> RawRecord:
    rec: list[Any] = [None] * P.REC_SLOTS
    for num, raw in _plain_fields(frame):
        slot = P.RECORD_FIELD_SLOTS.get(num)
        if slot is None or raw is None:
            continue
        if slot == P.REC_COMPRESSED_SPEED_DISTANCE:
            if isinstance(raw, tuple | list) and len(raw) == 3 and all(isinstance(b, int) for b in raw):
                value = bytes(raw)
                rec[slot] = None if value == _CSD_INVALID else value
            elif isinstance(raw, bytes) and len(raw) == 3:
                rec[slot] = None if raw == _CSD_INVALID else raw
        elif (isinstance(raw, int) and not isinstance(raw, bool)) or (
            isinstance(raw, float) and slot != P.REC_TIMESTAMP and raw == raw
        ):
            rec[slot] = raw
    return tuple(rec)


def _fitdecode_message(frame: Any, gnum: int) -> RawMessage:
    wanted = P.WANTED_FIELDS[gnum]
    out: RawMessage = {}
    for num, raw in _plain_fields(frame):
        if num not in wanted or raw is None:
            continue
        if (gnum, num) in P.STRING_FIELDS:
            if isinstance(raw, str) and raw:
                out[num] = raw
        elif isinstance(raw, int | float) and not isinstance(raw, bool) and raw == raw:
            out[num] = raw
    return out


# --------------------------------------------------------------------------------------------------
# Building activities (shared by both decoders)
# --------------------------------------------------------------------------------------------------

_DEG_DIV = 2**31 / 180.0  # semicircles -> degrees: value / _DEG_DIV
_UTC = UTC


def _to_datetime(fit_ts: int) -> datetime:
    return datetime.fromtimestamp(fit_ts + P.FIT_EPOCH_S, tz=_UTC)


def _plausible_ts(fit_ts: Any) -> TypeGuard[int]:
    """A FIT timestamp no later than a week from now (garbage values fail; system time passes)."""
    return isinstance(fit_ts, int) and 0 <= fit_ts <= _max_ts()


def _sport_names(sport: Any, sub_sport: Any) -> tuple[str, str | None]:
    name = P.SPORT_MAP.get(sport, "other") if isinstance(sport, int) else "other"
    sub = P.SUB_SPORT_MAP.get(sub_sport) if isinstance(sub_sport, int) else None
    return name, sub


_DEVICE_NAMES: dict[tuple[Any, Any, Any], str | None] = {}


def _device_name(file_id: RawMessage | None) -> str | None:
    if file_id is None:
        return None
    manufacturer = file_id.get(P.FILE_ID_MANUFACTURER)
    product = file_id.get(P.FILE_ID_PRODUCT)
    product_name = file_id.get(P.FILE_ID_PRODUCT_NAME)
    key = (manufacturer, product, product_name)
    if key in _DEVICE_NAMES:
        return _DEVICE_NAMES[key]
    words: list[str] = []
    try:
        from fitdecode import profile

        enums = {name: ft.enum for name, ft in profile.FIELD_TYPES.items() if ft.enum}
    except Exception:  # pragma: no cover - fitdecode is a dependency; names are a nicety
        enums = {}
    if isinstance(manufacturer, int) and manufacturer != 0:
        words.append(str(enums.get("manufacturer", {}).get(manufacturer, manufacturer)))
    if isinstance(product_name, str) and product_name.strip():
        words.append(product_name.strip())
    elif isinstance(product, int) and product != 0:
        if manufacturer in P.GARMIN_PRODUCT_MANUFACTURERS:
            words.append(str(enums.get("garmin_product", {}).get(product, product)))
        else:
            words.append(str(product))
    name = " ".join(words) or None
    _DEVICE_NAMES[key] = name
    return name


def _utc_offset(activity: RawMessage | None) -> int | None:
    if not activity:
        return None
    local, utc = activity.get(P.ACTIVITY_LOCAL_TIMESTAMP), activity.get(P.FIELD_TIMESTAMP)
    if not isinstance(local, int) or not isinstance(utc, int):
        return None
    offset = round((local - utc) / 900) * 900
    return offset if abs(offset) <= 14 * 3600 else None


def _scaled(msg: RawMessage, num: int, scale: float) -> float | None:
    value = msg.get(num)
    return None if value is None else value / scale


def _summary(session: RawMessage, stride_sport: bool) -> DeviceSummary:
    cadence = session.get(P.SESSION_AVG_CADENCE)
    avg_cadence: float | None = None
    if cadence is not None:
        avg_cadence = cadence + session.get(P.SESSION_AVG_FRACTIONAL_CADENCE, 0) / 128
        if stride_sport:
            avg_cadence *= 2
    return DeviceSummary(
        distance_m=_scaled(session, P.SESSION_TOTAL_DISTANCE, 100),
        elapsed_time_s=_scaled(session, P.SESSION_TOTAL_ELAPSED_TIME, 1000),
        timer_time_s=_scaled(session, P.SESSION_TOTAL_TIMER_TIME, 1000),
        moving_time_s=_scaled(session, P.SESSION_TOTAL_MOVING_TIME, 1000),
        ascent_m=_scaled(session, P.SESSION_TOTAL_ASCENT, 1),
        descent_m=_scaled(session, P.SESSION_TOTAL_DESCENT, 1),
        avg_heart_rate_bpm=_scaled(session, P.SESSION_AVG_HEART_RATE, 1),
        avg_cadence_spm=avg_cadence,
        calories=_scaled(session, P.SESSION_TOTAL_CALORIES, 1),
    )


@dataclass
class _Columns:
    """Record channels of a part, already scaled (cadence not yet doubled)."""

    ts: list[int]
    distance: list[float | None]
    altitude: list[float | None]
    speed: list[float | None]
    heart_rate: list[float | None]
    cadence: list[float | None]
    lat: list[float | None]
    lon: list[float | None]


def _max_ts() -> int:
    return int(time.time()) - P.FIT_EPOCH_S + 7 * 86400


def _scaled_column(values: Sequence[Any], div: float, offset: float = 0) -> tuple[list[float | None], bool]:
    """(value / div - offset with None kept, whether nothing is missing). Column-wise in C (map) first;
    a None makes that raise TypeError, and the per-value loop takes over."""
    try:
        out: Iterator[Any] = map(truediv, values, repeat(div))
        if offset:
            out = map(sub, out, repeat(offset))
        return list(out), True
    except TypeError:
        return [None if v is None else v / div - offset for v in values], False


def _preferred(
    first: Sequence[Any], second: Sequence[Any], div: float, offset: float = 0
) -> list[float | None]:
    """Scaled `first` (enhanced_*), or the scaled `second` where `first` is missing."""
    if first.count(None) == len(first):  # no enhanced field in this file (identity checks: cheap)
        return _scaled_column(second, div, offset)[0]
    values, complete = _scaled_column(first, div, offset)
    if complete:
        return values
    fallback, _ = _scaled_column(second, div, offset)
    return [f if f is not None else s for f, s in zip(values, fallback, strict=True)]


def _columns(records: list[RawRecord]) -> _Columns:
    if not records:
        return _Columns([], [], [], [], [], [], [], [])
    cols = list(zip(*records, strict=True))
    stamps = cols[P.REC_TIMESTAMP]
    # Record timestamps are ints or None (both decoders); drop missing and implausible ones.
    try:
        clean = min(stamps) >= 0 and max(stamps) <= _max_ts()
    except TypeError:  # a None
        clean = False
    if not clean:
        hi = _max_ts()
        kept = [r for r in records if r[0] is not None and 0 <= r[0] <= hi]
        if not kept:
            return _Columns([], [], [], [], [], [], [], [])
        cols = list(zip(*kept, strict=True))
    (ts, lat, lon, alt, ealt, hr, cad, frac, dist, speed, espeed, csd) = cols
    altitude = _preferred(ealt, alt, 5, 500)
    speeds = _preferred(espeed, speed, 1000)
    distance, _ = _scaled_column(dist, 100)
    if any(csd):
        accumulated = 0
        for i, c in enumerate(csd):
            if c is None:
                continue
            raw_speed = c[0] | ((c[1] & 0x0F) << 8)
            raw_dist = (c[1] >> 4) | (c[2] << 4)
            base = raw_dist + (accumulated & ~0xFFF)
            if raw_dist < (accumulated & 0xFFF):
                base += 0x1000
            accumulated = base
            if speeds[i] is None:
                speeds[i] = raw_speed / 100
            if distance[i] is None:
                distance[i] = accumulated / 16
    cadence: list[float | None]
    if not any(frac):  # no fractional part anywhere (None or 0)
        cadence, _ = _scaled_column(cad, 1)
    else:
        cadence = [
            None if c is None else (c / 1 if f is None else c + f / 128)
            for c, f in zip(cad, frac, strict=True)
        ]
    return _Columns(
        ts=list(ts),
        distance=distance,
        altitude=altitude,
        speed=speeds,
        heart_rate=_scaled_column(hr, 1)[0],
        cadence=cadence,
        lat=_scaled_column(lat, _DEG_DIV)[0],
        lon=_scaled_column(lon, _DEG_DIV)[0],
    )


def _samples(cols: _Columns, idx: list[int] | None, start: int, stride: bool, gps: bool) -> Samples:
    def pick(values: list[Any]) -> list[Any]:
        return values if idx is None else [values[i] for i in idx]

    ts = pick(cols.ts)
    cadence = pick(cols.cadence)
    if stride:
        cadence = _scaled_column(cadence, 0.5)[0]
    n = len(ts)
    return Samples(
        elapsed_s=list(map(float, map(sub, ts, repeat(start)))),
        distance_m=pick(cols.distance),
        altitude_m=pick(cols.altitude),
        speed_mps=pick(cols.speed),
        heart_rate_bpm=pick(cols.heart_rate),
        cadence_spm=cadence,
        latitude=pick(cols.lat) if gps else [None] * n,
        longitude=pick(cols.lon) if gps else [None] * n,
    )


def _session_start(session: RawMessage) -> int | None:
    start = session.get(P.SESSION_START_TIME)
    if _plausible_ts(start):
        return int(start)
    end, elapsed = session.get(P.FIELD_TIMESTAMP), session.get(P.SESSION_TOTAL_ELAPSED_TIME)
    if _plausible_ts(end) and isinstance(elapsed, int):
        start = int(end - round(elapsed / 1000))
        return start if _plausible_ts(start) else None
    return None


def _system_time_shift(part: _Part, first_start: int) -> int:
    """Old devices (FR405 era) wrote "system time" (seconds since power-up, < 0x10000000) instead of UTC.
    The activity message's local_timestamp then dates them: shift everything to that local time."""
    if first_start >= P.FIT_MIN_DATETIME or not part.activity:
        return 0
    local, ts = part.activity.get(P.ACTIVITY_LOCAL_TIMESTAMP), part.activity.get(P.FIELD_TIMESTAMP)
    if (
        _plausible_ts(local)
        and local >= P.FIT_MIN_DATETIME
        and isinstance(ts, int)
        and ts < P.FIT_MIN_DATETIME
    ):
        return int(local - ts)
    return 0


def _part_activities(part: _Part, device: str | None) -> list[ParsedActivity]:
    cols = _columns(part.records)
    utc_offset = _utc_offset(part.activity)
    default_sport = part.sports[0] if part.sports else {}
    # When a session says nothing about its start: first record, then the activity message, then file_id.
    fallback: int | None = cols.ts[0] if cols.ts else None
    for msg, num in ((part.activity, P.FIELD_TIMESTAMP), (part.file_id, P.FILE_ID_TIME_CREATED)):
        if fallback is None and msg is not None and _plausible_ts(msg.get(num)):
            fallback = int(msg[num])
    sessions: list[RawMessage] = []
    starts: list[int] = []
    for session in part.sessions:
        start = _session_start(session)
        if start is None:
            start = fallback
        if start is not None:
            sessions.append(session)
            starts.append(start)
    from_session = bool(sessions)
    if not sessions:
        if not cols.ts:
            return []
        sessions = [{}]
        starts = [cols.ts[0]]
    order = sorted(range(len(sessions)), key=lambda i: starts[i])
    sessions = [sessions[i] for i in order]
    starts = [starts[i] for i in order]
    shift = _system_time_shift(part, starts[0])
    if shift:
        starts = [t + shift for t in starts]
        cols.ts = [t + shift for t in cols.ts]
        utc_offset = None
    # Records go to the session whose start is the latest at or before them (the first takes earlier ones).
    windows: list[list[int] | None]
    if len(sessions) == 1:
        windows = [None]
    else:
        groups: list[list[int]] = [[] for _ in sessions]
        for i, t in enumerate(cols.ts):
            groups[max(bisect.bisect_right(starts, t) - 1, 0)].append(i)
        windows = list(groups)
    out: list[ParsedActivity] = []
    for session, start, window in zip(sessions, starts, windows, strict=True):
        sport_num = session.get(P.SESSION_SPORT, default_sport.get(P.SPORT_SPORT))
        if sport_num == P.SPORT_TRANSITION:
            continue
        sub_num = session.get(P.SESSION_SUB_SPORT, default_sport.get(P.SPORT_SUB_SPORT))
        sport, sub_sport = _sport_names(sport_num, sub_num)
        stride = sport in P.STRIDE_SPORTS
        out.append(
            ParsedActivity(
                source_format="fit",
                start_time=_to_datetime(start),
                sport=sport,
                sub_sport=sub_sport,
                utc_offset_s=utc_offset,
                device=device,
                summary=_summary(session, stride) if from_session else DeviceSummary(),
                samples=_samples(cols, window, start, stride, sub_sport not in P.NO_GPS_SUB_SPORTS),
            )
        )
    return out


def _build(decoded: _Decoded) -> list[ParsedActivity]:
    activities: list[ParsedActivity] = []
    other_types: list[str] = []
    undated = False
    device: str | None = None
    for part in decoded.parts:
        ftype = part.file_type
        if ftype is not None and ftype != P.FILE_TYPE_ACTIVITY:
            other_types.append(P.FILE_TYPES.get(ftype, f"type {ftype}"))
            continue
        if device is None:
            device = _device_name(part.file_id)
        built = _part_activities(part, device)
        undated = undated or (not built and bool(part.records or part.sessions))
        activities.extend(built)
    if decoded.damage is not None:
        if not activities:
            raise ActivityFileError(f"damaged FIT file with nothing usable: {decoded.damage}")
        for activity in activities:
            activity.partial = True
            activity.partial_reason = f"damaged FIT file, kept what was read before: {decoded.damage}"
        return activities
    if not activities:
        if other_types:
            raise NotAnActivity(f"this is a {other_types[0]} FIT file, not an activity")
        if undated:
            raise ActivityFileError("this FIT activity has no timestamps at all: nothing to date it by")
        raise NotAnActivity("this FIT file holds no activity (no records and no session)")
    return activities


def parse_fit(data: bytes, *, decoder: str = "auto") -> list[ParsedActivity]:
    """One ParsedActivity per session of a (gunzipped) FIT file.

    `decoder`: "auto" (fast decoder, fitdecode when it meets something it does not handle), "fast"
    (never fall back; raises ActivityFileError instead) or "fitdecode" (the fallback only).
    Raises NotAnActivity for valid non-activity files, ActivityFileError when nothing is usable.
    """
    if decoder not in ("auto", "fast", "fitdecode"):
        raise ValueError(f"unknown FIT decoder {decoder!r}")
    data = bytes(data)
    if decoder == "fitdecode":
        return _build(decode_fitdecode(data))
    try:
        decoded = decode_fast(data)
    except ActivityFileError:
        raise
    except _Unsupported as exc:
        if decoder == "fast":
            raise ActivityFileError(f"unsupported FIT structure: {exc}") from exc
        return _build(decode_fitdecode(data))
    except Exception:  # a fast-decoder bug must not lose the file: fitdecode reads it instead
        if decoder == "fast":
            raise
        _log.exception("fast FIT decoder failed; falling back to fitdecode")
        return _build(decode_fitdecode(data))
    return _build(decoded)


def last_decoder_used(data: bytes) -> str:
    """Which decoder `parse_fit(data)` uses: "fast" or "fitdecode" (for benchmarks and tests)."""
    try:
        decode_fast(bytes(data))
    except ActivityFileError:
        return "fast"
    except Exception:
        return "fitdecode"
    return "fast"

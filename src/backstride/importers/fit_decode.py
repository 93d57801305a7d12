"""FIT bytes -> raw messages: a fast decoder of our own, with `fitdecode` as the robust fallback.

The fast decoder compiles every definition message once into a `struct.Struct` plus a small generated
function, so each data message costs one `unpack_from` call; only the messages and fields the importer
needs are kept (file_id, session, record, activity, sport). Both decoders produce the same intermediate
form (`Decoded`: raw integer values, invalid sentinels already turned into None), which
`backstride.importers.fit` turns into activities.

Damage (a truncated file, an undefined local message, a corrupt chained header, a chained file with a
bad CRC) keeps what was read before it and records it in `Decoded.damage`. Structural surprises the
fast decoder does not handle (an unknown base type) raise `Unsupported`.
"""

from __future__ import annotations

import io
import logging
import struct
import sys
import warnings
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from backstride.core.activity import ActivityFileError
from backstride.importers import fit_profile as P
from backstride.importers.fit_records import CHUNK, RecordColumns

__all__ = ["RawMessage", "RawRecord", "decode_fast", "decode_fitdecode"]

# A raw record: REC_SLOTS values (see fit_profile.RECORD_FIELD_SLOTS), None when absent or invalid.
RawRecord = tuple[Any, ...]
RawMessage = dict[int, Any]


_log = logging.getLogger(__name__)


class Unsupported(Exception):
    """Something the fast decoder does not handle: the file goes to fitdecode."""


@dataclass
class Part:
    """One FIT file of a (possibly chained) FIT stream."""

    offset: int
    file_id: RawMessage | None = None
    sessions: list[RawMessage] = field(default_factory=list)
    records: RecordColumns = field(default_factory=RecordColumns)
    activity: RawMessage | None = None
    sports: list[RawMessage] = field(default_factory=list)

    @property
    def file_type(self) -> int | None:
        return None if self.file_id is None else self.file_id.get(P.FILE_ID_TYPE)


@dataclass
class Decoded:
    parts: list[Part]
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
            raise Unsupported(f"unknown FIT base type 0x{base:02x} in message {gnum}")
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


def _decode_part(data: bytes, pos: int, end: int, part: Part) -> str | None:
    """Decode the messages of one FIT file in data[pos:end] into `part`. Returns a damage reason or None."""
    defs: list[_Def | None] = [None] * 16
    records = part.records.pending  # raw tuples, turned into columns CHUNK at a time
    flush = part.records.flush
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
            if len(records) >= CHUNK:
                flush()
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


def _store_message(part: Part, gnum: int, msg: RawMessage) -> None:
    if gnum == P.MESG_SESSION:
        part.sessions.append(msg)
    elif gnum == P.MESG_FILE_ID:
        if part.file_id is None:
            part.file_id = msg
    elif gnum == P.MESG_ACTIVITY:
        part.activity = msg
    elif gnum == P.MESG_SPORT:
        part.sports.append(msg)


def decode_fast(data: bytes) -> Decoded:
    """Decode the messages the importer needs. Raises ActivityFileError when nothing is a FIT file,
    and Unsupported for structures the fast path does not handle."""
    n = len(data)
    if _read_header(data, 0) is None:
        raise ActivityFileError(
            "not a FIT file (empty)" if n == 0 else "not a FIT file (no valid FIT header at byte 0)"
        )
    parts: list[Part] = []
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
        part = Part(offset=pos, records=RecordColumns(file_bytes=n))
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
    return Decoded(parts=parts, damage=damage, decoder="fast")


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


def decode_fitdecode(data: bytes) -> Decoded:
    """The same intermediate form as decode_fast, read with fitdecode (slower, more forgiving)."""
    import fitdecode

    parts: list[Part] = []
    damage: str | None = None
    part: Part | None = None
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
                        part = Part(offset=-1, records=RecordColumns(file_bytes=len(data)))
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
    return Decoded(parts=parts, damage=damage, decoder="fitdecode")


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

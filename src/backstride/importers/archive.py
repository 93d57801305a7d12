"""Safe reading of export archives (Strava and Garmin bulk exports are zips; Garmin nests zips in them).

Nothing is ever extracted to disk: members are listed, then read into memory on demand, with every
limit enforced while the bytes are produced (the sizes in a zip header are not trusted).

Policy for hostile or unusable entries:
* an absolute path (``/etc/passwd``), a ``..`` component or a drive letter (``C:``) makes the whole
  archive refused with ArchiveError: no exporter writes such names, so the file is forged or broken;
* an encrypted member makes the whole archive refused (the user must export again, without a password);
* a symlink entry is skipped (it holds only a link target, never activity data) with a warning;
* a nested ``.zip`` that cannot be opened is skipped with a warning (the rest of the export still counts);
* a nested zip deeper than ``max_nesting`` makes the whole archive refused;
* no member is ever expanded more than ``max_ratio`` times (200x) its compressed size: one above 1 MB
  unpacked makes the whole archive refused (a zip bomb), a smaller one (a file of repetitive text,
  harmless but over the rule) is skipped with a warning.
Warnings go to the optional ``warnings`` list (and the module logger), as one-line "path: reason" strings.

Limits (member count, bytes per member, total bytes) are shared by an archive and the zips nested in it.
"""

from __future__ import annotations

import io
import logging
import re
import stat
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger(__name__)

_CHUNK = 64 * 1024
# A member over the compression ratio this big unpacked is a zip bomb: the archive is refused. Below
# it, the member alone is skipped (small files of repetitive text can compress better than 200:1).
_BOMB_BYTES = 1024**2
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class ArchiveLimits:
    max_members: int = 20_000
    max_member_bytes: int = 200 * 1024**2  # one file, uncompressed
    max_total_bytes: int = 4 * 1024**3  # whole archive (nested zips included), uncompressed
    max_ratio: float = 200.0  # uncompressed/compressed per member (zip bomb)
    # Zip levels below the archive itself that are expanded: 1 = Garmin's UploadedFiles_*.zip inside
    # the export, 2 = the same inside an export the user zipped once more. Deeper is refused.
    max_nesting: int = 2


class ArchiveError(ValueError):
    """An archive that cannot be read safely. The message is one line: what is wrong, what to do."""


@dataclass(frozen=True)
class Member:
    """A regular file inside an archive (or an unpacked export folder)."""

    path: str  # display path: "export.zip!activities/1.fit.gz", "export.zip!a/Part1.zip!x.fit"
    name: str  # path inside its own archive (or folder), normalised, forward slashes
    size: int  # uncompressed size (as declared: reading never yields more)
    depth: int = 0  # 0 = in the archive/folder itself, 1 = inside a zip nested in it, ...
    _reader: Callable[[], bytes] = field(default=lambda: b"", repr=False, compare=False)

    def read(self) -> bytes:
        """The member's bytes, read now, with the archive limits enforced while reading."""
        return self._reader()


@dataclass
class _Budget:
    """Counts shared by an archive and every zip nested in it."""

    members: int = 0
    declared_bytes: int = 0


def _warn(warnings: list[str] | None, message: str) -> None:
    log.warning("%s", message)
    if warnings is not None:
        warnings.append(message)


def _safe_name(raw: str, display: str) -> str:
    """The normalised member name, or ArchiveError if it could escape a folder when extracted."""
    name = raw.replace("\\", "/")
    parts = name.split("/")
    if name.startswith("/") or _DRIVE.match(name) or ".." in parts:
        raise ArchiveError(
            f"{display}: refused, it holds a member with an unsafe path ({raw!r}); "
            "this is not an untouched Strava or Garmin export — download the export again"
        )
    return "/".join(part for part in parts if part not in ("", "."))


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    # Unix permissions live in the high 16 bits of external_attr when the zip was made on Unix.
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _bounded_read(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, member_path: str, limits: ArchiveLimits
) -> bytes:
    """Decompress one member in chunks, never producing more than its declared size, the per-member
    limit or the ratio limit (whatever the header claims)."""
    cap = min(info.file_size, limits.max_member_bytes)
    compressed = max(info.compress_size, 1)
    out = io.BytesIO()
    total = 0
    try:
        with zf.open(info) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                total += len(chunk)
                if total > cap:
                    raise ArchiveError(
                        f"{member_path}: refused, it unpacks to more than "
                        f"{'its header says' if cap == info.file_size else 'the size limit'} "
                        f"({cap} bytes); the archive is damaged or forged"
                    )
                if total / compressed > limits.max_ratio:
                    raise ArchiveError(
                        f"{member_path}: refused, compression ratio above {limits.max_ratio:.0f}:1 "
                        "(a zip bomb?); use the export as downloaded from Strava or Garmin"
                    )
                out.write(chunk)
    except ArchiveError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise ArchiveError(
            f"{member_path}: cannot be read ({exc}); the archive is damaged — download it again"
        ) from exc
    except (NotImplementedError, RuntimeError) as exc:  # unknown compression method, password
        raise ArchiveError(
            f"{member_path}: cannot be read ({exc}); re-pack the export as a plain zip"
        ) from exc
    return out.getvalue()


def _open_zip(source: Path | bytes | BinaryIO, display: str) -> zipfile.ZipFile:
    try:
        if isinstance(source, bytes | bytearray):
            return zipfile.ZipFile(io.BytesIO(source))
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise ArchiveError(
            f"{display}: not a readable zip archive ({exc}); download the export again"
        ) from exc


def iter_zip(
    source: Path | bytes | BinaryIO,
    display: str,
    limits: ArchiveLimits = ArchiveLimits(),
    _depth: int = 0,
    *,
    warnings: list[str] | None = None,
    _budget: _Budget | None = None,
) -> Iterator[Member]:
    """Yield the regular files of a zip; nested ``.zip`` members are expanded in place (their members
    have "outer!inner" display paths). The limits on counts and declared sizes are checked before any
    member is yielded; reads are bounded as they happen. A zip given as a Path is closed once listed and
    reopened when a member is read (`_reopened`); one given as bytes or a stream stays open.
    """
    budget = _budget if _budget is not None else _Budget()
    zf = _open_zip(source, display)
    infos = zf.infolist()
    if budget.members + len(infos) > limits.max_members:
        raise ArchiveError(
            f"{display}: refused, more than {limits.max_members} members; "
            "import the export's activities folder instead"
        )
    budget.members += len(infos)

    checked: list[tuple[zipfile.ZipInfo, str]] = []
    for info in infos:
        name = _safe_name(info.filename, display)
        member_path = f"{display}!{name}"
        if info.flag_bits & 0x1:
            raise ArchiveError(
                f"{member_path}: refused, the member is encrypted; export again without a password"
            )
        if info.is_dir() or not name:
            continue
        if _is_symlink(info):
            _warn(warnings, f"{member_path}: skipped, a symbolic link is not an activity file")
            continue
        if info.file_size > limits.max_member_bytes:
            raise ArchiveError(
                f"{member_path}: refused, {info.file_size} bytes unpacked is above the "
                f"{limits.max_member_bytes}-byte limit per file"
            )
        if info.file_size / max(info.compress_size, 1) > limits.max_ratio:
            if info.file_size > _BOMB_BYTES:
                raise ArchiveError(
                    f"{member_path}: refused, compression ratio above {limits.max_ratio:.0f}:1 "
                    "(a zip bomb?); use the export as downloaded from Strava or Garmin"
                )
            _warn(
                warnings,
                f"{member_path}: skipped, it expands more than {limits.max_ratio:.0f} times its packed "
                "size (the limit for any file in an archive); import it unpacked if you need it",
            )
            continue
        budget.declared_bytes += info.file_size
        if budget.declared_bytes > limits.max_total_bytes:
            raise ArchiveError(
                f"{display}: refused, it unpacks to more than {limits.max_total_bytes} bytes; "
                "import the export in parts"
            )
        checked.append((info, name))

    for info, name in checked:
        member_path = f"{display}!{name}"
        if name.lower().endswith(".zip"):
            if _depth + 1 > limits.max_nesting:
                raise ArchiveError(
                    f"{member_path}: refused, zips nested more than {limits.max_nesting} deep; "
                    "unpack the outer archive and import the export inside it"
                )
            data = _bounded_read(zf, info, member_path, limits)
            try:
                inner = _open_zip(data, member_path)
            except ArchiveError as exc:
                _warn(warnings, f"{member_path}: skipped, {exc}")
                continue
            inner.close()
            yield from iter_zip(data, member_path, limits, _depth + 1, warnings=warnings, _budget=budget)
            continue

        def reader(info: zipfile.ZipInfo = info, member_path: str = member_path) -> bytes:
            if isinstance(source, Path):  # reopened on demand: see _reopened
                return _bounded_read(_reopened(source, display), info, member_path, limits)
            return _bounded_read(zf, info, member_path, limits)

        yield Member(path=member_path, name=name, size=info.file_size, depth=_depth, _reader=reader)
    if isinstance(source, Path):
        zf.close()


_open_zips = threading.local()


def _reopened(path: Path, display: str) -> zipfile.ZipFile:
    """The zip at `path`, open; one at a time per thread. A zip on disk is closed once it is listed
    and reopened when a member is read, so a folder of 2,000 zips never holds 2,000 files open (the
    limit is often 1,024); members are read in order, so each zip is opened about once more."""
    current: tuple[Path, zipfile.ZipFile] | None = getattr(_open_zips, "current", None)
    if current is not None and current[0] == path:
        return current[1]
    if current is not None:
        current[1].close()
    zf = _open_zip(path, display)
    _open_zips.current = (path, zf)
    return zf


def close_reopened() -> None:
    """Close this thread's reopened zip, if any: call once a batch's members have all been read."""
    current: tuple[Path, zipfile.ZipFile] | None = getattr(_open_zips, "current", None)
    _open_zips.current = None
    if current is not None:
        current[1].close()


def iter_folder(
    root: Path,
    display: str | None = None,
    limits: ArchiveLimits = ArchiveLimits(),
    *,
    warnings: list[str] | None = None,
) -> Iterator[Member]:
    """The files of an unpacked export folder as Members (zips inside it expanded like iter_zip does).
    Symbolic links are not followed (skipped with a warning), so nothing outside ``root`` is read."""
    display = display if display is not None else root.name
    budget = _Budget()
    files: list[tuple[Path, str]] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        for entry in sorted(folder.iterdir()):
            rel = entry.relative_to(root).as_posix()
            if entry.is_symlink():
                _warn(warnings, f"{display}/{rel}: skipped, symbolic links are not followed")
            elif entry.is_dir():
                stack.append(entry)
            elif entry.is_file():
                files.append((entry, rel))
    files.sort(key=lambda item: item[1])
    if len(files) > limits.max_members:
        raise ArchiveError(
            f"{display}: refused, more than {limits.max_members} files; import the activities folder instead"
        )
    budget.members = len(files)

    for file, rel in files:
        member_path = f"{display}/{rel}"
        size = file.stat().st_size
        if size > limits.max_member_bytes:
            raise ArchiveError(
                f"{member_path}: refused, {size} bytes is above the "
                f"{limits.max_member_bytes}-byte limit per file"
            )
        if rel.lower().endswith(".zip"):
            yield from iter_zip(file, member_path, limits, 1, warnings=warnings, _budget=budget)
            continue

        def reader(file: Path = file, member_path: str = member_path) -> bytes:
            with file.open("rb") as handle:
                data = handle.read(limits.max_member_bytes + 1)
            if len(data) > limits.max_member_bytes:
                raise ArchiveError(
                    f"{member_path}: refused, above the {limits.max_member_bytes}-byte limit per file"
                )
            return data

        yield Member(path=member_path, name=rel, size=size, depth=0, _reader=reader)

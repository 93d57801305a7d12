"""Safe archive reading: every zip is built here with zipfile (hostile ones patched byte by byte)."""

from __future__ import annotations

import io
import stat
import struct
import zipfile
from pathlib import Path

import pytest

from backstride.importers.archive import ArchiveError, ArchiveLimits, Member, iter_folder, iter_zip


def make_zip(files: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def patch_headers(data: bytes, *, flag: int = 0, file_size: int | None = None) -> bytes:
    """Rewrite the first member's local and central headers (zipfile cannot write these lies)."""
    raw = bytearray(data)
    local = raw.find(b"PK\x03\x04")
    central = raw.find(b"PK\x01\x02")
    raw[local + 6 : local + 8] = struct.pack("<H", struct.unpack_from("<H", raw, local + 6)[0] | flag)
    raw[central + 8 : central + 10] = struct.pack("<H", struct.unpack_from("<H", raw, central + 8)[0] | flag)
    if file_size is not None:
        raw[local + 22 : local + 26] = struct.pack("<I", file_size)
        raw[central + 24 : central + 28] = struct.pack("<I", file_size)
    return bytes(raw)


def test_lists_regular_files_and_reads_them_lazily(tmp_path: Path):
    path = tmp_path / "export.zip"
    path.write_bytes(
        make_zip({"activities.csv": b"a,b\n", "activities/1.fit.gz": b"\x1f\x8b fake", "dir/": b""})
    )
    members = list(iter_zip(path, "export.zip"))
    assert [(m.path, m.name, m.size) for m in members] == [
        ("export.zip!activities.csv", "activities.csv", 4),
        ("export.zip!activities/1.fit.gz", "activities/1.fit.gz", 7),
    ]
    # read after the iteration is over: the archive stays open for the members
    assert members[1].read() == b"\x1f\x8b fake"
    assert members[0].read() == b"a,b\n"


def test_accepts_bytes_and_file_objects_and_normalises_backslashes():
    data = make_zip({"a\\b.txt": b"x", "./c.txt": b"y"})
    assert [m.name for m in iter_zip(data, "x.zip")] == ["a/b.txt", "c.txt"]
    assert [m.read() for m in iter_zip(io.BytesIO(data), "x.zip")] == [b"x", b"y"]


def test_not_a_zip_is_an_archive_error():
    with pytest.raises(ArchiveError, match="not a readable zip"):
        list(iter_zip(b"this is not a zip", "x.zip"))


def test_zip_bomb_is_refused_by_ratio():
    data = make_zip({"bomb.bin": bytes(50 * 1024**2)})
    assert len(data) < 200_000  # ~1000:1
    with pytest.raises(ArchiveError, match="ratio"):
        list(iter_zip(data, "bomb.zip"))


def test_no_member_expands_more_than_200x_small_ones_are_skipped_not_the_archive():
    """The README's rule holds under 1 MB too (issue 11): a small over-ratio member is never expanded,
    and, being no bomb, costs only itself; a member at the ratio is read."""
    data = make_zip(
        {
            "empty-lists.json": b"[]" * 100_000,  # 200 kB at ~1000:1
            "run.gpx": b"<gpx>" + bytes(range(256)) * 40 + b"</gpx>",  # well under 200:1
        }
    )
    warnings: list[str] = []
    [member] = iter_zip(data, "ok.zip", warnings=warnings)
    assert member.name == "run.gpx" and len(member.read()) == 10_251
    assert len(warnings) == 1 and warnings[0].startswith("ok.zip!empty-lists.json: skipped, it expands more")
    under_the_limit = make_zip({"x.bin": bytes(range(256)) * 200})
    assert len(next(iter_zip(under_the_limit, "x.zip", ArchiveLimits(max_ratio=200))).read()) == 51_200


def test_a_small_over_ratio_member_cannot_be_read_either():
    from backstride.importers.archive import _bounded_read

    data = make_zip({"z.bin": bytes(300_000)})  # 300 kB of zeros: far over 200:1, under 1 MB
    archive = zipfile.ZipFile(io.BytesIO(data))
    [info] = archive.infolist()
    with pytest.raises(ArchiveError, match="ratio above 200:1"):
        _bounded_read(archive, info, "z.zip!z.bin", ArchiveLimits())


def test_too_many_members():
    data = make_zip({f"f{i}.txt": b"x" for i in range(11)})
    with pytest.raises(ArchiveError, match="more than 10 members"):
        list(iter_zip(data, "many.zip", ArchiveLimits(max_members=10)))
    assert len(list(iter_zip(data, "many.zip", ArchiveLimits(max_members=11)))) == 11


def test_member_and_total_size_limits():
    data = make_zip({"a.bin": b"1" * 1000, "b.bin": b"2" * 1000}, zipfile.ZIP_STORED)
    with pytest.raises(ArchiveError, match="limit per file"):
        list(iter_zip(data, "big.zip", ArchiveLimits(max_member_bytes=999)))
    with pytest.raises(ArchiveError, match="unpacks to more than 1500 bytes"):
        list(iter_zip(data, "big.zip", ArchiveLimits(max_total_bytes=1500)))


@pytest.mark.parametrize(
    "name", ["../evil.txt", "activities/../../evil.txt", "/etc/passwd", "C:/evil.txt", "..\\x"]
)
def test_unsafe_paths_refuse_the_whole_archive(name: str):
    data = make_zip({"activities.csv": b"ok", name: b"evil"})
    with pytest.raises(ArchiveError, match="unsafe path"):
        list(iter_zip(data, "evil.zip"))


def test_symlink_entries_are_skipped_with_a_warning():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("activities/link.fit")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
        archive.writestr("activities/real.fit", b"fit")
    warnings: list[str] = []
    members = list(iter_zip(buffer.getvalue(), "x.zip", warnings=warnings))
    assert [m.name for m in members] == ["activities/real.fit"]
    assert warnings == ["x.zip!activities/link.fit: skipped, a symbolic link is not an activity file"]


def test_encrypted_member_is_refused():
    data = patch_headers(make_zip({"secret.fit": b"x" * 100}), flag=0x1)
    assert zipfile.ZipFile(io.BytesIO(data)).infolist()[0].flag_bits & 0x1
    with pytest.raises(ArchiveError, match="encrypted"):
        list(iter_zip(data, "enc.zip"))


def test_a_header_that_lies_about_the_size_is_still_bounded_while_reading():
    real = bytes(5 * 1024**2)
    data = patch_headers(make_zip({"liar.bin": real}), file_size=1000)
    [member] = iter_zip(data, "liar.zip")
    assert member.size == 1000  # the header passes every check...
    with pytest.raises(ArchiveError, match=r"liar\.zip!liar\.bin"):
        member.read()  # ...but reading stops at the declared size and the damage is reported


def test_reading_enforces_the_ratio_and_the_member_limit_itself():
    from backstride.importers.archive import _bounded_read

    data = make_zip({"z.bin": bytes(3 * 1024**2)})
    archive = zipfile.ZipFile(io.BytesIO(data))
    [info] = archive.infolist()
    # header checks are bypassed here: the read itself must stop
    with pytest.raises(ArchiveError, match="ratio above 50:1"):
        _bounded_read(archive, info, "z.zip!z.bin", ArchiveLimits(max_ratio=50))
    with pytest.raises(ArchiveError, match="more than the size limit"):
        _bounded_read(archive, info, "z.zip!z.bin", ArchiveLimits(max_member_bytes=100_000, max_ratio=1e9))


def nest(levels: int) -> bytes:
    """A zip with `levels` zips nested inside it, the innermost holding run.fit."""
    data = make_zip({"run.fit": b"FIT"})
    for level in range(levels):
        data = make_zip({f"level{levels - level}.zip": data})
    return data


def test_nested_zips_are_expanded_with_outer_inner_paths():
    inner = make_zip({"x.fit": b"fit-1", "y.fit": b"fit-2"})
    data = make_zip(
        {"DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": inner, "a.json": b"[]"}
    )
    members = list(iter_zip(data, "export.zip"))
    assert [(m.path, m.name, m.depth) for m in members] == [
        ("export.zip!DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip!x.fit", "x.fit", 1),
        ("export.zip!DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip!y.fit", "y.fit", 1),
        ("export.zip!a.json", "a.json", 0),
    ]
    assert members[1].read() == b"fit-2"


def test_nesting_up_to_the_limit_is_read_and_deeper_is_refused():
    [member] = iter_zip(nest(2), "outer.zip")
    assert member.path == "outer.zip!level1.zip!level2.zip!run.fit"
    assert member.read() == b"FIT"
    with pytest.raises(ArchiveError, match="nested more than 2 deep"):
        list(iter_zip(nest(3), "outer.zip"))
    with pytest.raises(ArchiveError, match="nested more than 1 deep"):
        list(iter_zip(nest(2), "outer.zip", ArchiveLimits(max_nesting=1)))


def test_limits_are_shared_with_nested_zips():
    inner = make_zip({f"{i}.fit": b"x" for i in range(6)})
    data = make_zip({"part.zip": inner, "a.txt": b"a", "b.txt": b"b"})
    with pytest.raises(ArchiveError, match="more than 8 members"):
        list(iter_zip(data, "outer.zip", ArchiveLimits(max_members=8)))


def test_a_broken_nested_zip_is_skipped_with_a_warning():
    data = make_zip({"part.zip": b"not a zip at all", "ok.fit": b"fit"})
    warnings: list[str] = []
    assert [m.name for m in iter_zip(data, "outer.zip", warnings=warnings)] == ["ok.fit"]
    assert len(warnings) == 1 and warnings[0].startswith("outer.zip!part.zip: skipped")


def test_folder_members_expand_zips_and_do_not_follow_symlinks(tmp_path: Path):
    root = tmp_path / "export"
    (root / "activities").mkdir(parents=True)
    (root / "activities.csv").write_text("x")
    (root / "activities" / "1.gpx").write_text("<gpx/>")
    (root / "uploads.zip").write_bytes(make_zip({"a.fit": b"fit"}))
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (root / "activities" / "link.gpx").symlink_to(outside)
    warnings: list[str] = []
    members = list(iter_folder(root, "export", warnings=warnings))
    assert [(m.path, m.name) for m in members] == [
        ("export/activities.csv", "activities.csv"),
        ("export/activities/1.gpx", "activities/1.gpx"),
        ("export/uploads.zip!a.fit", "a.fit"),
    ]
    assert members[1].read() == b"<gpx/>"
    assert warnings == ["export/activities/link.gpx: skipped, symbolic links are not followed"]
    assert isinstance(members[0], Member)

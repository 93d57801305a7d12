"""Your data in and out (issue 14): `backstride export FILE.zip`, `restore FILE.zip`, `delete-all --yes`
and `backup`. Thin: the services do the work (export, restore, erase, backup)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from backstride.cli.common import FORMAT, SafePath, acting_user, emit_json, printable
from backstride.core.text import counted

ZIP_PATH = SafePath(dir_okay=False, path_type=Path)


def _kind_words(counts: dict[str, int]) -> str:
    # "kind count": no plural to get wrong ("checks 1, activities 12").
    shown = [f"{kind.replace('_', ' ')} {count}" for kind, count in counts.items() if count]
    return ", ".join(shown) or "nothing"


@click.command("export")
@click.argument("zip_file", metavar="FILE.zip", type=ZIP_PATH)
@FORMAT
def export_command(zip_file: Path, fmt: str) -> None:
    """Write all your records to one zip (JSON and CSV per kind, schema.json, pictures)."""
    from backstride.services.export import write_export

    where = printable(str(zip_file), 120)
    if not zip_file.name or (zip_file.exists() and not zip_file.is_file()):  # a folder, /dev/zero ...
        raise click.ClickException(
            f"cannot write the export to {where}: it is not a file; give a path such as data.zip"
        )
    user = acting_user()
    partial = zip_file.with_name(f".{zip_file.name}.partial")
    try:
        with partial.open("wb") as out:
            summary = write_export(user, out)
        partial.replace(zip_file)  # a failed export never leaves a half zip under the name asked for
    except (OSError, ValueError) as error:
        _discard(partial)
        reason = getattr(error, "strerror", None) or str(error)
        raise click.ClickException(
            f"cannot write the export {where}: {reason}; choose another path"
        ) from None
    if fmt == "json":
        emit_json(
            {"file": str(zip_file), "counts": summary.counts, "files": summary.files, "bytes": summary.bytes}
        )
        return
    click.echo(f"Exported {_kind_words(summary.counts)} to {where}.")


def _discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


@click.command("restore")
@click.argument("zip_file", metavar="FILE.zip", type=ZIP_PATH)
@FORMAT
def restore_command(zip_file: Path, fmt: str) -> None:
    """Put an export back (records already here are not added twice); a damaged zip changes nothing."""
    from backstride.services.export_reader import RestoreRefused
    from backstride.services.restore import restore

    user = acting_user()
    where = printable(str(zip_file), 120)
    if not zip_file.is_file():
        raise click.ClickException(f"{where} is not a file: give the path of an export zip")
    try:
        summary = restore(user, zip_file, zip_file.name)
    except RestoreRefused as error:
        if fmt == "json":
            emit_json({"error": str(error), "problems": error.problems})
        for problem in error.problems:
            click.echo(f"  {printable(problem)}", err=True)
        raise click.ClickException(str(error)) from None
    if fmt == "json":
        emit_json(summary.as_json())
        return
    click.echo(f"Restored from {where}.")
    click.echo(f"Added: {_kind_words(summary.added)}.")
    click.echo(f"Already here (not added again): {_kind_words(summary.already_present)}.")


@click.command("delete-all")
@click.option("--yes", is_flag=True, help="Really delete: without it nothing is deleted.")
@FORMAT
def delete_all(yes: bool, fmt: str) -> None:
    """Delete every record and stored file of yours (clips, uploads, backups). Cannot be undone."""
    if not yes:
        raise click.UsageError(
            "this deletes all your records and files for good; nothing was deleted. Export first "
            "(`backstride export FILE.zip`), then add --yes: `backstride delete-all --yes`"
        )
    from backstride.services.erase import erase_all

    erased = erase_all(acting_user())
    if fmt == "json":
        emit_json(erased.as_json())
        return
    total = sum(erased.records.values())
    click.echo(f"Deleted {counted(total, 'record')} ({_kind_words(erased.records)}).")
    click.echo(f"Deleted {counted(erased.files, 'stored file')} ({erased.file_bytes / 1e6:.1f} MB).")


@click.command("backup")
@FORMAT
def backup_command(fmt: str) -> None:
    """Copy the SQLite database to the data folder's backups/ now (the last 7 are kept)."""
    from backstride.services.backup import BackupUnavailable, back_up

    acting_user()  # the database set up and reachable
    try:
        made = back_up()
    except BackupUnavailable as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"cannot write the backup: {error.strerror or error}") from None
    if fmt == "json":
        emit_json({"path": str(made.path), "day": made.day.isoformat(), "bytes": made.size})
        return
    click.echo(str(made.path))

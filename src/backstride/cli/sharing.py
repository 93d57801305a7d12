"""`backstride sharing ...`: consent-based sharing in clinic mode from the command line, acting as a
named account (--as). The same service as the Sharing page: invite links both ways, accepting one,
who sees whose records, ending a sharing, and a runner's log of every look."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

import click

from backstride.cli.accounts import AS_ACCOUNT, BASE_URL, Refused, clinic_account, default_base_url
from backstride.cli.common import FORMAT, emit_json

if TYPE_CHECKING:
    from backstride.services.sharing import Sharing

BOTH = ("runner", "clinician")


@click.group()
def sharing() -> None:
    """Who sees a runner's records in a clinic (clinic mode)."""


@sharing.command("invite")
@AS_ACCOUNT
@BASE_URL
@FORMAT
def invite(as_username: str, base_url: str | None, fmt: str) -> None:
    """Print a one-time invite link (a runner's for a clinician, or a clinician's for a runner)."""
    user = clinic_account("sharing invite", as_username, BOTH)
    from backstride.services import sharing as service

    made = service.make_invite(user, base_url or default_base_url())
    if fmt == "json":
        emit_json({"url": made.url, "expires_at": made.expires_at.isoformat()})
        return
    click.echo(
        f"An invite link from {user.username} (works once, until {made.expires_at:%Y-%m-%d %H:%M} UTC):"
    )
    click.echo(made.url)


@sharing.command("accept")
@click.argument("link")
@AS_ACCOUNT
@FORMAT
def accept(link: str, as_username: str, fmt: str) -> None:
    """Accept an invite LINK (the whole URL, or the part after /invite/)."""
    user = clinic_account("sharing accept", as_username, BOTH)
    from backstride.services import sharing as service

    token = link.rstrip("/").rsplit("/invite/", 1)[-1].rstrip("/")
    try:
        made = service.accept(user, token)
    except service.InviteRefused as refused:
        raise Refused(str(refused)) from None
    if fmt == "json":
        emit_json(_as_json(made))
        return
    click.echo(f"{made.runner_name} now shares their records with {made.clinician_name}.")


@sharing.command("list")
@AS_ACCOUNT
@click.option("--all", "include_ended", is_flag=True, help="Also the sharings that ended.")
@FORMAT
def list_command(as_username: str, include_ended: bool, fmt: str) -> None:
    """A runner's clinicians, or a clinician's runners."""
    user = clinic_account("sharing list", as_username, BOTH)
    from backstride.services import sharing as service
    from backstride.services.accounts import is_runner

    if is_runner(user):
        items = service.clinicians_of(user, include_ended=include_ended)
    else:
        items = service.caseload_links(user, include_ended=include_ended)
    if fmt == "json":
        emit_json({"sharings": [_as_json(item) for item in items]})
        return
    if not items:
        click.echo("No sharing.")
    for item in items:
        other = item.clinician_name if is_runner(user) else item.runner_name
        state = f"ended {item.ended_at:%Y-%m-%d}" if item.ended_at else "open"
        click.echo(f"#{item.link_id}  {other}  since {item.started_at:%Y-%m-%d}  {state}")


@sharing.command("end")
@click.argument("link_id", type=int)
@AS_ACCOUNT
@FORMAT
def end(link_id: int, as_username: str, fmt: str) -> None:
    """End sharing LINK_ID (from `sharing list`) at once; the runner or the clinician may."""
    user = clinic_account("sharing end", as_username, BOTH)
    from backstride.services import sharing as service

    try:
        ended = service.end(user, link_id)
    except service.NotShared as missing:
        raise Refused(str(missing)) from None
    if fmt == "json":
        emit_json(_as_json(ended))
        return
    click.echo(f"{ended.clinician_name} no longer sees the records of {ended.runner_name}.")


@sharing.command("log")
@AS_ACCOUNT
@click.option(
    "--limit", type=click.IntRange(1, 10_000), default=100, show_default=True, help="The newest N entries."
)
@FORMAT
def log(as_username: str, limit: int, fmt: str) -> None:
    """A runner's log of every look at, or change to, their records by a clinician."""
    user = clinic_account("sharing log", as_username, ("runner",))
    from backstride.services import access_log

    lines = access_log.entries_for(user, limit=limit)
    if fmt == "json":
        emit_json(
            {
                "entries": [
                    {
                        "at": line.at.isoformat(),
                        "by": line.actor_name,
                        "action": line.action,
                        "detail": line.detail,
                    }
                    for line in lines
                ]
            }
        )
        return
    if not lines:
        click.echo("Nobody has looked at these records.")
    for line in lines:
        detail = f" ({line.detail})" if line.detail else ""
        click.echo(f"{line.at:%Y-%m-%d %H:%M}  {line.words}{detail}")


def _as_json(item: Sharing) -> dict[str, object]:
    data = asdict(item)
    return {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in data.items()}

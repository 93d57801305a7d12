"""Consent-based sharing in clinic mode (issue 15): a runner's records are seen by the clinicians the
runner shares them with, and by nobody else.

- A clinician invites a runner, or a runner invites a clinician, with a one-time link
  (INVITE_DAYS to use it; only a hash of its secret is stored).
- The runner sees every clinician who can see their records and ends any of them at once: every
  clinician page asks ``shared_runner`` on each request, so the next request after revoking is a 404.
- A runner may share with several clinicians.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from backstride.services import access_log
from backstride.services.accounts import role_of
from backstride.services.errors import BackstrideError, NotFound
from backstride.storage.models import CareInvite, CareLink, Role

INVITE_DAYS = 7


class NotShared(NotFound):
    """A runner who does not share their records with this clinician (the web answers 404: the
    clinician cannot tell an unshared runner from one who does not exist)."""


class InviteRefused(BackstrideError):
    """An invite link that cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Invite:
    url: str
    expires_at: datetime


@dataclass(frozen=True)
class InvitePreview:
    """What the invite page shows before the person accepts."""

    made_by_name: str
    made_by_role: str  # "clinician" or "runner"
    expires_at: datetime
    usable: bool
    problem: str  # why it cannot be used, in words ("" when usable)


@dataclass(frozen=True)
class Sharing:
    link_id: int
    runner_id: int
    runner_name: str
    clinician_id: int
    clinician_name: str
    started_at: datetime
    ended_at: datetime | None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def make_invite(user: User, base_url: str) -> Invite:
    """A one-time link for ``user`` (a runner or a clinician) to hand to the other side."""
    role = role_of(user)
    if role not in (Role.RUNNER, Role.CLINICIAN):
        raise InviteRefused("only runners and clinicians share records: sign in as one to make an invite")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    expires = now + timedelta(days=INVITE_DAYS)
    CareInvite.objects.create(
        made_by=user, made_by_role=role, token_sha256=_hash(token), created_at=now, expires_at=expires
    )
    path = reverse("invite", kwargs={"token": token})
    return Invite(url=base_url.rstrip("/") + path, expires_at=expires)


def _problem(invite: CareInvite | None, user: User | None) -> str:
    if invite is None:
        return "This invite link is not known: check it was copied whole, or ask for a new one."
    if invite.used_at is not None:
        return "This invite link has been used already: ask for a new one."
    if invite.expires_at <= timezone.now():
        return f"This invite link ran out after {INVITE_DAYS} days: ask for a new one."
    if user is not None:
        wanted = Role.RUNNER if invite.made_by_role == Role.CLINICIAN else Role.CLINICIAN
        if invite.made_by_id == user.pk:
            return "This is your own invite: hand it to the other person to open."
        if role_of(user) != wanted:
            who = "a runner" if wanted == Role.RUNNER else "a clinician"
            return f"This invite is for {who}: sign in with that account to accept it."
    return ""


def preview(token: str, user: User | None = None) -> InvitePreview:
    invite = CareInvite.objects.select_related("made_by").filter(token_sha256=_hash(token)).first()
    problem = _problem(invite, user)
    if invite is None:
        return InvitePreview("", "", timezone.now(), False, problem)
    return InvitePreview(
        invite.made_by.get_username(), invite.made_by_role, invite.expires_at, not problem, problem
    )


def accept(user: User, token: str) -> Sharing:
    """Use an invite: the runner's records become visible to the clinician. One transaction: the
    invite is locked, so two clicks on the same link make one link, and the second is refused."""
    with transaction.atomic():
        invite = (
            CareInvite.objects.select_for_update()
            .select_related("made_by")
            .filter(token_sha256=_hash(token))
            .first()
        )
        problem = _problem(invite, user)
        if problem or invite is None:
            raise InviteRefused(problem)
        runner, clinician = (
            (user, invite.made_by) if invite.made_by_role == Role.CLINICIAN else (invite.made_by, user)
        )
        invite.used_at = timezone.now()
        invite.used_by = user
        invite.save(update_fields=["used_at", "used_by"])
        link = CareLink.objects.filter(runner=runner, clinician=clinician, ended_at__isnull=True).first()
        if link is None:
            try:
                with transaction.atomic():
                    link = CareLink.objects.create(runner=runner, clinician=clinician)
            except IntegrityError:  # accepted through another invite at the same moment
                link = CareLink.objects.get(runner=runner, clinician=clinician, ended_at__isnull=True)
            access_log.record(clinician, runner, "sharing_started")
    return _sharing(link)


def _sharing(link: CareLink) -> Sharing:
    return Sharing(
        link_id=link.pk,
        runner_id=link.runner_id,
        runner_name=link.runner.get_username(),
        clinician_id=link.clinician_id,
        clinician_name=link.clinician.get_username(),
        started_at=link.started_at,
        ended_at=link.ended_at,
    )


def clinicians_of(runner: User, include_ended: bool = False) -> list[Sharing]:
    """Who sees (or saw) the runner's records, newest first."""
    return _sharings(include_ended, runner=runner)


def caseload_links(clinician: User, include_ended: bool = False) -> list[Sharing]:
    """The clinician's sharings, newest first."""
    return _sharings(include_ended, clinician=clinician)


def _sharings(include_ended: bool, **side: User) -> list[Sharing]:
    links = CareLink.objects.filter(**side).select_related("runner", "clinician")
    if not include_ended:
        links = links.filter(ended_at__isnull=True)
    return [_sharing(link) for link in links]


def runners_of(clinician: User) -> list[User]:
    """The runners who share their records with ``clinician`` now."""
    ids = CareLink.objects.filter(clinician=clinician, ended_at__isnull=True).values_list(
        "runner_id", flat=True
    )
    return list(User.objects.filter(pk__in=list(ids)).order_by("username"))


def shared_runner(clinician: User, runner_id: int) -> User:
    """The runner ``runner_id`` when they share with ``clinician`` now; NotShared otherwise (also for
    an id that is not a runner or does not exist). Asked on every clinician request."""
    link = (
        CareLink.objects.select_related("runner")
        .filter(clinician=clinician, runner_id=runner_id, ended_at__isnull=True)
        .first()
    )
    if link is None:
        raise NotShared("no runner with this number shares their records with you")
    return link.runner


def end(actor: User, link_id: int) -> Sharing:
    """End a sharing at once. The runner may end any of theirs, a clinician only their own;
    anything else is NotShared."""
    with transaction.atomic():
        link = (
            CareLink.objects.select_for_update()
            .select_related("runner", "clinician")
            .filter(pk=link_id, ended_at__isnull=True)
            .first()
        )
        if link is None or actor.pk not in (link.runner_id, link.clinician_id):
            raise NotShared("there is no open sharing with this number in your account")
        link.ended_at = timezone.now()
        link.ended_by = actor
        link.save(update_fields=["ended_at", "ended_by"])
        access_log.record(
            link.clinician, link.runner, "sharing_ended", "you ended it" if actor == link.runner else ""
        )
    return _sharing(link)

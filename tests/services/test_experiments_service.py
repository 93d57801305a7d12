"""services.experiments: one open experiment at a time, status while it runs, an early stop that
keeps what was measured, finished ones with verdicts, and nothing of another runner's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from tests.experiment_data import fill_days, fill_experiment

from backstride.config import local_today
from backstride.core import experiments as core
from backstride.services import experiments as service
from backstride.services.errors import NotFound
from backstride.services.users import local_user
from backstride.storage.models import Experiment

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]


def test_start_then_a_second_is_refused_with_the_reason():
    user, today = local_user(), local_today()
    made = service.start_experiment(user, "no_hills", None, None, today)
    assert (made.kind, made.param, made.start) == ("no_hills", "15", today)
    with pytest.raises(service.BadExperiment) as refused:
        service.start_experiment(user, "switch_shoes", "Pegasus", None, today)
    field, message = refused.value.problems[0]
    assert field == "kind" and "Two weeks without hills" in message and "stop it first" in message
    assert Experiment.objects.count() == 1


def test_status_counts_finished_days_and_adherence_so_far():
    user, today = local_user(), local_today()
    start = today - timedelta(days=5)
    fill_days(user, start, 5, 3.0, climb_per_km=20)  # runs on days 0, 2 and 4: all too hilly
    service.start_experiment(user, "no_hills", "15", start.isoformat(), today)
    item = service.status(user, today)
    assert item is not None and item.is_open
    assert (item.days_done, item.days_left) == (5, 9)
    assert (item.adherence.kept, item.adherence.counted) == (0, 3)
    assert item.verdict is None


def test_an_early_stop_keeps_what_was_measured_and_says_not_enough_data():
    user, today = local_user(), local_today()
    start = today - timedelta(days=6)
    fill_experiment(user, start, today, before=5, during=2)
    service.start_experiment(user, "no_hills", None, start.isoformat(), today)
    stopped = service.stop_experiment(user, today)
    assert stopped.stopped_early and not stopped.is_open and stopped.end == today
    assert stopped.verdict is not None and stopped.verdict.verdict == core.NOT_ENOUGH
    assert stopped.verdict.during_days == 6 and stopped.verdict.before_days == 14
    assert service.status(user, today) is None
    assert [item.id for item in service.finished(user, today)] == [stopped.id]
    with pytest.raises(NotFound):
        service.stop_experiment(user, today)
    service.start_experiment(user, "break_up_sitting", None, None, today)  # a new one may start now


def test_a_finished_experiment_gets_a_verdict():
    user, today = local_user(), local_today()
    start = today - timedelta(days=20)
    fill_experiment(user, start, today, before=6, during=2)
    service.start_experiment(user, "no_hills", None, start.isoformat(), today)
    (item,) = service.finished(user, today)
    assert item.verdict is not None and item.verdict.verdict == core.CLEAR
    assert item.verdict.difference is not None and item.verdict.difference < -3
    assert service.experiment_row(item)["verdict"]["verdict"] == "clear difference"  # type: ignore[index]


def test_another_runners_experiment_is_never_seen_or_stopped():
    other = User.objects.create(username="other")
    today = local_today()
    theirs = service.start_experiment(other, "no_hills", None, None, today)
    old = Experiment.objects.create(
        owner=other, kind="no_hills", param="15", start=today - timedelta(days=40)
    )
    me = local_user()
    assert service.status(me, today) is None and service.finished(me, today) == []
    with pytest.raises(NotFound):
        service.stop_experiment(me, today)
    with pytest.raises(NotFound):
        service.experiment_by_id(me, old.id, today)
    mine = service.start_experiment(me, "no_hills", None, None, today)  # theirs does not block mine
    theirs.refresh_from_db()
    assert theirs.stopped_on is None and mine.owner == me

"""One page: today's colour and why; pain against weekly load with spikes and red-flag days marked;
shoes and their km; this week against the last four. A fixed number of queries whatever the history."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TypedDict

import altair as alt
from django.contrib.auth.models import User

from backstride.core import load as core_load
from backstride.core.load import Session, Spike
from backstride.storage.models import Activity, DiaryEntry, Shoe

from .charts import Rows, render_named
from .data_version import Version, data_version, remembered
from .load import HISTORY_DAYS, load_report, sessions
from .load_json import AcwrJson, ProgressionJson, SpikeJson, WeekJson
from .outcomes import RatingDue
from .outcomes import due as outcomes_due
from .plan import TodayPlan, plan_inputs, today_and_adherence
from .shoes import ShoeRow, list_shoes, shoe_row
from .today import RunTodayResult, run_today_from
from .trigger_line import TriggerLine, trigger_line
from .triggers import READS

CHART_WEEKS = 12


class RecentDay(TypedDict):
    day: date
    pain: int


class Dashboard(TypedDict):
    """What web/dashboard.html reads."""

    today: RunTodayResult
    weeks: list[WeekJson]  # the last five weeks, oldest first
    this_week: WeekJson | None
    last_four: list[WeekJson]
    spike: SpikeJson | None
    progression: ProgressionJson
    acwr: AcwrJson
    shoes: list[ShoeRow]
    recent_days: list[RecentDay]  # newest first
    chart_svg: str | None
    chart_text: str
    plan: TodayPlan
    outcomes_due: RatingDue
    trigger: TriggerLine | None  # the top finding in short words; None when not ready or none found


def dashboard(user: User, today: date) -> Dashboard:
    # The latest check, the alert and the diary the plan needs, read afresh on every visit: the
    # run-today answer and a red flag are never taken from a cache.
    inputs = plan_inputs(user, today)
    # The figures of years of runs and days are remembered until the data they read change (one
    # query tells); copies, so nothing that changes the page's dict changes the remembered ones.
    versions = data_version(user, *READS)  # the trigger report's tables: runs, diary and shoes
    runs, days, shoes = (versions[READS.index(model)] for model in (Activity, DiaryEntry, Shoe))
    load = copy.deepcopy(_load_part(user, today, runs)[0])
    chart = copy.deepcopy(_chart_part(user, today, (runs, days)))
    return {
        "today": run_today_from(
            today, inputs.urgency, inputs.alert, inputs.latest, inputs.check_ins, inputs.standing
        ),
        "weeks": load["weeks"],
        "this_week": load["weeks"][-1] if load["weeks"] else None,
        "last_four": load["weeks"][:-1],
        "spike": load["spike"],
        "progression": load["progression"],
        "acwr": load["acwr"],
        "shoes": copy.deepcopy(list(_shoe_rows(user, today, (runs, shoes)))),
        "recent_days": chart["recent_days"],
        "chart_svg": chart["chart_svg"],
        "chart_text": chart["chart_text"],
        "plan": today_and_adherence(user, today, inputs),
        "outcomes_due": outcomes_due(user, today),  # My activities: re-rated every 2 weeks (K.8)
        "trigger": trigger_line(user, today, versions),  # below the red flag and the run-today answer
    }


class LoadPart(TypedDict):
    weeks: list[WeekJson]  # the last five weeks, oldest first
    weekly: list[WeekJson]  # the chart's weeks
    spike: SpikeJson | None  # None before any run with a distance
    progression: ProgressionJson
    acwr: AcwrJson


class ChartPart(TypedDict):
    recent_days: list[RecentDay]
    chart_svg: str | None
    chart_text: str


@remembered()
def _load_part(user: User, today: date, version: Version) -> tuple[LoadPart, tuple[Spike, ...]]:
    """The load figures: years of runs read and summed again only when the runs change."""
    start = _chart_start(today)
    history = sessions(user, since=today - timedelta(days=HISTORY_DAYS))
    report = load_report(history, start, today, today)
    part: LoadPart = {
        "weeks": report["weekly"][-5:],
        "weekly": report["weekly"],
        "spike": report["spike"],
        "progression": report["progression"],
        "acwr": report["acwr"],
    }
    return part, tuple(_spikes(history, start))


@remembered()
def _shoe_rows(user: User, today: date, version: tuple[Version, ...]) -> tuple[ShoeRow, ...]:
    """The shoes in use with their km: read again when the runs or the shoes change."""
    return tuple(shoe_row(shoe) for shoe in list_shoes(user, today) if shoe.retired is None)


@remembered()
def _chart_part(user: User, today: date, versions: tuple[Version, Version]) -> ChartPart:
    """Pain against weekly load: drawn again when the runs or the diary change."""
    load, spikes = _load_part(user, today, versions[0])
    diary = list(
        DiaryEntry.objects.filter(owner=user, day__gte=_chart_start(today), day__lte=today)
        .order_by("day")
        .values_list("day", "pain_now", "escalation")
    )
    return {
        "recent_days": [{"day": day, "pain": pain} for day, pain, _ in reversed(diary[-7:])],
        "chart_svg": pain_and_load_svg(diary, load["weekly"], spikes),
        "chart_text": _chart_text(diary, load["weekly"], spikes),
    }


def _chart_start(today: date) -> date:
    return today - timedelta(weeks=CHART_WEEKS) + timedelta(days=1)


def _spikes(history: Sequence[Session], start: date) -> list[Spike]:
    """The spikes of the chart window's runs. A run's spike looks back 30 days: only the runs from
    31 days before the window can matter."""
    lookback = [s for s in history if s.day >= start - timedelta(days=31)]
    runs = [s for s in lookback if s.day >= start and s.sport == "running" and s.distance_m]
    return [
        spike
        for spike in (core_load.run_spike(lookback, run) for run in runs)
        if spike.band not in ("none", "no_history")
    ]


def pain_and_load_svg(
    diary: list[tuple[date, int, str]], weekly: Sequence[WeekJson], spikes: Sequence[Spike]
) -> str | None:
    """Weekly km as bars, daily pain as a line (own axis), spikes and red-flag days marked."""
    if not diary and not any(week.get("distance_m") for week in weekly):
        return None
    datasets: dict[str, Rows] = {
        "bars": [
            {"week": w["week_start"], "km": round((w.get("distance_m") or 0) / 1000, 1)} for w in weekly
        ],
        "pain": [{"day": day.isoformat(), "pain": value} for day, value, _ in diary],
        "flags": [{"day": day.isoformat()} for day, _, escalation in diary if escalation],
        "spikes": [{"day": s.run_day.isoformat(), "label": f"spike {s.ratio:.2f}"} for s in spikes],
    }
    layers = tuple(name for name, rows in datasets.items() if rows or name == "bars")
    return render_named(("pain_and_load", layers), lambda: _pain_and_load_chart(layers), datasets)


def _pain_and_load_chart(layers: tuple[str, ...]) -> alt.TopLevelMixin:
    """The chart with the named datasets in ``layers`` (the weekly bars always)."""
    x = alt.X("day:T", title=None, axis=alt.Axis(format="%d %b", labelAngle=0))
    charts = [
        alt.Chart(alt.Data(name="bars"))
        .mark_bar(opacity=0.35, color="#1f5fbf")
        .encode(x=alt.X("week:T", title=None), y=alt.Y("km:Q", title="km per week")),
    ]
    if "pain" in layers:
        charts.append(
            alt.Chart(alt.Data(name="pain"))
            .mark_line(point=True, color="#b3261e")
            .encode(x=x, y=alt.Y("pain:Q", title="pain (0-10)", scale=alt.Scale(domain=[0, 10])))
        )
    if "flags" in layers:
        charts.append(
            alt.Chart(alt.Data(name="flags")).mark_rule(color="#b3261e", strokeDash=[4, 3]).encode(x=x)
        )
    if "spikes" in layers:
        charts.append(
            alt.Chart(alt.Data(name="spikes"))
            .mark_point(shape="triangle-up", size=90, color="#8a5a00", filled=True)
            .encode(x=x, y=alt.value(8))
        )
    return (
        alt.layer(*charts)
        .resolve_scale(y="independent")
        .properties(width=420, height=220, title="Pain and weekly running distance")
        .configure_axis(labelFontSize=13, titleFontSize=13)
        .configure_title(fontSize=15)
    )


def _km(metres: float | None) -> float:
    return round((metres or 0) / 1000, 1)


def _chart_text(
    diary: list[tuple[date, int, str]], weekly: Sequence[WeekJson], spikes: Sequence[Spike]
) -> str:
    km = [_km(w.get("distance_m")) for w in weekly]
    pains = [value for _, value, _ in diary]
    parts = [f"Weekly km over {len(km)} weeks: {', '.join(f'{value:g}' for value in km)}."]
    if pains:
        parts.append(
            f"Pain logged on {len(pains)} day{'s' if len(pains) != 1 else ''}, from {min(pains)} to"
            f" {max(pains)}, latest {pains[-1]}."
        )
    flagged = [day.isoformat() for day, _, escalation in diary if escalation]
    if flagged:
        parts.append(f"Red-flag answers on {', '.join(flagged)}.")
    if spikes:
        parts.append(f"Spikes (runs over 110% of the longest in the previous 30 days): {len(spikes)}.")
    return " ".join(parts)

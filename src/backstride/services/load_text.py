"""The load figures in words: why a figure is missing, what a comparison means, and the studies behind
them. The core (core.load) says which case a figure is and carries its numbers; this words them."""

from __future__ import annotations

from typing import TypedDict

from backstride.core.load import (
    CHRONIC_DAYS,
    SOURCE_IDS,
    Acwr,
    AcwrGap,
    DayLoad,
    MonotonyGap,
    Progression,
    ProgressionCase,
    Spike,
    SpikeCase,
    WeekLoad,
)

ACWR_NOTE = (
    "A descriptive 'how unusual is this week for you' number, not an injury-risk score: ACWR is a "
    "rescaling of the last week's load (Impellizzeri et al. 2021), and in 5,205 runners a higher ACWR "
    "was not linked to more injuries (Frandsen et al. 2025)."
)
NO_SPIKE = "no run with a distance on or before today"
EVERY_SPORT = "every sport counted"
NO_WEEK_ELEVATION = "no session this week reports elevation gain"
NO_ELEVATION_DISTANCE = "no distance from sessions that report elevation gain"
NO_UPHILL_SHARE = "no session this week reports an uphill share with a moving time"


class SourceJson(TypedDict):
    id: str
    citation: str
    used_for: str


_SOURCES: dict[str, tuple[str, str]] = {  # id: (citation, what it is used for)
    "foster2001": (
        "Foster C, et al. A new approach to monitoring exercise training. "
        "J Strength Cond Res 2001;15(1):109-115.",
        "session RPE (RPE x minutes), monotony and strain (Foster 1998)",
    ),
    "nielsen2014": (
        "Nielsen RO, et al. Excessive progression in weekly running distance and risk of "
        "running-related injuries. J Orthop Sports Phys Ther 2014;44(10):739-747.",
        "2-week progression, soft flag above 30 % (HR 1.59, 95 % CI 0.96-2.66, p = .07)",
    ),
    "frandsen2025": (
        "Frandsen et al. How much running is too much? Identifying high-risk running "
        "sessions in a 5200-person cohort study. Br J Sports Med 2025;59(17):1203-. "
        "doi:10.1136/bjsports-2024-109380",
        "single-run spike vs the longest run of the previous 30 days; ACWR not associated",
    ),
    "gabbett2016": (
        "Gabbett TJ. The training-injury prevention paradox. Br J Sports Med 2016;50:273-280. "
        "doi:10.1136/bjsports-2015-095788",
        "rolling coupled ACWR",
    ),
    "windt2019": (
        "Windt J, Gabbett TJ. Br J Sports Med 2019 (online 2018), reply to the coupling "
        "critique of Lolli et al. doi:10.1136/bjsports-2017-098925",
        "rolling uncoupled ACWR",
    ),
    "williams2017": (
        "Williams S, West S, Cross MJ, Stokes KA. Better way to determine the acute:chronic "
        "workload ratio? Br J Sports Med 2017;51:209-210. doi:10.1136/bjsports-2016-096589",
        "EWMA ACWR (lambda = 2/(N+1), N = 7 and 28)",
    ),
    "impellizzeri2021": (
        "Impellizzeri FM, et al. What role do chronic workloads play in the acute to chronic "
        "workload ratio? Time to dismiss ACWR and its underlying theory. Sports Med 2021;51:581-592. "
        "doi:10.1007/s40279-020-01378-6",
        "why ACWR is shown as a descriptive number only",
    ),
}

_BAND_TEXT = {
    "none": "within 110 % of your longest recent run",
    "small": "a small spike (110-130 %)",
    "moderate": "a moderate spike (130-200 %)",
    "large": "a large spike (over 200 %)",
}


def load_sources() -> list[SourceJson]:
    """The studies behind the load figures, in the core's order (a fresh list each call)."""
    return [
        SourceJson(id=source, citation=_SOURCES[source][0], used_for=_SOURCES[source][1])
        for source in SOURCE_IDS
    ]


def km(metres: float) -> str:
    return f"{metres / 1000:.1f} km"


def day_elevation_reason(day: DayLoad) -> str:
    """Why a day has no elevation gain."""
    return "rest day" if day.sessions == 0 else "no session this day reports elevation gain"


def monotony_reason(week: WeekLoad) -> str | None:
    """Why the week has no monotony (nor strain); None when it has one."""
    gap = week.monotony_gap
    if gap is None:
        return None
    if gap is MonotonyGap.PARTIAL_WEEK:
        return f"the week is only partly inside the range ({week.days_in_range} of 7 days)"
    if gap is MonotonyGap.NO_SESSIONS:
        return "no sessions this week"
    if gap is MonotonyGap.NO_RPE:
        return "no session this week has an RPE"
    if gap is MonotonyGap.SOME_UNRATED:
        return (
            f"{week.unrated_sessions} of {week.sessions} sessions this week have no RPE (or no duration); "
            "monotony needs every session's load"
        )
    return "every day had the same load (SD = 0), so monotony is undefined"


def progression_reason(progression: Progression) -> str:
    """The 2-week comparison in a sentence (Nielsen 2014), or why there is none."""
    recent, previous = progression.recent_m, progression.previous_m
    span = f"{km(recent)} in the last 7 days vs {km(previous)} in the 7 days before"
    case = progression.case
    if case is ProgressionCase.NO_RUNNING:
        return "no running recorded in the last 14 days"
    if case is ProgressionCase.NO_EARLIER_WEEK:
        return (
            f"no running recorded in {progression.previous_first}..{progression.previous_last}, "
            f"so there is no earlier week to compare {km(recent)} with"
        )
    if case is ProgressionCase.EARLIER_TOO_SMALL or progression.percent is None:
        return f"{span}: the earlier week is too small to compare with"
    if progression.flagged:
        return (
            f"{span}: {progression.percent:+.1f} %, more than 30 % up. Novice runners progressing > 30 % "
            "over 2 weeks had more distance-related injuries (Nielsen 2014; borderline, HR 1.59, "
            "95 % CI 0.96-2.66): consider a smaller step."
        )
    return f"{span}: {progression.percent:+.1f} % (Nielsen 2014 flags rises above 30 % over 2 weeks)"


def spike_reason(spike: Spike) -> str:
    """The run against the longest of the previous 30 days in a sentence (Frandsen 2025)."""
    if spike.case is SpikeCase.NO_DISTANCE:
        return "this activity has no distance (under 1 m), so no spike ratio"
    if spike.case is SpikeCase.NO_HISTORY or spike.ratio is None or spike.longest_previous_m is None:
        return (
            f"no run with a distance recorded in {spike.window_first}..{spike.window_last}, "
            "so there is no longest recent run to compare with"
        )
    reason = (
        f"{km(spike.distance_m)} is {spike.ratio * 100:.1f} % of your longest run in the previous 30 days "
        f"({km(spike.longest_previous_m)} on {spike.longest_previous_day}): {_BAND_TEXT[spike.band]}"
    )
    if spike.band != "none":
        reason += (
            " (Frandsen 2025: runs over 110 % of the longest recent run came with more overuse injuries)"
        )
    return reason


def _acwr_gap_text(acwr: Acwr, gap: AcwrGap) -> str:
    what = "session with an RPE" if acwr.metric == "srpe_au" else "session"
    if gap is AcwrGap.NO_HISTORY:
        return f"not enough data: no {what} recorded"
    if gap is AcwrGap.SHORT_HISTORY:
        return (
            f"not enough data: {acwr.coverage_days} of {CHRONIC_DAYS} days recorded "
            f"(first {what} on {acwr.first_day})"
        )
    if gap is AcwrGap.NO_CHRONIC_LOAD:
        return f"no load in the last {CHRONIC_DAYS} days, so there is nothing to compare with"
    if gap is AcwrGap.UNCOUPLED_NO_OLDER_LOAD:
        return "uncoupled: no load in days 8-28 before today"
    if gap is AcwrGap.UNCOUPLED_OLDER_TOO_SMALL:
        return "uncoupled: the load of days 8-28 before today is too small to compare with"
    return "EWMA: the chronic average is zero"


def acwr_reason(acwr: Acwr) -> str | None:
    """Why a ratio is None, each gap in turn; None when every ratio has a value."""
    return "; ".join(_acwr_gap_text(acwr, gap) for gap in acwr.gaps) or None

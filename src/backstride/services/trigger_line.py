"""The dashboard's one line about the runner's triggers (issue 16 item 5): the top finding of the
trigger report in short plain words ("Your pain has tended to be higher the morning after hilly
runs"), or nothing when the report is not ready or found nothing. The full sentence, with its
interval and day count, is on the Triggers page and in the clinician report.

The report is remembered per data version of the runner's activities, diary and shoes
(services.triggers, services.data_version): a visit with nothing new costs one query and no analysis;
after a change the days are read again (four queries), and analysed again only if their records
changed."""

from __future__ import annotations

from datetime import date
from typing import TypedDict

from django.contrib.auth.models import User

from backstride.core.triggers import Finding
from backstride.core.triggers.words import factor_name

from .data_version import Version
from .triggers import factor_of, report

# What each factor is, as the words after "the morning after ..." (a factor's step, said plainly).
FACTOR_WORDS = {
    "run_km": "longer runs",
    "run_min": "runs that took longer",
    "km_7d": "weeks with more km",
    "min_7d": "weeks with more time running",
    "km_change_pct": "a quicker rise in weekly km",
    "spike": "a run longer than any lately",
    "long_run_share_pct": "weeks when the long run was a bigger share",
    "climb_per_km": "runs with more climb",
    "hilly_run": "hilly runs",
    "descent_per_km": "runs with more downhill",
    "srpe": "runs that felt harder",
    "heart_rate": "runs at a higher heart rate",
    "shoe_km": "runs in shoes with more km on them",
    "cadence": "runs at a higher step rate",
    "sitting_hours": "days with more sitting",
    "sleep_hours": "days with more sleep",
    "stiffness": "stiffer days",
    "days_since_rest": "longer stretches without a rest day",
    "plan_adherence": "days you did more of your exercises",
    "speed_kmh": "faster runs",
}
AFTER = ("the morning after", "two mornings after", "three mornings after")  # by lag in days
RUN_AFTER = ("on", "the day after", "two days after")


def _same_day(what: str) -> str:
    """The word before a factor on the run's own day: "in weeks ...", "after a quicker rise ...",
    else "on runs ..." / "on days ..."."""
    if what.startswith("weeks"):
        return "in"
    if what.startswith(("a quicker", "longer stretches")):
        return "after"
    return RUN_AFTER[0]


class TriggerLine(TypedDict):
    text: str  # one sentence, no interval: the page it links to has the numbers
    factor: str  # the factor's key, for a test or a link to its chart


def factor_words(key: str) -> str:
    """A factor as plain words: the table above; a yes/no factor per surface, terrain or shoe as the
    core names it ("runs on trail", "runs in Pegasus 40")."""
    if key in FACTOR_WORDS:
        return FACTOR_WORDS[key]
    factor = factor_of(key)
    if factor.binary and factor.per.startswith("a run "):
        return factor_name(factor)
    return f"days with more {factor.title.lower()}"


def finding_words(finding: Finding) -> str:
    """The finding in one short sentence, with its direction and its lag, without the numbers."""
    what = factor_words(finding.factor)
    lag = min(max(finding.lag, 0), 2)
    if finding.outcome == "flare":
        more = "more" if finding.effect >= 0 else "less"
        return f"Flare-ups have tended to come {more} often {AFTER[lag]} {what}"
    higher = "higher" if finding.effect >= 0 else "lower"
    if finding.outcome == "run_pain":
        when = RUN_AFTER[lag] if lag else _same_day(what)
        return f"Your pain on runs has tended to be {higher} {when} {what}"
    return f"Your pain has tended to be {higher} {AFTER[lag]} {what}"


def trigger_line(user: User, today: date, version: Version | None = None) -> TriggerLine | None:
    """The top finding as the dashboard's line; None when not ready or when nothing stands out.
    ``version``: the data version of ``triggers.READS``, when the caller just read it."""
    result = report(user, today, version)
    if not result.ready or not result.findings:
        return None
    top = result.findings[0]
    return {
        "text": finding_words(top),
        "factor": top.factor,
    }

"""The clinician report's content as data (issue 14 item 1): what `backstride report --format json`
prints, and what the report page and the PDF read. The keys are a public contract from their first
release (tests/services/test_report_contract.py pins them): add, never rename or remove.

A section the runner left out is absent from the data (its key is missing); a chosen section with
nothing recorded for it is present and says what is missing in ``missing``."""

from __future__ import annotations

from typing import NotRequired, TypedDict

from .check_report import ReportReason
from .load_json import WeekJson
from .outcome_types import ActivitySeries, GlobalChangeAnswer, RmdqThreshold, Thresholds
from .plan_json import AdherenceRow, StageDecisionRow
from .rmdq import RmdqRow
from .shoes import ShoeRow

DISCLAIMER = "Information from backstride, not a diagnosis"
NAME_NOT_GIVEN = "not given"


class RunnerRow(TypedDict):
    name: str  # "not given" until the app stores a name


class PeriodRow(TypedDict):
    start: str  # ISO dates, both included
    end: str
    days: int


class AnswerRow(TypedDict):
    item: str  # the questionnaire item id
    question: str
    answer: str  # as the runner chose it, in words


class ReasonRow(ReportReason):
    """A rule that fired, with the answers behind it in words."""

    answers_in_words: list[AnswerRow]


class UrgencyNow(TypedDict):
    urgency: str  # an Urgency code
    urgency_when: str | None
    headline: str
    action: str
    source: str | None  # "check" or "check_in"; None without any check
    day: str | None  # ISO date of the result it comes from
    rules: list[str]
    why: list[str]  # each rule in words


class PatternRow(TypedDict):
    code: str
    name: str
    summary: str | None
    disclaimer: str


class StartBackNow(TypedDict):
    risk: str  # low | medium | high | not_asked
    total: int | None
    psychosocial: int | None
    day: str  # ISO date of the check that asked it


class RedFlagRow(TypedDict):
    day: str  # ISO date
    source: str  # "check" or "check_in"
    rules: list[str]
    what: list[str]  # each rule in words
    urgency: str


class DoingNow(TypedDict):
    stage: int | None  # the return-to-run stage this week, None outside the stages
    stage_reason: str | None
    plan_blocked: str | None
    this_week_done: int | None
    this_week_planned: int | None
    km_last_7_days: float
    km_last_28_days: float
    runs_last_28_days: int
    pain_last_7_days: list[int]  # the diary's pain, oldest first


class RmdqSummary(TypedDict):
    scores: list[RmdqRow]  # every score, oldest first; the first is the baseline
    threshold: RmdqThreshold


class ActivitiesSummary(TypedDict):
    activities: list[ActivitySeries]
    mean_first: float | None
    mean_latest: float | None
    mean_change: float | None
    thresholds: Thresholds
    global_change: GlobalChangeAnswer | None  # the latest answer


class SummarySection(TypedDict):
    as_of: str  # ISO date: the summary is the runner's state on this day
    urgency: UrgencyNow
    pattern: PatternRow | None  # None before the first full check
    run_today: str | None  # green | amber | red; None until today's pain is logged
    run_today_why: list[str]
    startback: StartBackNow | None
    rmdq: RmdqSummary
    my_activities: ActivitiesSummary
    red_flags_ever: list[RedFlagRow]  # newest first
    doing_now: DoingNow
    missing: list[str]


class CheckSection(TypedDict):
    check_id: int | None
    day: str | None  # ISO date
    urgency_headline: str | None
    likely_pattern_name: str | None
    run_today: str | None
    answers: list[AnswerRow]
    reasons: list[ReasonRow]
    missing: list[str]


class FlareRow(TypedDict):
    start: str  # ISO dates
    end: str
    days: int
    worst: int


class SpikeRow(TypedDict):
    day: str  # ISO date
    distance_m: float
    ratio: float | None
    band: str
    reason: str


class ProgressionRow(TypedDict):
    week_start: str  # ISO date
    distance_m: float
    previous_2_weeks_m: float
    last_2_weeks_m: float
    percent: float | None  # None without a previous fortnight
    flagged: bool  # over 30% (Nielsen 2014)


class WeekDistance(TypedDict):
    week_start: str  # ISO date (a Monday)
    distance_m: float


class PainDay(TypedDict):
    day: str
    pain: int
    escalation: str  # "" or the urgency code a safety answer raised


class PainSection(TypedDict):
    days: list[PainDay]
    days_logged: int
    mean_pain: float | None
    worst_pain: int | None
    flare_threshold: int
    flares: list[FlareRow]
    red_flag_days: list[str]
    spikes: list[SpikeRow]
    progression: list[ProgressionRow]
    weekly_distance: list[WeekDistance]
    missing: list[str]


class LongRunRow(TypedDict):
    day: str
    name: str
    distance_m: float
    duration_s: float | None
    elevation_gain_m: float | None


class CountRow(TypedDict):
    name: str
    runs: int
    distance_m: float


class TrainingSection(TypedDict):
    weeks: list[WeekJson]
    total_distance_m: float
    total_duration_s: float
    runs: int
    long_runs: list[LongRunRow]
    long_run_rule: str
    surfaces: list[CountRow]
    terrain: list[CountRow]
    elevation_gain_m: float | None
    shoes: list[ShoeRow]
    missing: list[str]


class DoseRow(TypedDict):
    title: str
    dose: str
    step: int
    stepped_back: bool


class PlanWeekRow(TypedDict):
    week_start: str
    blocked: str | None
    stage: int | None
    stage_decision: StageDecisionRow | None
    adherence: AdherenceRow | None
    doses: list[DoseRow]


class PlanSection(TypedDict):
    weeks: list[PlanWeekRow]  # oldest first, at most the last PLAN_WEEKS of the period
    weeks_shown_from: str | None
    done_total: int
    planned_total: int
    missing: list[str]


class FormMetricRow(TypedDict):
    name: str
    label: str
    unit: str
    median: float | None
    previous: float | None  # the same measure on the check before (same view)
    change: float | None


class KeyFrame(TypedDict):
    image_id: int  # the picture is /form/<check id>/image/<image_id>.png, on the page and in the PDF
    caption: str


class FormCheckRow(TypedDict):
    id: int
    day: str
    view: str
    filename: str
    steps: int | None
    metrics: list[FormMetricRow]
    findings: list[str]
    key_frames: list[KeyFrame]


class FormSection(TypedDict):
    checks: list[FormCheckRow]  # newest first
    missing: list[str]


class NoteRow(TypedDict):
    day: str
    pain: int
    note: str


class NotesSection(TypedDict):
    notes: list[NoteRow]
    missing: list[str]


class LeftOutRow(TypedDict):
    factor: str  # the factor's key
    factor_title: str
    reason: str  # in words: too few days, or too little variation


class TriggersSection(TypedDict):
    """What went with the pain (issue 16): the runner's trigger report as of ``as_of``, the same as
    `backstride triggers --format json` (services.triggers.report_json) plus the window and the
    method in one line. ``missing`` says what is still needed before (or beside) the analysis."""

    as_of: str  # ISO date: the last day analysed (the period's end, or today)
    window_days: int  # the days before it that are analysed
    ready: bool
    missing: list[str]
    checkin_days: int
    rated_runs: int
    flares: int
    findings: list[dict[str, object]]  # each as services.triggers.finding_row
    tests: int  # the comparisons made (the correction is for their number)
    left_out: list[LeftOutRow]
    joint: dict[str, object]  # the findings in one model (services.triggers.report_json)
    association_not_cause: bool
    method: str


class ReportData(TypedDict):
    """The whole report; each chosen section under its own key, the others absent."""

    title: str
    runner: RunnerRow
    period: PeriodRow
    generated_at: str  # ISO date and time, local
    app_version: str
    sections: list[str]  # the chosen ones, in SECTIONS order
    section_titles: dict[str, str]
    disclaimer: str
    summary: NotRequired[SummarySection]
    check: NotRequired[CheckSection]
    pain: NotRequired[PainSection]
    training: NotRequired[TrainingSection]
    triggers: NotRequired[TriggersSection]
    plan: NotRequired[PlanSection]
    form: NotRequired[FormSection]
    notes: NotRequired[NotesSection]

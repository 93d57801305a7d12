"""The clinician report's content for a user, a period and the chosen sections (issue 14 item 1), as
data (report_types.ReportData). Every figure comes from what the app already computes: the stored
check reports, run-today, outcomes and Roland-Morris, the load report and the core's load figures,
the plan's weekly view, the form checks' stored results. Nothing here is worded for a page beyond
the reasons those services already give; the template and the PDF lay it out.

The summary, the latest check and the plan are as of ``today`` (the runner's state now); pain,
training, form checks and notes cover the period."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.contrib.auth.models import User

from backstride import __version__
from backstride.config import local_day, local_time
from backstride.core.inputs import EARLIEST_DAY, InvalidValue, check_span
from backstride.core.load import Session
from backstride.core.triage.model import Answer
from backstride.knowledge import catalog
from backstride.knowledge.questionnaire import questionnaire_items
from backstride.storage.models import DiaryEntry, SymptomCheck

from .errors import BadOptions
from .load import sessions
from .outcomes import RMDQ_THRESHOLD
from .outcomes import history as outcome_history
from .plan import monday_of, plan_view
from .questions import answer_words, question_text
from .report_load import pain_section, training_section
from .report_parts import form_section, notes_section, plan_section, triggers_section
from .report_sections import DEFAULT_SECTIONS, SECTION_TITLES, SECTIONS
from .report_types import (
    DISCLAIMER,
    NAME_NOT_GIVEN,
    ActivitiesSummary,
    AnswerRow,
    CheckSection,
    DoingNow,
    PatternRow,
    ReasonRow,
    RedFlagRow,
    ReportData,
    StartBackNow,
    SummarySection,
    UrgencyNow,
)
from .rmdq import rmdq_history
from .today import current_alert, run_today

DEFAULT_WEEKS = 12  # the period when none is given: the last 12 weeks, as `backstride load`


def parse_sections(text: str | None) -> tuple[str, ...]:
    """``summary,check,...`` (any order, spaces allowed) as the chosen sections in report order;
    the default (every section but the private notes) when empty; BadOptions naming the unknown."""
    if text is None or not text.strip():
        return DEFAULT_SECTIONS
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [name for name in names if name not in SECTIONS]
    if unknown:
        raise BadOptions(
            [
                ("--sections", f"unknown section {name!r}: choose from {', '.join(SECTIONS)}")
                for name in unknown
            ]
        )
    return tuple(name for name in SECTIONS if name in names)


def report_period(
    start: date | None, end: date | None, today: date, fields: tuple[str, str] = ("--from", "--to")
) -> tuple[date, date]:
    """The period asked for: by default the last 12 weeks up to today; BadOptions naming ``fields``
    (as the runner saw them) when the ends are the wrong way round or more than 20 years apart."""
    end = end or today
    start = start or max(end - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1), EARLIEST_DAY)
    try:
        check_span(start, end, *fields)
    except InvalidValue as error:
        raise BadOptions(error.problems, error.message) from error
    return start, end


def build_report(
    user: User,
    start: date | None,
    end: date | None,
    sections: Sequence[str],
    today: date,
) -> ReportData:
    """The report's content: the header, then each chosen section under its own key."""
    first, last = report_period(start, end, today)
    chosen = [name for name in SECTIONS if name in sections]
    data: ReportData = {
        "title": "Report for your clinician",
        "runner": {"name": NAME_NOT_GIVEN},  # the app stores no name (yet)
        "period": {"start": first.isoformat(), "end": last.isoformat(), "days": (last - first).days + 1},
        "generated_at": local_time_now(),
        "app_version": __version__,
        "sections": chosen,
        "section_titles": {name: SECTION_TITLES[name] for name in chosen},
        "disclaimer": DISCLAIMER,
    }
    history = sessions(user, since=min(first, today) - timedelta(days=45))  # spikes look back 30 days
    if "summary" in chosen:
        data["summary"] = summary_section(user, today, history)
    if "check" in chosen:
        data["check"] = check_section(user)
    if "pain" in chosen:
        data["pain"] = pain_section(user, first, last, history)
    if "training" in chosen:
        data["training"] = training_section(user, first, last, today, history)
    if "triggers" in chosen:
        data["triggers"] = triggers_section(user, last, today)
    if "plan" in chosen:
        data["plan"] = plan_section(user, first, last, today)
    if "form" in chosen:
        data["form"] = form_section(user, first, last)
    if "notes" in chosen:
        data["notes"] = notes_section(user, first, last)
    return data


def local_time_now() -> str:
    from django.utils import timezone

    return local_time(timezone.now()).isoformat(timespec="minutes")


# --- answers in words ---------------------------------------------------------------------------


def answer_rows(answers: Iterable[tuple[str, Answer]]) -> list[AnswerRow]:
    items = questionnaire_items()
    rows: list[AnswerRow] = []
    for item_id, value in answers:
        item = items.get(item_id)
        question = question_text(item) if item else item_id.replace("_", " ").capitalize()
        rows.append({"item": item_id, "question": question, "answer": answer_words(item_id, value)})
    return rows


def in_words(rules: Iterable[str]) -> list[str]:
    """Each rule's reason in words (an id the knowledge no longer has stays as it is)."""
    known = catalog.rules()
    return [known[rule].title if rule in known else rule for rule in rules]


# --- summary ------------------------------------------------------------------------------------


def summary_section(user: User, today: date, history: Sequence[Session]) -> SummarySection:
    urgency, alert, latest = current_alert(user)
    missing: list[str] = []
    report = latest.report if latest is not None else None
    if alert is not None:
        now: UrgencyNow = {
            "urgency": alert["urgency"],
            "urgency_when": alert["urgency_when"],
            "headline": alert["headline"],
            "action": alert["action"],
            "source": alert["source"],
            "day": alert["day"],
            "rules": alert["rules"],
            "why": in_words(alert["rules"]),
        }
    elif report is not None and latest is not None:
        rules = list(report.get("urgency_rules", []))
        now = {
            "urgency": report["urgency"],
            "urgency_when": report.get("urgency_when"),
            "headline": report["urgency_headline"],
            "action": report["urgency_action"],
            "source": "check",
            "day": local_day(latest.created_at).isoformat(),
            "rules": rules,
            "why": in_words(rules),
        }
    else:
        missing.append("No full symptom check yet: urgency, pattern and STarT Back come from one.")
        now = {
            "urgency": urgency.code,
            "urgency_when": None,
            "headline": "No symptom check done yet",
            "action": "",
            "source": None,
            "day": None,
            "rules": [],
            "why": [],
        }
    pattern: PatternRow | None = None
    startback: StartBackNow | None = None
    if report is not None and latest is not None:
        pattern = {
            "code": report["likely_pattern"],
            "name": report["likely_pattern_name"],
            "summary": report.get("pattern_summary"),
            "disclaimer": report["pattern_disclaimer"],
        }
        sb = report["startback"]
        startback = {
            "risk": sb["risk"],
            "total": sb["total"],
            "psychosocial": sb["psychosocial"],
            "day": local_day(latest.created_at).isoformat(),
        }
    colour = run_today(user, today)
    if colour["run_today"] is None:
        missing.append(colour["message"] or "Today's pain is not logged yet.")
    scores = rmdq_history(user)
    if not scores:
        missing.append("No Roland-Morris score yet.")
    activities = my_activities(user)
    if not activities["activities"]:
        missing.append("No activities named and rated yet (My activities).")
    return {
        "as_of": today.isoformat(),
        "urgency": now,
        "pattern": pattern,
        "run_today": colour["run_today"],
        "run_today_why": [reason["text"] for reason in colour["reasons"]],
        "startback": startback,
        "rmdq": {"scores": scores, "threshold": RMDQ_THRESHOLD},
        "my_activities": activities,
        "red_flags_ever": red_flags_ever(user),
        "doing_now": doing_now(user, today, history),
        "missing": missing,
    }


def my_activities(user: User) -> ActivitiesSummary:
    outcomes = outcome_history(user)
    ratings = outcomes["ratings"]
    first = ratings[0]["mean"] if ratings else None
    latest = ratings[-1]["mean"] if ratings else None
    return {
        "activities": [activity for activity in outcomes["activities"] if activity["current"]],
        "mean_first": first,
        "mean_latest": latest,
        "mean_change": None if first is None or latest is None else round(latest - first, 1),
        "thresholds": outcomes["thresholds"],
        "global_change": outcomes["global_change"][-1] if outcomes["global_change"] else None,
    }


def red_flags_ever(user: User) -> list[RedFlagRow]:
    """Every full check with a serious-pathology flag, and every check-in whose safety answers raised
    the urgency, whenever they were: newest first."""
    rows: list[RedFlagRow] = []
    for created, report, urgency in SymptomCheck.objects.filter(owner=user).values_list(
        "created_at", "report", "urgency"
    ):
        flags = list(report.get("red_flags") or [])
        if flags:
            checked = local_day(created).isoformat()
            what = in_words(flags)
            rows.append({"day": checked, "source": "check", "rules": flags, "what": what, "urgency": urgency})
    escalated = DiaryEntry.objects.filter(owner=user).exclude(escalation="")
    for day, rules, urgency in escalated.values_list("day", "escalation_rules", "escalation"):
        rules = list(rules or [])
        rows.append(
            {
                "day": day.isoformat(),
                "source": "check_in",
                "rules": rules,
                "what": in_words(rules),
                "urgency": urgency,
            }
        )
    return sorted(rows, key=lambda row: row["day"], reverse=True)


def doing_now(user: User, today: date, history: Sequence[Session]) -> DoingNow:
    plan = plan_view(user, monday_of(today), today)
    adherence = plan["adherence"]
    decision = plan["stage_decision"]
    runs = [s for s in history if s.sport == "running"]

    def km_since(days: int) -> float:
        since = today - timedelta(days=days - 1)
        total = sum(s.distance_m or 0 for s in runs if since <= s.day <= today)
        return round(total / 1000, 1)

    month = today - timedelta(days=27)
    pains = list(
        DiaryEntry.objects.filter(owner=user, day__gte=today - timedelta(days=6), day__lte=today)
        .order_by("day")
        .values_list("pain_now", flat=True)
    )
    return {
        "stage": plan["stage"],
        "stage_reason": decision["reason"] if decision else None,
        "plan_blocked": plan["blocked"],
        "this_week_done": adherence["done"] if adherence else None,
        "this_week_planned": adherence["planned"] if adherence else None,
        "km_last_7_days": km_since(7),
        "km_last_28_days": km_since(28),
        "runs_last_28_days": sum(1 for s in runs if month <= s.day <= today),
        "pain_last_7_days": pains,
    }


# --- the latest full check ----------------------------------------------------------------------


def check_section(user: User) -> CheckSection:
    latest = SymptomCheck.objects.filter(owner=user, completed=True).order_by("-created_at").first()
    if latest is None:
        return {
            "check_id": None,
            "day": None,
            "urgency_headline": None,
            "likely_pattern_name": None,
            "run_today": None,
            "answers": [],
            "reasons": [],
            "missing": ["No full symptom check yet: the answers and the rules that fired come from one."],
        }
    report = latest.report
    reasons: list[ReasonRow] = [
        {
            "rule": reason["rule"],
            "kind": reason["kind"],
            "outcome": reason["outcome"],
            "text": reason["text"],
            "app_policy": reason.get("app_policy"),
            "answers": reason["answers"],
            "answers_in_words": answer_rows(reason["answers"].items()),
        }
        for reason in report["reasons"]
    ]
    return {
        "check_id": latest.id,
        "day": local_day(latest.created_at).isoformat(),
        "urgency_headline": report["urgency_headline"],
        "likely_pattern_name": report["likely_pattern_name"],
        "run_today": report["run_today"],
        "answers": answer_rows(latest.answers.items()),
        "reasons": reasons,
        "missing": [],
    }

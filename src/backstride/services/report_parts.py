"""The report's triggers, plan, form-check and notes sections, from the trigger report
(services.triggers), the plan's weekly view (services.plan), the form checks' stored results and the
diary's notes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

from django.contrib.auth.models import User

from backstride.config import local_day
from backstride.core.triggers.analysis import FAMILY_ALPHA, LAGS
from backstride.core.triggers.outcomes import BASELINE_WINDOW_DAYS, FLARE_RISE
from backstride.core.triggers.regression import LEVEL
from backstride.storage.models import DiaryEntry, FormCheck, FormCheckImage

from .plan import monday_of, plan_view
from .report_types import (
    DoseRow,
    FormCheckRow,
    FormMetricRow,
    FormSection,
    KeyFrame,
    NoteRow,
    NotesSection,
    PlanSection,
    PlanWeekRow,
    TriggersSection,
)
from .triggers import WINDOW_DAYS, report_json
from .triggers import report as trigger_report

PLAN_WEEKS = 8  # the plan's last weeks of the period: what was done lately, not a year of weeks
FORM_CHECKS = 4  # the newest form checks of the period
KEY_FRAMES = 2  # foot strikes drawn with the skeleton, of the newest check only

# The form check's measures a clinician reads, in this order, as the form-check page names them.
FORM_METRICS = (
    ("cadence_spm", "Step rate", "steps/min"),
    ("overstride_pct_leg", "Heel ahead of pelvis at strike", "% of leg length"),
    ("shank_angle_deg", "Shin angle at strike", "degrees"),
    ("knee_flexion_ic_deg", "Knee bend at strike", "degrees"),
    ("trunk_lean_deg", "Trunk lean forward", "degrees"),
    ("neck_flexion_deg", "Neck bent forward (against the trunk)", "degrees"),
    ("head_pitch_deg", "Head tilt (chin down)", "degrees"),
    ("vertical_oscillation_pct_leg", "Bounce", "% of leg length"),
    ("pelvic_drop_deg", "Pelvic drop (low confidence)", "degrees"),
)


def trigger_method(tests: int) -> str:
    """How the findings were made, in one line for a clinician."""
    lags = f"{min(LAGS)}-{max(LAGS)}"
    count = f"all {tests}" if tests else "all the"  # before the analysis: none made yet
    return (
        f"One regression per factor, outcome (next-morning pain, pain on runs, flares) and lag of {lags} "
        f"days over the last {WINDOW_DAYS} days, allowing for the runner's trend and for day-to-day "
        f"correlation (AR(1) errors); {LEVEL:.0%} intervals; Holm's correction across {count} "
        f"comparisons (family-wise error {FAMILY_ALPHA:.0%}). A flare: a morning at least "
        f"{FLARE_RISE:g} points above the runner's median of the {BASELINE_WINDOW_DAYS} days before."
    )


def triggers_section(user: User, last: date, today: date) -> TriggersSection:
    """The runner's trigger report up to the period's end (today at the latest): the same service
    and the same words as the Triggers page and `backstride triggers` (the analysis is remembered,
    so the dashboard and a report of the same days share it)."""
    as_of = min(last, today)
    body = report_json(trigger_report(user, as_of))
    tests = body["tests"]
    return cast(
        TriggersSection,
        {
            "as_of": as_of.isoformat(),
            "window_days": WINDOW_DAYS,
            **body,
            "method": trigger_method(tests if isinstance(tests, int) else 0),
        },
    )


def plan_section(user: User, first: date, last: date, today: date) -> PlanSection:
    """Each of the period's last PLAN_WEEKS weeks (up to this week): its return-to-run stage and the
    decision behind it, what was done against what was planned, and the dose steps reached."""
    newest = monday_of(min(last, today))
    oldest = max(monday_of(first), newest - timedelta(weeks=PLAN_WEEKS - 1))
    weeks: list[PlanWeekRow] = []
    monday = oldest
    while monday <= newest and monday >= monday_of(first):
        # The week as it stood at its end (or today): its stage decision then, not today's.
        view = plan_view(user, monday, min(monday + timedelta(days=6), today))
        doses: dict[str, DoseRow] = {}
        for day in view["days"]:
            for item in day["items"]:
                stepped_back = "DOSE-DOWN" in item["rule_ids"]
                if item["step_key"] and (item["step"] or stepped_back):
                    doses[item["step_key"]] = {
                        "title": item["title"],
                        "dose": item["dose"],
                        "step": item["step"],
                        "stepped_back": stepped_back,
                    }
        weeks.append(
            {
                "week_start": view["week_start"],
                "blocked": view["blocked"],
                "stage": view["stage"],
                "stage_decision": view["stage_decision"],
                "adherence": view["adherence"],
                "doses": list(doses.values()),
            }
        )
        monday += timedelta(days=7)
    done = sum(week["adherence"]["done"] for week in weeks if week["adherence"])
    planned = sum(week["adherence"]["planned"] for week in weeks if week["adherence"])
    missing = [] if planned else ["Nothing planned was ticked off in these weeks, or no plan was made."]
    return {
        "weeks": weeks,
        "weeks_shown_from": weeks[0]["week_start"] if weeks else None,
        "done_total": done,
        "planned_total": planned,
        "missing": missing if weeks else ["The period ends before any plan week."],
    }


def form_section(user: User, first: date, last: date) -> FormSection:
    """The period's newest finished form checks with their medians, each against the check before it
    from the same side, their findings, and the newest one's key frames."""
    done = list(
        FormCheck.objects.filter(owner=user, status="done")
        .order_by("created_at", "id")
        .defer("result", "roi")
    )
    previous: dict[int, FormCheck | None] = {}
    last_of_view: dict[str, FormCheck] = {}
    for check in done:
        previous[check.id] = last_of_view.get(check.view)
        last_of_view[check.view] = check
    chosen = [check for check in done if first <= local_day(check.created_at) <= last][-FORM_CHECKS:][::-1]
    results = dict(FormCheck.objects.filter(id__in=[c.id for c in chosen]).values_list("id", "result"))
    rows: list[FormCheckRow] = []
    for number, check in enumerate(chosen):
        result = results.get(check.id) or {}
        before = previous[check.id]
        frames: list[KeyFrame] = []
        if number == 0:
            images = FormCheckImage.objects.filter(form_check=check, kind="contact").order_by("frame")
            frames = [
                {"image_id": i, "caption": c} for i, c in images.values_list("id", "caption")[:KEY_FRAMES]
            ]
        rows.append(
            {
                "id": check.id,
                "day": local_day(check.created_at).isoformat(),
                "view": check.view,
                "filename": check.filename,
                "steps": result.get("steps"),
                "metrics": metric_rows(check.medians, before.medians if before else {}),
                "findings": [finding["title"] for finding in result.get("findings", [])],
                "key_frames": frames,
            }
        )
    missing = [] if rows else ["No finished running-form check in this period."]
    return {"checks": rows, "missing": missing}


def metric_rows(medians: dict[str, float | None], earlier: dict[str, float | None]) -> list[FormMetricRow]:
    rows: list[FormMetricRow] = []
    for name, label, unit in FORM_METRICS:
        value = medians.get(name)
        if value is None:
            continue
        before = earlier.get(name)
        rows.append(
            {
                "name": name,
                "label": label,
                "unit": unit,
                "median": round(value, 1),
                "previous": None if before is None else round(before, 1),
                "change": None if before is None else round(value - before, 1),
            }
        )
    return rows


def notes_section(user: User, first: date, last: date) -> NotesSection:
    entries = (
        DiaryEntry.objects.filter(owner=user, day__gte=first, day__lte=last)
        .exclude(note="")
        .order_by("day")
        .values_list("day", "pain_now", "note")
    )
    notes: list[NoteRow] = [{"day": d.isoformat(), "pain": pain, "note": note} for d, pain, note in entries]
    return {"notes": notes, "missing": [] if notes else ["No diary notes in this period."]}

"""The report of a symptom check as declared types: what `backstride check --format json` prints,
the CLI's text report reads and the check stores. The JSON field names are a public contract
(core/triage/report.py, which builds the report as a plain dict); ``as_check_report`` copies it
into these types key by key, so a key renamed there fails at once instead of going missing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NotRequired, TypedDict

from backstride.core.triage.model import Answer


class StartBackRow(TypedDict):
    total: int | None  # None when not asked (a check stopped early)
    psychosocial: int | None
    risk: str  # "low" | "medium" | "high" | "not_asked"
    asked: bool
    items_answered: int
    complete: bool


class InflammatoryRow(TypedDict):
    entry_met: bool
    onset_age: float | None
    nice_count: int
    asas_count: int
    met: bool
    borderline: bool


class ReportReason(TypedDict):
    rule: str
    kind: str
    outcome: str
    text: str
    app_policy: str | None
    answers: dict[str, Answer]  # the answers (item id -> value) that made the rule fire


class AdviceRow(TypedDict):
    id: str
    title: str
    body: list[str]
    evidence_note: str | None
    sources: list[str]


class ReportSource(TypedDict):
    id: str
    citation: str
    url: str | None
    path: str | None


class ContactRow(TypedDict):
    country: str | None
    emergency: str
    urgent: str | None
    urgent_advice: str


class CheckReport(TypedDict):
    engine_version: str
    urgency: str
    urgency_when: str | None
    urgency_headline: str
    urgency_action: str
    red_flags: list[str]
    urgency_rules: list[str]
    rule_ids: list[str]
    likely_pattern: str
    likely_pattern_name: str
    pattern_rule: str
    pattern_summary: str | None
    pattern_self_care: list[str]
    pattern_disclaimer: str
    run_today: str
    startback: StartBackRow
    inflammatory: InflammatoryRow
    reasons: list[ReportReason]
    advice: list[AdviceRow]
    sources: list[ReportSource]
    emergency_contact: ContactRow
    answers: dict[str, Answer]
    completed: bool
    birth_date: str | None  # ISO date (spec K.6)
    id: NotRequired[int]  # once saved
    created_at: NotRequired[str]  # once saved: ISO date and time, local


def as_check_report(built: Mapping[str, Any], completed: bool, birth_date: str | None) -> CheckReport:
    """core.triage.report.build_report's plain dict (its values are Any to mypy) as a CheckReport,
    with whether the check was completed and the birth date: the same keys in the same order."""
    return {
        "engine_version": built["engine_version"],
        "urgency": built["urgency"],
        "urgency_when": built["urgency_when"],
        "urgency_headline": built["urgency_headline"],
        "urgency_action": built["urgency_action"],
        "red_flags": built["red_flags"],
        "urgency_rules": built["urgency_rules"],
        "rule_ids": built["rule_ids"],
        "likely_pattern": built["likely_pattern"],
        "likely_pattern_name": built["likely_pattern_name"],
        "pattern_rule": built["pattern_rule"],
        "pattern_summary": built["pattern_summary"],
        "pattern_self_care": built["pattern_self_care"],
        "pattern_disclaimer": built["pattern_disclaimer"],
        "run_today": built["run_today"],
        "startback": built["startback"],
        "inflammatory": built["inflammatory"],
        "reasons": built["reasons"],
        "advice": built["advice"],
        "sources": built["sources"],
        "emergency_contact": built["emergency_contact"],
        "answers": built["answers"],
        "completed": completed,
        "birth_date": birth_date,
    }

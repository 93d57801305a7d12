"""The symptom check: red flags and urgency, likely pattern, STarT Back, run-today."""

from .answers import AnswerProblem, InvalidAnswers, find_problems, parse_answers
from .engine import evaluate
from .flow import applicable_items, emergency_found, next_item, progress
from .model import FiredRule, RunToday, StartBackScore, TriageResult, Urgency

__all__ = [
    "AnswerProblem",
    "FiredRule",
    "InvalidAnswers",
    "RunToday",
    "StartBackScore",
    "TriageResult",
    "Urgency",
    "applicable_items",
    "emergency_found",
    "evaluate",
    "find_problems",
    "next_item",
    "parse_answers",
    "progress",
]

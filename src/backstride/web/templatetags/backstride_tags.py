from datetime import date, datetime

from django import template

from backstride.config import local_day
from backstride.services.record_names import day_words

register = template.Library()

LABELS = {
    "emergency": "Emergency",
    "doctor_soon": "See a doctor soon",
    "clinician_if_no_better": "See a clinician soon",
    "self_manage": "Self-manage",
    "bone_or_serious": "possible serious cause",
    "nerve_root": "nerve root",
    "nonspecific": "non-specific",
    "not_from_the_back": "may not be from the back",
    "bone_stress": "possible bone stress injury",
    "pregnancy_related": "pregnancy-related",
    "not_assessed": "not assessed",
    "neck_flexion_deg": "Neck bend (relative to trunk)",
    "head_pitch_deg": "Head tilt (below horizontal)",
    "vertical_oscillation_pct_leg": "Bounce (share of leg length)",
    "vertical_oscillation_cm": "Bounce (cm, estimated)",
    "pelvic_drop_deg": "Pelvic drop",
}


@register.filter
def label(code: str) -> str:
    """A short readable label for a stored code (urgency tier, pattern)."""
    return LABELS.get(code, code.replace("_", " "))


WHEN_LABELS = {
    "now": "now",
    "today": "today",
    "24-48h": "within 24–48 hours",
    "1-2 weeks": "within 1–2 weeks",
}


@register.filter
def when_label(when: str | None) -> str:
    """How soon a result says to act (spec K.1 urgency_when), in words."""
    return WHEN_LABELS.get(when or "", "")


@register.filter
def km(metres: float | None) -> str:
    return "–" if metres is None else f"{metres / 1000:.2f} km"


@register.filter
def duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def percent(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f}%"


@register.filter
def metres(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} m"


@register.filter
def exercise_thumbnail(exercise_id: str | None) -> str:
    """The exercise's start position, small (inline SVG drawn by the project; "" when there is none)."""
    from django.utils.safestring import mark_safe

    from backstride.services.exercises import thumbnail

    return mark_safe(thumbnail(exercise_id)) if exercise_id else ""  # our own SVG: the title is escaped


def _as_day(value: object) -> date | None:
    """A date, a datetime (its local day) or an ISO string ("2026-12-07", "2026-12-07T08:00:00+00:00")."""
    if isinstance(value, datetime):
        return local_day(value)
    if isinstance(value, date):
        return value
    try:
        text = str(value)
        return local_day(datetime.fromisoformat(text)) if "T" in text else date.fromisoformat(text[:10])
    except ValueError:
        return None


@register.filter
def short_day(value: object) -> str:
    """ "7 Dec", or "7 Dec 2025" when not this year: a day as a table shows it."""
    day = _as_day(value)
    return str(value) if day is None else day_words(day, month="%b")


@register.filter
def long_day(value: object) -> str:
    """ "Monday 7 December", with the year when not this year: a day as a heading says it."""
    day = _as_day(value)
    return str(value) if day is None else day_words(day, weekday=True)

from django import template

register = template.Library()

LABELS = {
    "emergency": "Emergency",
    "doctor_soon": "See a doctor within 24-48 h",
    "clinician_if_no_better": "See a clinician soon",
    "self_manage": "Self-manage",
    "bone_or_serious": "possible serious cause",
    "nerve_root": "nerve root",
    "nonspecific": "non-specific",
}


@register.filter
def label(code: str) -> str:
    """A short readable label for a stored code (urgency tier, pattern)."""
    return LABELS.get(code, code.replace("_", " "))

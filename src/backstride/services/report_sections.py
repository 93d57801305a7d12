"""The clinician report's sections, named as `backstride report --sections` takes them: defined once
for the command line, the web form, the JSON and the templates. No Django here: the command's
--help reads it before anything is set up."""

from __future__ import annotations

# In the order the report shows them.
SECTIONS = ("summary", "check", "pain", "training", "triggers", "plan", "form", "notes")
# The diary's free-text notes are private: only in a report when asked for.
DEFAULT_SECTIONS = tuple(name for name in SECTIONS if name != "notes")
SECTION_TITLES = {
    "summary": "Summary",
    "check": "Latest full symptom check",
    "pain": "Pain and weekly distance",
    "training": "Training",
    "triggers": "What went with the pain",
    "plan": "Plan and how much was done",
    "form": "Running-form checks",
    "notes": "Diary notes",
}
PAPERS = ("a4", "letter")

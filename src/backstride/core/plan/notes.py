"""The notes under a week's plan: why it looks the way it does, in plain words, each with its rule
ids (plan_rules.yaml) and so its sources. Pure."""

from __future__ import annotations

from datetime import date

from ..diary import LOG_TODAY_FIRST
from ..triage.model import RunToday, Urgency
from .afterbirth import AfterBirth
from .choice import Limits
from .model import PlanInput, PlanNote, Readiness, note
from .running import Running

PATTERN_NOTES = {
    "muscular": "Muscular pattern: gentle stretches for the lower back and hips each day.",
    "facet": "Facet pattern: bending-forward mobility first; extension work such as the locust pose is "
    "built up gradually.",
    "disc": "Disc pattern: break up long sitting, walk, and bring in loaded bending only gradually.",
    "sacroiliac": "Sacroiliac pattern: glute bridges, side planks and pelvic drops, with single-leg work "
    "kept within the pain rule.",
    "nerve_root": "Nerve root pattern: gentle walking and positions that ease the leg; no loaded bending "
    "or hills until the leg pain centralises.",
    "nonspecific": "Graded activity: build up a little at a time.",
}
BONE_STRESS = (
    "A bone stress injury is possible, so: no running, jumping or hopping, and no exercises that put "
    "your weight through one leg or load your legs standing, until a doctor has checked it and a new "
    "symptom check no longer finds it. Rest from impact is the treatment while it is checked: this is "
    "not pain to run through. Keep fit with cycling or swimming if they are pain-free, and do the "
    "floor exercises."
)
YOUNG = (
    "Under 20 with back pain that is worse bending backwards: no exercises that arch your back (such "
    "as the locust pose or back extensions) until a doctor has checked your back. Run on flat routes "
    "with no hills or speed work, and only if it is pain-free during and after."
)
PREGNANCY = (
    "In pregnancy: the exercises are ones you can do without lying on your back or your front and "
    "without a risk of falling; where one needs lying on your back, a version on all fours, on your "
    "side, standing or seated takes its place. This matters most after about 16 weeks; the app does "
    "not know how far along you are, so it plans the same way all through. If you ran before and it "
    "feels comfortable, keep running within the run-today rule, and tell your midwife about this pain."
)
PELVIC_PHYSIO = (
    "Leaking, heaviness or pain in the pelvic floor since the birth: see a pelvic health "
    "physiotherapist before you run again. Keep up pelvic floor training and walking every day; "
    "running waits until a physiotherapist clears you or a new symptom check no longer finds these."
)


def _start_notes(limits: Limits, running: Running) -> list[PlanNote]:
    notes: list[PlanNote] = []
    if running.decision is not None and running.decision.rule_id == "ADAPT-START":
        notes.append(
            note(
                "Before the first session, check you can: keep pain at 3/10 or less, walk briskly for 30 "
                "minutes without pain rising above 3/10 (settled next morning), put on socks and shoes "
                "without real difficulty, and hop gently 10 times on each leg without any pain (if hopping "
                "hurts, don't run: have it checked, as pain on impact can come from the bone).",
                "D3-ENTRY",
            )
        )
    if running.stage is None and running.has_runs:
        notes.append(
            note(
                "Add running volume gradually: avoid rises of more than 30% over 2 weeks (there is no "
                "evidence that the '10% rule' prevents injury), and keep any single run within about "
                "110% of your longest run of the last 30 days - the load report flags both.",
                "LOAD-2WK-30",
                "LOAD-LONGEST-110",
            )
        )
        if not limits.young_extension:  # K.5: no hills or speed while the young runner's limits hold
            notes.append(note("Bring back hills and speed last, one at a time.", "AFTER-7-HILLS-SPEED"))
    return notes


def _after_birth_notes(after: AfterBirth, running: Running, today: date) -> list[PlanNote]:
    notes: list[PlanNote] = []
    if after.pelvic_floor_not_cleared:
        notes.append(note(PELVIC_PHYSIO, "K6-PELVIC-PHYSIO", "K6-POSTNATAL-NO-RUN", "K6-PELVIC-FLOOR"))
    elif after.early(today):
        start = after.gate_start()
        then = f" From 12 weeks ({start.isoformat()})," if start else " From 12 weeks,"
        notes.append(
            note(
                "Under 12 weeks since the birth: no running yet. Walk every day and do pelvic floor "
                f"training every day.{then} the plan adds the checks to do before your first run.",
                "K6-POSTNATAL-NO-RUN",
                "K6-WALK-DAILY",
                "K6-PELVIC-FLOOR",
            )
        )
    if running.readiness is not None:
        notes.append(_readiness_note(running.readiness))
    return notes


def _readiness_note(state: Readiness) -> PlanNote:
    total = len(state.checks)
    if state.stage_opens is not None:
        return note(
            f"You have done all {total} checks for running after the birth (the last on "
            f"{state.passed_on}): the return to running starts at stage 1 from {state.stage_opens}.",
            "K6-READINESS-PASSED",
        )
    return note(
        f"Before your first run after the birth, check that you can do each of these {total} things "
        "without pain, leaking or heaviness, and tick each one when you can (leave it unticked if not). "
        f"When all are ticked, the return to running starts at stage 1 the next day. Done so far: "
        f"{state.done} of {total}. If pain, leaking or heaviness keep coming back, see a pelvic health "
        "physiotherapist.",
        "K6-READINESS",
    )


def _limit_notes(inp: PlanInput, limits: Limits, running: Running) -> list[PlanNote]:
    notes: list[PlanNote] = []
    if limits.bone_stress:
        notes.append(note(BONE_STRESS, "K4-NO-RUN", "K4-NO-LOAD"))
    if limits.young_extension:
        notes.append(note(YOUNG, "K5-NO-EXTENSION", "K5-FLAT-PAIN-FREE"))
    if limits.pregnant:
        notes.append(note(PREGNANCY, "K6-PREGNANCY", "K6-PREGNANCY-RUN"))
    if running.after is not None:
        notes.extend(_after_birth_notes(running.after, running, inp.today))
    return notes


def _today_note(colour: RunToday | None, today_in_week: bool) -> list[PlanNote]:
    if colour == RunToday.RED:
        return [note("Today is red: no running today. Cross-train or walk if comfortable.", "RUN-TODAY-RED")]
    if colour == RunToday.AMBER:
        return [note("Today is amber: if you run, run easy, flat and shorter.", "RUN-TODAY-AMBER")]
    if today_in_week and colour is None:
        return [note(LOG_TODAY_FIRST, "RUN-TODAY-UNKNOWN")]
    return []


def week_notes(
    inp: PlanInput,
    pattern: str,
    limits: Limits,
    running: Running,
    colour: RunToday | None,
    dose_down: bool,
    today_in_week: bool,
) -> list[PlanNote]:
    """The week's notes, in the order the plan shows them. ``pattern``: the exercise list planned from."""
    notes = _start_notes(limits, running)
    if inp.pattern != "bone_stress":  # its own note (K4) says what its plan is
        text = PATTERN_NOTES[pattern]
        if limits.young_extension and pattern == "facet":  # K5: no extension work to build up
            text = "Facet pattern: bending-forward mobility first."
        notes.append(note(text, f"G-{pattern}"))
    notes.extend(_limit_notes(inp, limits, running))
    if (inp.startback_risk == "high" or pattern == "nonspecific") and not limits.bone_stress:
        notes.append(
            note(
                "Pain does not mean damage. Back pain is common in runners and usually settles; staying "
                "active and building up gradually helps you recover.",
                "REASSURE",
            )
        )
    if inp.urgency == Urgency.CLINICIAN_IF_NO_BETTER or pattern == "nerve_root":
        notes.append(
            note(
                "Book a routine review with a clinician (GP or physiotherapist), especially if you are not "
                "getting better.",
                "CLINICIAN-REVIEW",
            )
        )
    if dose_down:
        notes.append(
            note(
                "Your pain rose in the last week, so the exercises are one step easier and there are two "
                "strength sessions this week.",
                "DOSE-DOWN",
            )
        )
    notes.extend(_today_note(colour, today_in_week))
    notes.append(
        note(
            "Belts or corsets, foot orthotics, rocker-sole shoes, traction, acupuncture and electrotherapy "
            "are not recommended for low back pain (NICE NG59).",
            "G-NOT-OFFERED",
        )
    )
    return notes

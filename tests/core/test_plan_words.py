"""The plan's exact words (issue 12 item 5): each item's "why", the week's notes and the stage decision's
reason, pinned word for word for several runners, so moving the sentences out of the core into the
knowledge layer (plan_rules.yaml texts) cannot change one of them. A changed word fails here; change a
text here only together with plan_rules.yaml, on purpose."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from backstride.core.diary import CheckIn
from backstride.core.plan import PlanInput, StageSession, build_week, decide_stage
from backstride.core.triage.standing import Standing

MONDAY = date(2024, 5, 6)
TUESDAY, THURSDAY = MONDAY + timedelta(days=1), MONDAY + timedelta(days=3)
LAST_RUN = MONDAY - timedelta(days=3)


def good(day: date, stage: int) -> StageSession:
    return StageSession(day, stage, pain_during=2, pain_after=2, pain_next_morning=1, pain_before=2)


def session(stage: int, **ratings: Any) -> StageSession:
    return StageSession(LAST_RUN, stage, **ratings)


RUNNERS: dict[str, dict[str, Any]] = {
    # self-managing, on return-to-run stage 4, dose steps earned, amber today, worse uphill
    "returning": {
        "pattern": "disc",
        "returning": True,
        "today": THURSDAY,
        "stage_sessions": (good(MONDAY - timedelta(days=5), 3), good(MONDAY - timedelta(days=3), 3)),
        "exercise_steps": {"dead-bug": 3, "side-plank-knees": 1, "glute-bridge": 2},
        "check_ins": (CheckIn(THURSDAY, pain_now=4),),
        "worse_uphill": True,
    },
    "pregnant-red": {
        "pattern": "nonspecific",
        "standing": Standing(rules=frozenset({"PG-1"})),
        "today": TUESDAY,
        "check_ins": (CheckIn(TUESDAY, pain_now=7),),
        "worse_downhill": True,
    },
    "young-unknown": {
        "pattern": "nerve_root",
        "standing": Standing(rules=frozenset({"Y-1"})),
        "today": THURSDAY,
    },
    "bone-stress": {"pattern": "sacroiliac", "standing": Standing(rules=frozenset({"BS-2"}))},
    "after-birth": {
        "pattern": "muscular",
        "standing": Standing(birth_day=MONDAY - timedelta(weeks=13)),
        "readiness_ticks": ((MONDAY, "walk-30-min"),),
        "today": TUESDAY,
    },
    "early-after-birth": {
        "pattern": "facet",
        "standing": Standing(rules=frozenset({"PN-1"}), birth_day=MONDAY - timedelta(weeks=6)),
    },
}

DECISIONS: dict[str, tuple[tuple[StageSession, ...], tuple[CheckIn, ...]]] = {
    "start": ((), ()),
    "red-morning": ((session(3, pain_during=2, pain_after=2, pain_next_morning=6),), ()),
    "red-next-day": (
        (session(3, pain_during=2, pain_after=2, pain_next_morning=1),),
        (CheckIn(LAST_RUN + timedelta(days=1), pain_now=6),),
    ),
    "red-not-settled": ((session(3, pain_during=7, pain_after=3, pain_next_morning=4, pain_before=2),), ()),
    "red-at-stage-1": ((session(1, pain_during=2, pain_after=2, pain_next_morning=7),), ()),
    "amber-settled": ((session(3, pain_during=7, pain_after=3, pain_next_morning=2),), ()),
    "amber-unrated": ((session(3, pain_during=7, pain_after=3),), ()),
    "morning": ((session(3, pain_during=2, pain_after=2, pain_next_morning=4),), ()),
    "session-trend": ((session(3, pain_during=2, pain_after=2, pain_next_morning=1, trend_worse=True),), ()),
    "unrated": ((session(3, pain_during=2, pain_after=2),), ()),
    "one-good": ((good(LAST_RUN, 3),), ()),
    "done": ((good(LAST_RUN - timedelta(days=2), 7), good(LAST_RUN, 7)), ()),
    "progress": ((good(LAST_RUN - timedelta(days=2), 3), good(LAST_RUN, 3)), ()),
}

# Each runner's distinct "why" texts in the order the week first shows them, then the week's notes.
WEEKS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "returning": (
        (
            (
                "Core and hip strength 2-3 times a week; this one is core work. You have earned the step "
                "up from dead bug to this harder version. Dose raised by 1 step for the progress you "
                "logged."
            ),
            (
                "Core and hip strength 2-3 times a week; this one is core work. Dose raised by 1 step for"
                " the progress you logged."
            ),
            "Core and hip strength 2-3 times a week; this one is core work.",
            (
                "Core and hip strength 2-3 times a week; this one is hip and glute work. You have earned "
                "the step up from glute bridge (3-second hold) to this harder version."
            ),
            "Core and hip strength 2-3 times a week; this one is hip and glute work.",
            (
                "A short daily mobility routine that suits your pattern of back pain. Caution: Move "
                "slowly in a small range; if rounding the back brings on buttock or leg pain, keep to the"
                " sagging half."
            ),
            "A short daily mobility routine that suits your pattern of back pain.",
            "Walking is usually comfortable and keeps you active; break up long sitting with it.",
            "Wakes up the glutes before you run, so they share the load with your back.",
            (
                "Stage 4 of 7 of the graded return to running: on flat ground, at a pace you can talk at."
                " Pain may reach 5/10 during and after but should settle by the next morning. Avoid long "
                "sitting right before you run. Avoid hills: uphill makes your back worse."
            ),
            (
                "Today is amber: run easy, flat and about half the planned time (or walk-run), keep pain "
                "at 5/10 or below, and check it has settled tomorrow morning. Stage 4 of 7 of the graded "
                "return to running: on flat ground, at a pace you can talk at. Pain may reach 5/10 during"
                " and after but should settle by the next morning. Avoid long sitting right before you "
                "run. Avoid hills: uphill makes your back worse."
            ),
            "A day without strength work or running lets your back and legs recover.",
        ),
        (
            "Disc pattern: break up long sitting, walk, and bring in loaded bending only gradually.",
            "Today is amber: if you run, run easy, flat and shorter.",
            (
                "Belts or corsets, foot orthotics, rocker-sole shoes, traction, acupuncture and "
                "electrotherapy are not recommended for low back pain (NICE NG59)."
            ),
        ),
    ),
    "pregnant-red": (
        (
            "Core and hip strength 2-3 times a week; this one is core work.",
            "Core and hip strength 2-3 times a week; this one is hip and glute work.",
            "A short daily mobility routine that suits your pattern of back pain.",
            "Walking is usually comfortable and keeps you active; break up long sitting with it.",
            ("Today is red: no running. Choose one of these instead if pain allows, and re-check tomorrow."),
            "Wakes up the glutes before you run, so they share the load with your back.",
            (
                "Keep running within the run-today rule: pain up to 5/10 during and after, settled by the"
                " next morning, and not worse week to week. Avoid downhill stretches: they make your back"
                " worse. In pregnancy, keep running if you ran before and it feels comfortable."
            ),
            "A day without strength work or running lets your back and legs recover.",
        ),
        (
            (
                "Add running volume gradually: avoid rises of more than 30% over 2 weeks (there is no "
                "evidence that the '10% rule' prevents injury), and keep any single run within about 110%"
                " of your longest run of the last 30 days - the load report flags both."
            ),
            "Bring back hills and speed last, one at a time.",
            "Graded activity: build up a little at a time.",
            (
                "In pregnancy: the exercises are ones you can do without lying on your back or your front"
                " and without a risk of falling; where one needs lying on your back, a version on all "
                "fours, on your side, standing or seated takes its place. This matters most after about "
                "16 weeks; the app does not know how far along you are, so it plans the same way all "
                "through. If you ran before and it feels comfortable, keep running within the run-today "
                "rule, and tell your midwife about this pain."
            ),
            (
                "Pain does not mean damage. Back pain is common in runners and usually settles; staying "
                "active and building up gradually helps you recover."
            ),
            (
                "Your pain rose in the last week, so the exercises are one step easier and there are two "
                "strength sessions this week."
            ),
            "Today is red: no running today. Cross-train or walk if comfortable.",
            (
                "Belts or corsets, foot orthotics, rocker-sole shoes, traction, acupuncture and "
                "electrotherapy are not recommended for low back pain (NICE NG59)."
            ),
        ),
    ),
    "young-unknown": (
        (
            "Core and hip strength 2-3 times a week; this one is core work.",
            "Core and hip strength 2-3 times a week; this one is hip and glute work.",
            (
                "A short daily mobility routine that suits your pattern of back pain. Caution: Keep the "
                "forward swing small if it brings on pain below the knee."
            ),
            (
                "Walking is usually comfortable and keeps you active; break up long sitting with it. "
                "Caution: Stop and rest if the leg symptoms spread further down the leg or numbness "
                "appears."
            ),
            "Wakes up the glutes before you run, so they share the load with your back.",
            (
                "Keep running within the run-today rule, but only if it is pain-free during and after, "
                "and stop if it hurts. Flat routes only, no uphill; stop if leg symptoms spread or "
                "numbness appears. Flat routes, no hills or speed work."
            ),
            (
                "Log today's pain first: the run-today advice needs today's rating. Keep running within "
                "the run-today rule, but only if it is pain-free during and after, and stop if it hurts. "
                "Flat routes only, no uphill; stop if leg symptoms spread or numbness appears. Flat "
                "routes, no hills or speed work."
            ),
            "A day without strength work or running lets your back and legs recover.",
        ),
        (
            (
                "Add running volume gradually: avoid rises of more than 30% over 2 weeks (there is no "
                "evidence that the '10% rule' prevents injury), and keep any single run within about 110%"
                " of your longest run of the last 30 days - the load report flags both."
            ),
            (
                "Nerve root pattern: gentle walking and positions that ease the leg; no loaded bending or"
                " hills until the leg pain centralises."
            ),
            (
                "Under 20 with back pain that is worse bending backwards: no exercises that arch your "
                "back (such as the locust pose or back extensions) until a doctor has checked your back. "
                "Run on flat routes with no hills or speed work, and only if it is pain-free during and "
                "after."
            ),
            (
                "Book a routine review with a clinician (GP or physiotherapist), especially if you are "
                "not getting better."
            ),
            "Log today's pain first: the run-today advice needs today's rating.",
            (
                "Belts or corsets, foot orthotics, rocker-sole shoes, traction, acupuncture and "
                "electrotherapy are not recommended for low back pain (NICE NG59)."
            ),
        ),
    ),
    "bone-stress": (
        (
            "Core and hip strength 2-3 times a week; this one is core work.",
            "Core and hip strength 2-3 times a week; this one is hip and glute work.",
            (
                "A short daily mobility routine that suits your pattern of back pain. Caution: Kneel on a"
                " cushion and keep the pelvis level; ease off if it brings on pain over the back of the "
                "pelvis."
            ),
            "A short daily mobility routine that suits your pattern of back pain.",
            (
                "No running while a bone stress injury is possible. Choose one of these instead, only if "
                "it is pain-free."
            ),
            "A day without strength work or running lets your back and legs recover.",
        ),
        (
            (
                "Sacroiliac pattern: glute bridges, side planks and pelvic drops, with single-leg work "
                "kept within the pain rule."
            ),
            (
                "A bone stress injury is possible, so: no running, jumping or hopping, and no exercises "
                "that put your weight through one leg or load your legs standing, until a doctor has "
                "checked it and a new symptom check no longer finds it. Rest from impact is the treatment"
                " while it is checked: this is not pain to run through. Keep fit with cycling or swimming"
                " if they are pain-free, and do the floor exercises."
            ),
            "Log today's pain first: the run-today advice needs today's rating.",
            (
                "Belts or corsets, foot orthotics, rocker-sole shoes, traction, acupuncture and "
                "electrotherapy are not recommended for low back pain (NICE NG59)."
            ),
        ),
    ),
    "after-birth": (
        (
            "Core and hip strength 2-3 times a week; this one is core work.",
            "Core and hip strength 2-3 times a week; this one is hip and glute work.",
            (
                "A check before you run again after the birth: tick it only if it was done without pain, "
                "leaking or heaviness (a dragging feeling in the vagina); if not, leave it and try again "
                "in a few days."
            ),
            (
                "Stand on one leg, bend the knee a little and straighten it again; hold a wall if you "
                "need to. A check before you run again after the birth: tick it only if it was done "
                "without pain, leaking or heaviness (a dragging feeling in the vagina); if not, leave it "
                "and try again in a few days."
            ),
            (
                "Long, springy running strides, landing on the other foot each time. A check before you "
                "run again after the birth: tick it only if it was done without pain, leaking or "
                "heaviness (a dragging feeling in the vagina); if not, leave it and try again in a few "
                "days."
            ),
            (
                "Stand on one leg; drive the other knee up in front as the opposite arm swings forward, "
                "then swing the leg back behind you, as in running. A check before you run again after "
                "the birth: tick it only if it was done without pain, leaking or heaviness (a dragging "
                "feeling in the vagina); if not, leave it and try again in a few days."
            ),
            (
                "Rise onto the toes of one foot and lower slowly; hold a wall for balance. A check before"
                " you run again after the birth: tick it only if it was done without pain, leaking or "
                "heaviness (a dragging feeling in the vagina); if not, leave it and try again in a few "
                "days."
            ),
            (
                "From a chair, stand up on one leg and sit back down slowly. A check before you run again"
                " after the birth: tick it only if it was done without pain, leaking or heaviness (a "
                "dragging feeling in the vagina); if not, leave it and try again in a few days."
            ),
            (
                "Lie on your side and lift the top leg, knee straight, then lower it slowly. A check "
                "before you run again after the birth: tick it only if it was done without pain, leaking "
                "or heaviness (a dragging feeling in the vagina); if not, leave it and try again in a few"
                " days."
            ),
            "A short daily mobility routine that suits your pattern of back pain.",
            (
                "Strengthens the muscles that support your bladder and bowel after the birth; do it every"
                " day. Caution: If you cannot feel the muscles working, or leaking or heaviness does not "
                "ease, see a pelvic health physiotherapist."
            ),
            "A day without strength work or running lets your back and legs recover.",
        ),
        (
            "Muscular pattern: gentle stretches for the lower back and hips each day.",
            (
                "Before your first run after the birth, check that you can do each of these 11 things "
                "without pain, leaking or heaviness, and tick each one when you can (leave it unticked if"
                " not). When all are ticked, the return to running starts at stage 1 the next day. Done "
                "so far: 1 of 11. If pain, leaking or heaviness keep coming back, see a pelvic health "
                "physiotherapist."
            ),
            "Log today's pain first: the run-today advice needs today's rating.",
            (
                "Belts or corsets, foot orthotics, rocker-sole shoes, traction, acupuncture and "
                "electrotherapy are not recommended for low back pain (NICE NG59)."
            ),
        ),
    ),
    "early-after-birth": (
        (
            "Core and hip strength 2-3 times a week; this one is core work.",
            (
                "Core and hip strength 2-3 times a week; this one is core work. Caution: Back extension; "
                "start with a small lift and a short hold and build up gradually."
            ),
            "Core and hip strength 2-3 times a week; this one is hip and glute work.",
            "A short daily mobility routine that suits your pattern of back pain.",
            (
                "A short daily mobility routine that suits your pattern of back pain. Caution: Keep the "
                "sagging (extension) half small if it hurts; spend more time in the rounded half."
            ),
            (
                "Strengthens the muscles that support your bladder and bowel after the birth; do it every"
                " day. Caution: If you cannot feel the muscles working, or leaking or heaviness does not "
                "ease, see a pelvic health physiotherapist."
            ),
            "Walking is usually comfortable and keeps you active; break up long sitting with it.",
            "A day without strength work or running lets your back and legs recover.",
        ),
        (
            (
                "Facet pattern: bending-forward mobility first; extension work such as the locust pose is"
                " built up gradually."
            ),
            (
                "Under 12 weeks since the birth: no running yet. Walk every day and do pelvic floor "
                "training every day. From 12 weeks (2024-06-17), the plan adds the checks to do before "
                "your first run."
            ),
            "Log today's pain first: the run-today advice needs today's rating.",
            (
                "Belts or corsets, foot orthotics, rocker-sole shoes, traction, acupuncture and "
                "electrotherapy are not recommended for low back pain (NICE NG59)."
            ),
        ),
    ),
}

REASONS = {
    "start": ("starting at stage 1, the first stage, because no return-to-run session is logged yet"),
    "red-morning": ("went back from stage 3 to stage 2 because the pain the next morning was 6/10"),
    "red-next-day": ("went back from stage 3 to stage 2 because the pain the next day was 6/10"),
    "red-not-settled": (
        "went back from stage 3 to stage 2 because the pain went up to 7/10 and had not settled by "
        "the next morning (4/10, above your pre-run level of 2/10)"
    ),
    "red-at-stage-1": ("stayed at stage 1, the first stage, because the pain the next morning was 7/10"),
    "amber-settled": (
        "repeated stage 3 because the pain went up to 7/10 during or after the run (it had settled by"
        " the next morning)"
    ),
    "amber-unrated": (
        "repeated stage 3 because the pain went up to 7/10 during or after the run (the next morning "
        "is not rated)"
    ),
    "morning": ("repeated stage 3 because the morning pain (4/10) was above your pre-run level (2/10)"),
    "session-trend": ("repeated stage 3 because your pain was worse than the week before"),
    "unrated": ("repeated stage 3 because the pain the next morning was not rated, so it cannot count yet"),
    "one-good": (
        "repeated stage 3 because one good session at this stage is logged and two in a row are "
        "needed to move on"
    ),
    "done": (
        "completed the graded return: two good 30-minute runs at stage 7, so you are back to your own"
        " running, adding volume gradually"
    ),
    "progress": (
        "moved up from stage 3 to stage 4 because the last two sessions at stage 3 went well: pain "
        "5/10 or less during and after, and settled by the next morning"
    ),
}


@pytest.mark.parametrize("runner", RUNNERS)
def test_every_why_and_note_of_the_week_word_for_word(runner: str) -> None:
    plan = build_week(PlanInput(week_start=MONDAY, **{"today": MONDAY, **RUNNERS[runner]}))
    whys = dict.fromkeys(item.why for day in plan.days for item in day.items)
    expected_whys, expected_notes = WEEKS[runner]
    assert tuple(whys) == expected_whys
    assert tuple(note.text for note in plan.notes) == expected_notes


@pytest.mark.parametrize("case", DECISIONS)
def test_every_stage_decision_reason_word_for_word(case: str) -> None:
    sessions, check_ins = DECISIONS[case]
    assert decide_stage(sessions, MONDAY, check_ins).reason == REASONS[case]


def test_the_weekly_trend_reason_word_for_word() -> None:
    sessions = (good(LAST_RUN - timedelta(days=2), 3), good(LAST_RUN, 3))
    assert decide_stage(sessions, MONDAY, trend_worse=True).reason == (
        "repeated stage 3 because your pain is worse than last week, so no progression this week"
    )

"""Complete answer sets for the three journeys the service, CLI, web and browser tests walk."""

from __future__ import annotations

NO_RED_FLAGS = {
    "saddle_numbness": False,
    "bladder_change": False,
    "bowel_change": False,
    "sexual_change": False,
    "numbness_tingling": "none",
    "leg_weakness": "none",
    "trauma": "none",
    "aaa_warning": False,
    "chest_pain_breathless": False,
    "cancer_history": False,
    "fever_chills": False,
    "osteoporosis": False,
    "steroid_use": False,
    "weight_loss": False,
    "infection_risk": False,
    "thoracic_pain": False,
    "night_pain": "no_night_pain",
    # Section K's safety questions (K.3)
    "pain_not_mechanical": False,
    "loin_colic": False,
    "urine_blood_or_burning": False,
}

# A 34-year-old with a one-sided "ouch" spasm four days ago, pain 2/10, last run settled: green.
SELF_MANAGE = {
    **NO_RED_FLAGS,
    "age": 34,
    "sex": "male",
    "duration_days": 4,
    "first_episode": False,
    "onset": "sudden_ouch_moment",
    "pain_side": "left",
    "pelvis_dimple_point": False,
    "pain_extent": "back_only",
    "muscle_tight_spasm": True,
    "worse_twisting": True,
    "morning_stiffness_over_30min": False,
    "socks_shoes_difficult": False,
    "pain_now": 2,
    "ran_since_onset": True,
    "pain_before_last_run": 2,
    "pain_during_last_run": 2,
    "pain_after_last_run": 2,
    "pain_next_morning": 1,
    "trend_week": "better",
    "weekly_distance_change": "up_to_10_percent",
    # Bones and energy (K.4): the pain does not build with each run, and hopping did not hurt.
    "pain_builds_each_run": False,
    "low_energy_intake": False,
    "hop_pain": "no",
    "sb_leg_pain": False,
    "sb_shoulder_neck": False,
    "sb_walk_short": False,
    "sb_dress_slow": False,
    "sb_unsafe_active": False,
    "sb_worry": False,
    "sb_never_better": False,
    "sb_no_enjoy": False,
    "sb_bothersome": "slightly",
}

# Unexplained weight loss (D4): see a doctor within 24-48 h, no running.
SEE_A_DOCTOR = {**SELF_MANAGE, "weight_loss": True}

# Numbness around the saddle area (E1): emergency.
EMERGENCY = {**SELF_MANAGE, "saddle_numbness": True}

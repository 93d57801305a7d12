"""Stored records. Each belongs to a user (owner): local mode has one, a clinic will have many,
and nothing here assumes a single user."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class TouchingQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """A bulk ``update()`` stamps ``updated_at`` too (Django's ``auto_now`` only runs on ``save()``):
    the data versions that caches are keyed on (``services.data_version``) must see every change."""

    def update(self, **values: object) -> int:
        values.setdefault("updated_at", timezone.now())
        return super().update(**values)


class Role(models.TextChoices):
    """What an account is for (clinic mode). Local mode's one user is a runner."""

    RUNNER = "runner", "Runner"
    CLINICIAN = "clinician", "Clinician"
    CLINIC_ADMIN = "clinic_admin", "Clinic administrator"


class Profile(models.Model):
    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="backstride_profile"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.RUNNER)
    # ISO 3166 alpha-2; blank = not set, and the emergency screen then lists several numbers.
    country = models.CharField(max_length=2, blank=True, default="")
    # How pages show distances and paces: "km" or "mile" (core.pace.UNITS). JSON keeps metres.
    units = models.CharField(max_length=4, default="km")

    def __str__(self) -> str:
        return f"profile of {self.owner}"


class SymptomCheck(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="symptom_checks"
    )
    created_at = models.DateTimeField(default=timezone.now)
    answers = models.JSONField()
    # The full report as it was shown, so history shows exactly what the person was told,
    # even after the rules or wording change.
    report = models.JSONField()
    engine_version = models.CharField(max_length=32)
    # Copies of the headline fields, for lists and trends without opening every report.
    urgency = models.CharField(max_length=32)
    urgency_when = models.CharField(max_length=16, blank=True, default="")  # spec K.1; "" = no timing
    run_today = models.CharField(max_length=8)
    likely_pattern = models.CharField(max_length=32)
    startback_total = models.PositiveSmallIntegerField(null=True, blank=True)  # None: not asked
    startback_risk = models.CharField(max_length=16)  # low | medium | high | not_asked
    pain_now = models.PositiveSmallIntegerField(null=True, blank=True)
    completed = models.BooleanField(default=True)  # False when an emergency answer stopped the check

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"])]


class RmdqResponse(models.Model):
    """One Roland-Morris Disability Questionnaire: the statements ticked (1-24) and the score."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rmdq_responses"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ticked = models.JSONField()
    score = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"])]


class Shoe(models.Model):
    """A pair of running shoes. Imports create them from Strava's shoes.csv and gear names; mileage
    and replacement alerts are computed from the activities linked to them."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shoes")
    name = models.CharField(max_length=200)
    brand = models.CharField(max_length=100, blank=True, default="")
    model = models.CharField(max_length=100, blank=True, default="")
    start_km = models.FloatField(default=0)  # km the shoe had done before backstride saw it
    replacement_km = models.FloatField(default=700)  # convention 500-800 km (spec F; weak evidence)
    bought = models.DateField(null=True, blank=True)
    retired = models.DateField(null=True, blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TouchingQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="one_shoe_name_per_owner")]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    """One imported (or manually entered) activity with its summary and a downsampled chart stream."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activities")
    start_time = models.DateTimeField()  # UTC
    utc_offset_s = models.IntegerField(null=True, blank=True)  # local time = UTC + offset
    sport = models.CharField(max_length=16)
    sub_sport = models.CharField(max_length=16, blank=True, default="")
    indoor = models.BooleanField(default=False)
    name = models.CharField(max_length=200, blank=True, default="")
    distance_m = models.FloatField(null=True, blank=True)
    moving_time_s = models.FloatField(null=True, blank=True)
    elapsed_time_s = models.FloatField(null=True, blank=True)
    elevation_gain_m = models.FloatField(null=True, blank=True)
    elevation_loss_m = models.FloatField(null=True, blank=True)
    uphill_share = models.FloatField(null=True, blank=True)
    downhill_share = models.FloatField(null=True, blank=True)
    avg_cadence_spm = models.FloatField(null=True, blank=True)
    avg_hr_bpm = models.FloatField(null=True, blank=True)
    rpe = models.FloatField(null=True, blank=True)
    gear_name = models.CharField(max_length=200, blank=True, default="")
    shoe = models.ForeignKey(
        Shoe, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    # Manual runs: terrain flat / hilly / uphill_heavy; surface road / track / trail / grass / treadmill.
    terrain = models.CharField(max_length=16, blank=True, default="")
    surface = models.CharField(max_length=16, blank=True, default="")
    source_format = models.CharField(max_length=8)
    source_file = models.CharField(max_length=500, blank=True, default="")
    # SHA-256 of the decompressed file and the activity's index in it: the same file twice is one import.
    source_sha256 = models.CharField(max_length=64, blank=True, default="")
    source_index = models.PositiveSmallIntegerField(default=0)
    external_id = models.CharField(max_length=64, blank=True, default="")
    partial = models.BooleanField(default=False)
    partial_reason = models.TextField(blank=True, default="")
    stream = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TouchingQuerySet.as_manager()

    class Meta:
        ordering = ["-start_time", "-id"]
        indexes = [
            models.Index(fields=["owner", "-start_time"]),
            models.Index(fields=["owner", "source_sha256"]),
            models.Index(fields=["owner", "updated_at"], name="activity_changed"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "source_sha256", "source_index"],
                condition=~models.Q(source_sha256=""),
                name="one_activity_per_file_part",
            ),
            # An export entry with no file (a Strava manual activity) has only its export's id to
            # be known by: the same entry twice is one activity.
            models.UniqueConstraint(
                fields=["owner", "external_id", "source_index"],
                condition=models.Q(source_sha256="") & ~models.Q(external_id=""),
                name="one_fileless_activity_per_external_id",
            ),
        ]


class DiaryEntry(models.Model):
    """One day's check-in (rest days included): pain, where, the run's pain ratings, and the
    repeated red-flag answers (spec A.8), with the escalation they caused until a new full check."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diary_entries"
    )
    day = models.DateField()
    pain_now = models.PositiveSmallIntegerField()
    locations = models.JSONField(default=list)
    stiffness = models.PositiveSmallIntegerField(null=True, blank=True)
    sitting_hours = models.FloatField(null=True, blank=True)
    sleep_hours = models.FloatField(null=True, blank=True)
    note = models.TextField(blank=True, default="")
    socks_shoes_difficult = models.BooleanField(null=True, blank=True)  # run-today R3
    ran = models.BooleanField(default=False)
    pain_before_run = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_during_run = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_after_run = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_next_morning = models.PositiveSmallIntegerField(null=True, blank=True)
    exercises_done = models.BooleanField(null=True, blank=True)
    red_flags = models.JSONField(default=dict)  # A.8 item id -> answer
    escalation = models.CharField(max_length=32, blank=True, default="")  # urgency code when A.8 escalated
    escalation_rules = models.JSONField(default=list)
    escalation_cleared = models.BooleanField(default=False)  # a later full check dismisses it
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TouchingQuerySet.as_manager()

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["owner", "day"], name="one_diary_entry_per_day")]
        # Every page asks for the days whose safety answers escalated (a handful in years of diary):
        # queried as `escalation > ''` (a range an index can answer; `!= ''` reads the whole diary).
        indexes = [
            models.Index(fields=["owner", "escalation"], name="diary_escalated_days"),
            models.Index(fields=["owner", "updated_at"], name="diary_changed"),
        ]


class ImportJob(models.Model):
    """A background import from the web app: progress for the page, results when done."""

    STATUSES = [("queued", "queued"), ("running", "running"), ("done", "done"), ("failed", "failed")]
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=8, choices=STATUSES, default="queued")
    total_files = models.PositiveIntegerField(default=0)
    processed_files = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict)  # the same object as `backstride import --format json`
    message = models.TextField(blank=True, default="")
    upload_dir = models.CharField(max_length=500, blank=True, default="")
    # The process that read and parsed the uploads: never the server's own (issue 11).
    parser_pid = models.PositiveIntegerField(null=True, blank=True)


class PlanItemDone(models.Model):
    """A plan item the runner ticked off on a day (issue 5). ``item_key`` is PlanItem.key; ``step_key``
    is the strength slot whose dose the tick advances (DOSE-EARN)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_done")
    day = models.DateField()
    item_key = models.CharField(max_length=120)
    step_key = models.CharField(max_length=120, blank=True, default="")
    title = models.CharField(max_length=200, blank=True, default="")  # as planned, for history
    dose = models.CharField(max_length=200, blank=True, default="")
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day", "item_key"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "day", "item_key"], name="one_tick_per_item_and_day")
        ]


class FormCheck(models.Model):
    """A running-form check from a video (issue 6): the job's progress while it runs, then the
    analysis (``result``: metrics, steps, findings, the runner pick) or the reason it failed."""

    STATUSES = [("queued", "queued"), ("running", "running"), ("done", "done"), ("failed", "failed")]
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="form_checks")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=8, choices=STATUSES, default="queued")
    progress = models.FloatField(default=0.0)  # 0..1 while running
    filename = models.CharField(max_length=200, blank=True, default="")  # as uploaded, for the list
    view = models.CharField(max_length=8, default="side")  # side | rear
    roi = models.JSONField(null=True, blank=True)  # [x0, y0, x1, y1] chosen by the runner
    video_path = models.CharField(max_length=500, blank=True, default="")  # for a re-run; "" once deleted
    video_sha256 = models.CharField(max_length=64, blank=True, default="")  # the same clip is no baseline
    result = models.JSONField(null=True, blank=True)
    medians = models.JSONField(default=dict)  # metric -> median, for comparing later clips
    error_code = models.CharField(max_length=32, blank=True, default="")
    message = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at"]


class FormCheckImage(models.Model):
    """A picture of a form check: the runner pick on a frame, or a foot strike with the skeleton."""

    form_check = models.ForeignKey(FormCheck, on_delete=models.CASCADE, related_name="images")
    kind = models.CharField(max_length=16)  # "selection" | "contact"
    frame = models.IntegerField()
    caption = models.CharField(max_length=300, blank=True, default="")
    png = models.BinaryField()

    class Meta:
        ordering = ["kind", "frame"]


class OutcomeActivity(models.Model):
    """An activity the runner named for "My activities" (spec K.8). Renaming keeps its ratings;
    replacing retires it (``retired_at``) and the new one starts its own series."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outcome_activities"
    )
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField()  # 1-3: the order they are asked in
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)  # None while it is one of the current ones

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["owner", "retired_at"])]

    def __str__(self) -> str:
        return self.name


class OutcomeRating(models.Model):
    """One rating of the current activities: when, where it was asked, their mean, the optional global
    rating of change, and the symptom check it was given with."""

    SOURCES = [("check", "check"), ("diary", "diary"), ("cli", "cli"), ("web", "web")]
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outcome_ratings"
    )
    created_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=8, choices=SOURCES)
    mean = models.FloatField()
    global_change = models.CharField(max_length=16, blank=True, default="")  # "" = not asked or not answered
    symptom_check = models.ForeignKey(
        SymptomCheck, null=True, blank=True, on_delete=models.SET_NULL, related_name="outcome_ratings"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"])]


class OutcomeRatingItem(models.Model):
    """One activity's 0-10 rating within a rating."""

    rating = models.ForeignKey(OutcomeRating, on_delete=models.CASCADE, related_name="items")
    activity = models.ForeignKey(OutcomeActivity, on_delete=models.CASCADE, related_name="ratings")
    value = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["activity__position", "activity_id"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "activity"], name="one_value_per_activity_and_rating")
        ]


# Clinic mode (issue 15): consent-based sharing between a runner and their clinicians, the
# clinician's plan adjustments and private notes, and the log of every look at a runner's data.


class CareInvite(models.Model):
    """A one-time link from a clinician to a runner, or from a runner to a clinician. Only a hash of
    the link's secret is stored: whoever reads the database cannot use a pending invite."""

    FROM_CLINICIAN = "clinician"
    FROM_RUNNER = "runner"
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_invites"
    )
    made_by_role = models.CharField(max_length=16)  # FROM_CLINICIAN or FROM_RUNNER
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class CareLink(models.Model):
    """A runner shares their records with one clinician until the runner (or the clinician) ends
    it. Ended links are kept (ended_at) so the runner's log keeps its history; at most one open link
    per pair."""

    runner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_links")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="caseload_links"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["runner", "clinician"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_care_link_per_pair",
            )
        ]
        indexes = [
            models.Index(fields=["clinician", "ended_at"]),
            models.Index(fields=["runner", "ended_at"]),
        ]


class PlanAdjustment(models.Model):
    """A clinician's change to a runner's plan, applied by the plan engine as a rule with its own id
    ("PHYSIO-<id>"). ``kind`` is one of core.adjustments.KINDS; ``exercise_id`` names the exercise
    a replace/remove/dose adjustment is about; ``value`` holds the rest (replacement id, dose, note)."""

    runner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_adjustments"
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="adjustments_made"
    )
    clinician_name = models.CharField(max_length=150)  # as shown to the runner, kept if the account goes
    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=16)
    exercise_id = models.CharField(max_length=80, blank=True, default="")
    value = models.JSONField(default=dict)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["runner", "ended_at"])]


class ClinicalNote(models.Model):
    """A clinician's private note about a runner: only its author reads it (not the runner, not
    other clinicians). Notes are kept when sharing ends, as a clinic's records are."""

    runner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinical_notes"
    )
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["clinician", "runner", "-created_at"])]


class AccessLogEntry(models.Model):
    """One look at, or change to, a runner's records by someone else (a clinician). The runner reads
    these on their sharing page; nothing deletes them while the runner's account exists."""

    runner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_log")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=32)  # services.access_log.ACTIONS
    detail = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["runner", "-at"])]


class ReportJob(models.Model):
    """A report PDF made in the background (issue 15 item 5): what was asked (``options``: from, to,
    sections, paper, today), how far it got, and the file under the data folder's reports/. Served
    only to its owner, or to whoever asked for it (``requested_by``: the runner, or their clinician)."""

    STATUSES = [("queued", "queued"), ("running", "running"), ("done", "done"), ("failed", "failed")]
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    options = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=STATUSES, default="queued")
    message = models.TextField(blank=True, default="")
    file_path = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)


class BackupJob(models.Model):
    """A backup of the whole database made in the background: the daily one (``requested_by`` empty)
    or one a clinic administrator asked for. ``file_path`` is the backup file when done."""

    STATUSES = ReportJob.STATUSES
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=8, choices=STATUSES, default="queued")
    message = models.TextField(blank=True, default="")
    file_path = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class Experiment(models.Model):
    """A two-week N-of-1 experiment (core.experiments): ``kind`` and its parameter from ``start`` for
    14 days. ``stopped_on`` is set by an early stop; the verdict is worked out from the diary and runs."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="experiments")
    kind = models.CharField(max_length=32)
    param = models.CharField(max_length=200, blank=True, default="")
    start = models.DateField()
    stopped_on = models.DateField(null=True, blank=True)  # last day counted when stopped early
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start", "-id"]

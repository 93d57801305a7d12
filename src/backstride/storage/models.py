"""Stored records. Each belongs to a user (owner): local mode has one, a clinic will have many,
and nothing here assumes a single user."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Profile(models.Model):
    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="backstride_profile"
    )
    # ISO 3166 alpha-2; blank = not set, and the emergency screen then lists several numbers.
    country = models.CharField(max_length=2, blank=True, default="")

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
    run_today = models.CharField(max_length=8)
    likely_pattern = models.CharField(max_length=32)
    startback_total = models.PositiveSmallIntegerField()
    startback_risk = models.CharField(max_length=8)
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

"""Live-update text pasted by an editor and the candidate claims found in it."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from claims.models.choices import CandidateDecision, CandidateFlag, IngestJobState
from claims.models.claims import Claim, Story
from claims.models.figures import Figure


class IngestJob(models.Model):
    """Live-update text pasted by an editor, and the candidate claims found in it."""

    State = IngestJobState

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="ingest_jobs")
    text = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    error = models.CharField(max_length=500, blank=True)
    conflicts = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Ingest #{self.pk} ({self.state})"

    def get_absolute_url(self) -> str:
        return reverse("ingest_detail", args=[self.pk])


class IngestCandidate(models.Model):
    """One sentence proposed as a claim, waiting for an editor's decision."""

    Flag = CandidateFlag

    Decision = CandidateDecision

    job = models.ForeignKey(IngestJob, on_delete=models.CASCADE, related_name="candidates")
    index = models.PositiveIntegerField()
    sentence = models.TextField()
    speaker = models.CharField(max_length=300, blank=True)
    quantities = models.JSONField(default=list, blank=True)
    score = models.FloatField(default=0)
    # The story's figure the sentence speaks of, found by subject key when it was extracted.
    # A proposal never holds a figure in place; a figure merged since points to the one that
    # stays (``merged_into``), which is where a report of it goes.
    figure = models.ForeignKey(
        Figure, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The report of that figure the sentence contradicts or corrects.
    conflicting_claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    flag = models.CharField(max_length=20, choices=Flag.choices, blank=True, default="")
    # The correction the sentence states, as the extractor read it: {"old", "new", "subject"}.
    corrects = models.JSONField(null=True, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.OPEN)
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["job", "index"]
        constraints = [
            models.UniqueConstraint(fields=["job", "index"], name="candidate_index_unique"),
        ]

    def __str__(self) -> str:
        return self.sentence[:80]

"""Live-update text pasted by an editor and the candidate claims found in it."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from claims.models.choices import CandidateDecision, CandidateFlag, IngestJobState
from claims.models.claims import Claim, Story
from claims.models.figures import Figure
from sources.models import SourceKind


class CandidateScore(models.TextChoices):
    """How check-worthy the extractor found a sentence, in three bands."""

    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class IngestJob(models.Model):
    """Live-update text pasted by an editor, and the candidate claims found in it."""

    State = IngestJobState

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="ingest_jobs")
    text = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    error = models.CharField(max_length=500, blank=True)
    conflicts = models.JSONField(default=list, blank=True)
    # What the text's live-blog times ("09:12") are read against: the day the entries were
    # written and the zone of their clock, as the desk gave them (a story can be followed
    # from several places, so they belong to the text, not to the story).
    story_date = models.DateField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
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

    Score = CandidateScore

    job = models.ForeignKey(IngestJob, on_delete=models.CASCADE, related_name="candidates")
    index = models.PositiveIntegerField()
    sentence = models.TextField()
    # The extractor's proposal in the desk's style ("The Interior Ministry says 31 people
    # died"), which the desk edits and files, and the exact words it keeps as the quote.
    claim_text = models.TextField(blank=True, default="")
    quote = models.TextField(blank=True, default="")
    speaker = models.CharField(max_length=300, blank=True)
    # The kind of source the speaker reads as; a new source is created with it.
    speaker_kind = models.CharField(
        max_length=20, choices=SourceKind.choices, blank=True, default=""
    )
    # Every attribution in reading order, as extracted: {"speaker", "kind", "via", "when"}.
    attributions = models.JSONField(default=list, blank=True)
    # The entry's live-blog time, in the text's zone; what an accepted claim was said at.
    said_at = models.DateTimeField(null=True, blank=True)
    quantities = models.JSONField(default=list, blank=True)
    score = models.FloatField(default=0)
    # The score in words: its band, which the desk filters on, and why ("states a figure").
    score_label = models.CharField(
        max_length=6, choices=Score.choices, blank=True, default=Score.LOW
    )
    reasons = models.JSONField(default=list, blank=True)
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
    # The correction the sentence states, as the extractor read it:
    # {"old", "new", "subject", "figure", "reason"}.
    corrects = models.JSONField(null=True, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.OPEN)
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["job", "index"]
        constraints = [
            models.UniqueConstraint(fields=["job", "index"], name="candidate_index_unique"),
            models.CheckConstraint(
                condition=models.Q(score_label__in=CandidateScore.values),
                name="candidate_score_label_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(speaker_kind__in=["", *SourceKind.values]),
                name="candidate_speaker_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.sentence[:80]

    @property
    def proposed_text(self) -> str:
        """The claim the desk is offered: the extractor's wording, else the sentence."""
        return self.claim_text or self.sentence

    @property
    def exact_quote(self) -> str:
        return self.quote or self.sentence

"""Who made a claim (attributions), what supports or refutes it (evidence), and the
desk's internal notes."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Substr

from claims.models.choices import EvidenceCapture, EvidenceStance
from claims.models.claims import Claim


class Attribution(models.Model):
    """Who made a claim, where and when, in their exact words."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="attributions")
    source = models.ForeignKey(
        "sources.Source", on_delete=models.PROTECT, related_name="attributions"
    )
    url = models.URLField(blank=True, max_length=1000)
    outlet = models.CharField(max_length=200, blank=True)
    said_at = models.DateTimeField(null=True, blank=True)
    quote = models.TextField(blank=True, max_length=5000)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["said_at", "id"]
        indexes = [models.Index(fields=["source", "claim"], name="attribution_source_idx")]

    def __str__(self) -> str:
        return f"{self.source} on claim {self.claim_id}"


# A capture's text is shown cut to this many characters; a captured page's whole text can be
# hundreds of kilobytes, so pages read only this much of it.
CAPTURE_EXCERPT_CHARS = 2000


class EvidenceQuerySet(models.QuerySet):
    def for_display(self) -> "EvidenceQuerySet":
        """Evidence to show: the captured text cut to ``capture_excerpt`` (one character more
        than is shown, so the page can tell it was cut), the whole text left behind."""
        return self.defer("capture_text").annotate(
            capture_excerpt=Substr("capture_text", 1, CAPTURE_EXCERPT_CHARS + 1)
        )


class Evidence(models.Model):
    """A link or document for or against a claim, with its captured snapshot."""

    Stance = EvidenceStance

    Capture = EvidenceCapture

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    stance = models.CharField(max_length=10, choices=Stance.choices)
    url = models.URLField(max_length=1000)
    excerpt = models.TextField(blank=True, max_length=5000)
    source = models.ForeignKey(
        "sources.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    capture_status = models.CharField(
        max_length=10, choices=Capture.choices, default=Capture.PENDING
    )
    capture_error = models.CharField(max_length=500, blank=True)
    capture_final_url = models.URLField(blank=True, max_length=2000)
    capture_http_status = models.PositiveIntegerField(null=True, blank=True)
    capture_content_type = models.CharField(max_length=200, blank=True)
    capture_sha256 = models.CharField(max_length=64, blank=True)
    capture_title = models.CharField(max_length=500, blank=True)
    capture_text = models.TextField(blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stance__in=["supports", "refutes", "context"]),
                name="evidence_stance_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(url__startswith="http://")
                | models.Q(url__startswith="https://"),
                name="evidence_url_http",
            ),
        ]
        indexes = [
            models.Index(fields=["capture_status", "created_at"], name="evidence_capture_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()}: {self.url}"


class Note(models.Model):
    """An internal note on a claim. Never public."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note on claim {self.claim_id}"

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.text import slugify

VERDICTS = ("confirmed", "false", "misleading", "unproven", "disputed")


class Story(models.Model):
    """A running story that groups the claims made about it."""

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True, max_length=5000)
    is_public = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("story_detail", args=[self.slug])


class ClaimStatus(models.TextChoices):
    UNVERIFIED = "unverified", "Unverified"
    IN_REVIEW = "in_review", "In review"
    CONFIRMED = "confirmed", "Confirmed"
    FALSE = "false", "False"
    MISLEADING = "misleading", "Misleading"
    UNPROVEN = "unproven", "Unproven"
    DISPUTED = "disputed", "Disputed"
    SUPERSEDED = "superseded", "Superseded"


# The search document and its vector serve matching only, and are a row's widest columns.
SEARCH_FIELDS = ("search_document", "search_vector")


class ClaimQuerySet(models.QuerySet):
    def for_display(self, *related: str) -> "ClaimQuerySet":
        """Claims to show: everything but the search fields, of these claims and of the
        related claims named (``superseded_by``) that are selected with them."""
        prefixes = ["", *(f"{name}__" for name in related)]
        return self.defer(*(f"{prefix}{name}" for prefix in prefixes for name in SEARCH_FIELDS))


# Each status's label, for code that shows many claims and would not call
# get_status_display() on each.
STATUS_LABELS = dict(ClaimStatus.choices)


class Claim(models.Model):
    """One checkable statement, in the desk's own words."""

    Status = ClaimStatus

    # Lookups by story and by assignee use the queue indexes that start with them.
    story = models.ForeignKey(
        Story, on_delete=models.PROTECT, related_name="claims", db_index=False
    )
    text = models.TextField(max_length=2000)
    quantity_subject = models.CharField(max_length=200, blank=True)
    quantity_value = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    quantity_unit = models.CharField(max_length=50, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNVERIFIED)
    rationale = models.TextField(blank=True, max_length=5000)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
        db_index=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_claims",
    )
    version = models.PositiveIntegerField(default=1)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )
    is_hidden = models.BooleanField(default=False)
    evidence_count = models.PositiveIntegerField(default=0)
    # Text, quotes and source names, kept by the services for full-text search.
    search_document = models.TextField(blank=True, default="")
    # On PostgreSQL a trigger keeps this tsvector of search_document (english); matching a
    # stored vector is cheap enough to test row by row while walking the queue's index.
    search_vector = SearchVectorField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(db_index=False)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-id"]
        permissions = [
            ("set_claim_status", "Can rule on a claim's verification status"),
            ("supersede_claim", "Can supersede or merge claims"),
            ("hide_claim", "Can hide and unhide claims"),
            ("assign_claim", "Can assign claims to anyone"),
        ]
        indexes = [
            models.Index(fields=["-changed_at", "-id"], name="claim_queue_idx"),
            models.Index(fields=["status", "-changed_at", "-id"], name="claim_status_queue_idx"),
            models.Index(fields=["story", "-changed_at", "-id"], name="claim_story_queue_idx"),
            models.Index(
                fields=["assignee", "-changed_at", "-id"], name="claim_assignee_queue_idx"
            ),
            models.Index(
                fields=["evidence_count", "-changed_at", "-id"], name="claim_evidence_queue_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ClaimStatus.values),
                name="claim_status_valid",
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="claim_version_gte_1"),
            models.CheckConstraint(
                condition=~models.Q(superseded_by=models.F("id")), name="claim_not_self_superseded"
            ),
            models.CheckConstraint(
                condition=models.Q(status="superseded", superseded_by__isnull=False)
                | (~models.Q(status="superseded") & models.Q(superseded_by__isnull=True)),
                name="claim_superseded_has_target",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("claim_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("public_claim", args=[self.pk, self.slug])

    @property
    def slug(self) -> str:
        return claim_slug(self.text)

    @property
    def has_verdict(self) -> bool:
        return self.status in VERDICTS

    @property
    def quantity_display(self) -> str:
        return describe_quantity(self.quantity_subject, self.quantity_value, self.quantity_unit)


def claim_slug(text: str) -> str:
    """The readable part of a claim's public URL: its first ten words."""
    return slugify(" ".join(text.split()[:10]))[:80] or "claim"


def describe_quantity(subject: str, value, unit: str) -> str:
    """A quantity as an editor writes it: "Canadian victims: 57 people"."""
    if value is None:
        return ""
    number = format_quantity(value)
    parts = [f"{subject}: {number}" if subject else number]
    if unit:
        parts.append(unit)
    return " ".join(parts)


def format_quantity(value) -> str:
    """Decimal quantities without trailing zeros: 57, 1.5, 1380."""
    normalized = value.normalize()
    if normalized == normalized.to_integral():
        return f"{normalized.to_integral():f}"
    return f"{normalized:f}"


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

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        REFUTES = "refutes", "Refutes"
        CONTEXT = "context", "Context"

    class Capture(models.TextChoices):
        PENDING = "pending", "Capture pending"
        CAPTURED = "captured", "Captured"
        FAILED = "failed", "Capture failed"
        BLOCKED = "blocked", "Capture blocked"
        SKIPPED = "skipped", "Not captured"

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


class Revision(models.Model):
    """One change to a claim. Append-only: the database refuses UPDATE and DELETE."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        EDITED = "edited", "Edited"
        STATUS = "status", "Status changed"
        EVIDENCE = "evidence", "Evidence added"
        ATTRIBUTION = "attribution", "Attribution added"
        SUPERSEDED = "superseded", "Superseded"
        MERGED = "merged", "Merged"
        HIDDEN = "hidden", "Hidden"
        UNHIDDEN = "unhidden", "Unhidden"
        ASSIGNED = "assigned", "Assigned"

    # (claim, number) is unique, and that index serves every lookup by claim.
    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="revisions", db_index=False
    )
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claim_revisions",
    )
    created_at = models.DateTimeField()
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True, max_length=5000)

    class Meta:
        ordering = ["claim", "number"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "number"], name="revision_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="revision_number_gte_1"),
        ]
        indexes = [
            models.Index(fields=["kind", "-created_at", "-id"], name="revision_kind_time_idx"),
            # Feeds filtered by the new status (?status=false) walk only that status's
            # changes, newest first, instead of every status change.
            models.Index(
                KeyTransform("status", "after"),
                models.F("created_at").desc(),
                models.F("id").desc(),
                name="revision_new_status_idx",
                condition=models.Q(kind="status"),
            ),
        ]

    def __str__(self) -> str:
        return f"Claim {self.claim_id} r{self.number} ({self.kind})"


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


class StatusCount(models.Model):
    """How many visible claims of a story are in each status, kept by the services."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="status_counts")
    status = models.CharField(max_length=20, choices=Claim.Status.choices)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "status"], name="status_count_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.story_id} {self.status}: {self.count}"


class OutboxEvent(models.Model):
    """A side effect recorded with the change that caused it, delivered after commit."""

    class Kind(models.TextChoices):
        STATUS_CHANGED = "status_changed", "Status changed"
        SUPERSEDED = "superseded", "Superseded"
        EVIDENCE_ADDED = "evidence_added", "Evidence added"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="outbox_events")
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.PROTECT, related_name="outbox_events"
    )
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"],
                name="outbox_pending_idx",
                condition=models.Q(dispatched_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class Watch(models.Model):
    """A user who follows a claim or a whole story and is e-mailed its rulings."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="watches"
    )
    story = models.ForeignKey(
        Story, null=True, blank=True, on_delete=models.CASCADE, related_name="watches"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(claim__isnull=False, story__isnull=True)
                | models.Q(claim__isnull=True, story__isnull=False),
                name="watch_one_target",
            ),
            models.UniqueConstraint(fields=["user", "claim"], name="watch_claim_unique"),
            models.UniqueConstraint(fields=["user", "story"], name="watch_story_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} watches {self.claim or self.story}"


class EmailNotification(models.Model):
    """One watcher e-mailed about one outbox event, so a re-run never e-mails them twice."""

    event = models.ForeignKey(
        OutboxEvent, on_delete=models.CASCADE, related_name="email_notifications"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="email_notification_unique"),
        ]

    def __str__(self) -> str:
        return f"Event {self.event_id} e-mail to user {self.user_id}"


class WebhookSubscriber(models.Model):
    """A partner endpoint that receives signed JSON posts of rulings."""

    name = models.CharField(max_length=200)
    url = models.URLField(max_length=1000)
    secret = models.CharField(max_length=200)
    stories = models.ManyToManyField(Story, blank=True, related_name="+")
    statuses = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One outbox event sent to one subscriber, retried with backoff until delivered or dead."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        DEAD = "dead", "Dead"

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        WebhookSubscriber, on_delete=models.CASCADE, related_name="deliveries"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event", "subscriber"], name="delivery_unique"),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.event_id} -> {self.subscriber_id} ({self.state})"


class IngestJob(models.Model):
    """Live-update text pasted by an editor, and the candidate claims found in it."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Extracting"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

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

    class Flag(models.TextChoices):
        NONE = "", "None"
        CORRECTION = "correction", "Corrects an existing claim"
        CONFLICT = "conflict", "Conflicts with an existing claim"

    class Decision(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        MERGED = "merged", "Merged"
        DISMISSED = "dismissed", "Dismissed"

    job = models.ForeignKey(IngestJob, on_delete=models.CASCADE, related_name="candidates")
    index = models.PositiveIntegerField()
    sentence = models.TextField()
    speaker = models.CharField(max_length=300, blank=True)
    quantities = models.JSONField(default=list, blank=True)
    score = models.FloatField(default=0)
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

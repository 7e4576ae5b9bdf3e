"""Stories, claims and the per-story status counts."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from claims.models.choices import Approximation, ClaimStatus

VERDICTS = ("confirmed", "false", "misleading", "unproven", "disputed")


def default_time_zone() -> str:
    """A new story's time zone: the newsroom's own."""
    return settings.TIME_ZONE


def validate_time_zone(name: str) -> None:
    """An IANA time zone name the system knows ("Europe/Paris", "America/Toronto", "UTC")."""
    try:
        if not name or name != name.strip() or name.startswith(("/", ".")):
            raise ValueError(name)
        ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError):
        raise ValidationError(
            "%(name)s is not a time zone name, such as Europe/Paris or America/Toronto.",
            code="invalid_time_zone",
            params={"name": name or "An empty name"},
        ) from None


class Story(models.Model):
    """A running story that groups the claims made about it."""

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True, max_length=5000)
    is_public = models.BooleanField(default=False)
    # The zone the story happens in: its times are shown, and typed, in it.
    time_zone = models.CharField(
        max_length=64, default=default_time_zone, validators=[validate_time_zone]
    )
    # A closed story takes no new claims; its claims and pages stay as they are.
    closed_at = models.DateTimeField(null=True, blank=True)
    # Raised by every change the services make, so that a stale settings form is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "stories"
        constraints = [
            models.CheckConstraint(condition=models.Q(version__gte=1), name="story_version_gte_1"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("story_detail", args=[self.slug])

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def zone(self) -> ZoneInfo:
        """The story's time zone as a tzinfo (the newsroom's if the stored name is unknown)."""
        try:
            return ZoneInfo(self.time_zone)
        except (ValueError, ZoneInfoNotFoundError):
            return ZoneInfo(settings.TIME_ZONE)


# The search document and its vector serve matching only, and are a row's widest columns.
SEARCH_FIELDS = ("search_document", "search_vector")


def user_link(**options) -> models.ForeignKey:
    """A desk member a claim names; the claim keeps its record if the account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, **options
    )


class ClaimQuerySet(models.QuerySet):
    def for_display(self, *related: str) -> "ClaimQuerySet":
        """Claims to show: everything but the search fields, of these claims and of the
        related claims named (``superseded_by``) that are selected with them."""
        prefixes = ["", *(f"{name}__" for name in related)]
        return self.defer(*(f"{prefix}{name}" for prefix in prefixes for name in SEARCH_FIELDS))


# Each status's label, for code that shows many claims and would not call
# get_status_display() on each.
STATUS_LABELS = dict(ClaimStatus.choices)
# The statuses a ruling sets; a claim is superseded only by naming the claim that replaces it.
RULING_CHOICES = [
    (value, label) for value, label in ClaimStatus.choices if value != ClaimStatus.SUPERSEDED
]


# A claim reports no figure, or a figure with its value, how approximate it is and, for a
# range, its top (never below its bottom).
_NO_REPORT = models.Q(
    figure__isnull=True, value__isnull=True, value_high__isnull=True, approximation=""
)
_REPORT = models.Q(
    figure__isnull=False,
    value__isnull=False,
    approximation__in=[a for a in Approximation.values if a != Approximation.RANGE],
    value_high__isnull=True,
) | models.Q(
    figure__isnull=False,
    value__isnull=False,
    approximation=Approximation.RANGE,
    value_high__isnull=False,
    value_high__gte=models.F("value"),
)


class Claim(models.Model):
    """One checkable statement, in the desk's own words."""

    Status = ClaimStatus

    # Lookups by story and by assignee use the queue indexes that start with them.
    story = models.ForeignKey(
        Story, on_delete=models.PROTECT, related_name="claims", db_index=False
    )
    text = models.TextField(max_length=2000)
    # A claim may report a value of one of its story's figures: a new value is a new claim.
    figure = models.ForeignKey(
        "claims.Figure", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    value = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    # The top of a range ("between 40 and 50"); empty for every other approximation.
    value_high = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    approximation = models.CharField(
        max_length=10, choices=Approximation.choices, blank=True, default=""
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNVERIFIED)
    rationale = models.TextField(blank=True, max_length=5000)
    assignee = user_link(related_name="assigned_claims", db_index=False)
    created_by = user_link(related_name="created_claims")
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
            models.CheckConstraint(condition=_NO_REPORT | _REPORT, name="claim_report_complete"),
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
    def value_display(self) -> str:
        """The value this claim reports, in its figure's unit ("57 people"); loads the figure."""
        if self.figure_id is None:
            return ""
        return self.figure.describe(self.value, self.approximation, self.value_high)


def claim_slug(text: str) -> str:
    """The readable part of a claim's public URL: its first ten words."""
    return slugify(" ".join(text.split()[:10]))[:80] or "claim"


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

"""The vocabularies of the desk's models: every set of choices a field takes.

Each model names its own (``Claim.Status``, ``Evidence.Stance``, ``Revision.Kind``…); they
live here together so that what a status, a stance or a kind may be is read in one place.
"""

from django.db import models


class ClaimStatus(models.TextChoices):
    UNVERIFIED = "unverified", "Unverified"
    IN_REVIEW = "in_review", "In review"
    CONFIRMED = "confirmed", "Confirmed"
    FALSE = "false", "False"
    MISLEADING = "misleading", "Misleading"
    UNPROVEN = "unproven", "Unproven"
    DISPUTED = "disputed", "Disputed"
    SUPERSEDED = "superseded", "Superseded"


class RevisionKind(models.TextChoices):
    CREATED = "created", "Created"
    EDITED = "edited", "Edited"
    MINOR_EDIT = "minor_edit", "Minor edit, ruling kept"
    STATUS = "status", "Status changed"
    EVIDENCE = "evidence", "Evidence added"
    ATTRIBUTION = "attribution", "Attribution added"
    SUPERSEDED = "superseded", "Superseded"
    MERGED = "merged", "Merged"
    HIDDEN = "hidden", "Hidden"
    UNHIDDEN = "unhidden", "Unhidden"
    ASSIGNED = "assigned", "Assigned"
    REDACTED = "redacted", "Redacted"
    VALUE_FIXED = "value_fixed", "Figure typo corrected"
    REFILED = "refiled", "Moved to another figure"


class FigureKind(models.TextChoices):
    COUNT = "count", "Count"
    AMOUNT = "amount", "Amount of money"
    PERCENTAGE = "percentage", "Percentage"
    DISTANCE = "distance", "Distance"
    DURATION = "duration", "Duration"
    MEASURE = "measure", "Other measure"


class Approximation(models.TextChoices):
    EXACT = "exact", "Exactly"
    ABOUT = "about", "About"
    AT_LEAST = "at_least", "At least"
    AT_MOST = "at_most", "At most"
    RANGE = "range", "Between"


class FigureRevisionKind(models.TextChoices):
    CREATED = "created", "Created"
    RENAMED = "renamed", "Renamed"
    MERGED_INTO = "merged_into", "Merged into another figure"
    ABSORBED = "absorbed", "Took in another figure's reports"
    SPLIT_FROM = "split_from", "Split off another figure"
    SPLIT_OFF = "split_off", "Gave reports to a new figure"


class StoryRevisionKind(models.TextChoices):
    CREATED = "created", "Created"
    EDITED = "edited", "Renamed or described"
    TIME_ZONE = "time_zone", "Time zone changed"
    PUBLISHED = "published", "Made public"
    UNPUBLISHED = "unpublished", "Made private"
    CLOSED = "closed", "Closed"
    REOPENED = "reopened", "Reopened"


class EvidenceStance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    REFUTES = "refutes", "Refutes"
    CONTEXT = "context", "Context"


class EvidenceCapture(models.TextChoices):
    PENDING = "pending", "Capture pending"
    CAPTURED = "captured", "Captured"
    FAILED = "failed", "Capture failed"
    BLOCKED = "blocked", "Capture blocked"
    SKIPPED = "skipped", "Not captured"


class IngestJobState(models.TextChoices):
    PENDING = "pending", "Waiting"
    RUNNING = "running", "Extracting"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class CandidateFlag(models.TextChoices):
    NONE = "", "None"
    CORRECTION = "correction", "Corrects an existing claim"
    CONFLICT = "conflict", "Conflicts with an existing claim"


class CandidateDecision(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    MERGED = "merged", "Merged"
    DISMISSED = "dismissed", "Dismissed"


class OutboxEventKind(models.TextChoices):
    STATUS_CHANGED = "status_changed", "Status changed"
    SUPERSEDED = "superseded", "Superseded"
    EVIDENCE_ADDED = "evidence_added", "Evidence added"
    REOPENED = "reopened", "Reopened"
    REDACTED = "redacted", "Redacted"
    HIDDEN = "hidden", "Hidden"
    UNHIDDEN = "unhidden", "Unhidden"
    EDITED = "edited", "Edited"
    CREATED = "created", "Created"
    STORY_CHANGED = "story_changed", "Story changed"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    DEAD = "dead", "Dead"

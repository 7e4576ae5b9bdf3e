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


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    DEAD = "dead", "Dead"

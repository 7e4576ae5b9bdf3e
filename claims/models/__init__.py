"""The desk's models, a module per concern; every model is importable from here."""

from claims.models.claims import (
    RULING_CHOICES,
    SEARCH_FIELDS,
    STATUS_LABELS,
    VERDICTS,
    Claim,
    ClaimQuerySet,
    ClaimStatus,
    StatusCount,
    Story,
    claim_slug,
    default_time_zone,
    validate_time_zone,
)
from claims.models.evidence import (
    CAPTURE_EXCERPT_CHARS,
    Attribution,
    Evidence,
    EvidenceQuerySet,
    Note,
)
from claims.models.figures import Figure, FigureRevision, describe_value, format_number
from claims.models.ingest import IngestCandidate, IngestJob
from claims.models.integrations import ApiToken, ApiTokenScope, CachePurge
from claims.models.notifications import (
    EmailNotification,
    OutboxEvent,
    Watch,
    WebhookDelivery,
    WebhookSubscriber,
)
from claims.models.revisions import Revision
from claims.models.story_history import StoryRevision

__all__ = [
    "ApiToken",
    "ApiTokenScope",
    "CachePurge",
    "CAPTURE_EXCERPT_CHARS",
    "RULING_CHOICES",
    "SEARCH_FIELDS",
    "STATUS_LABELS",
    "VERDICTS",
    "Attribution",
    "Claim",
    "ClaimQuerySet",
    "ClaimStatus",
    "EmailNotification",
    "Evidence",
    "EvidenceQuerySet",
    "Figure",
    "FigureRevision",
    "IngestCandidate",
    "IngestJob",
    "Note",
    "OutboxEvent",
    "Revision",
    "StatusCount",
    "Story",
    "StoryRevision",
    "Watch",
    "WebhookDelivery",
    "WebhookSubscriber",
    "claim_slug",
    "default_time_zone",
    "describe_value",
    "format_number",
    "validate_time_zone",
]

"""Every write Claimdesk makes, a module per sub-domain, each importable from here.

``from claims.services import claim_set_status`` works for every service. Each one checks
access through ``claims.access``, validates through ``claims.validation``, writes the
claim's revision in the same transaction and records side effects in the outbox, which
queues them by name once the transaction commits; no service imports a task.
"""

from claims.services.claims import (
    claim_assign,
    claim_create,
    claim_edit,
    claim_hide,
    claim_merge,
    claim_set_status,
    claim_supersede,
    claim_unhide,
)
from claims.services.evidence import attribution_add, evidence_add, note_add
from claims.services.figures import (
    figure_create,
    figure_merge,
    figure_report,
    figure_split,
    figure_update,
)
from claims.services.revisions import ConflictError
from claims.services.sources import source_create, source_get_or_create
from claims.services.stories import (
    StoryConflictError,
    story_close,
    story_create,
    story_reopen,
    story_set_public,
    story_update,
)
from claims.services.watches import watch_set

__all__ = [
    "ConflictError",
    "StoryConflictError",
    "attribution_add",
    "claim_assign",
    "claim_create",
    "claim_edit",
    "claim_hide",
    "claim_merge",
    "claim_set_status",
    "claim_supersede",
    "claim_unhide",
    "evidence_add",
    "figure_create",
    "figure_merge",
    "figure_report",
    "figure_split",
    "figure_update",
    "note_add",
    "source_create",
    "source_get_or_create",
    "story_close",
    "story_create",
    "story_reopen",
    "story_set_public",
    "story_update",
    "watch_set",
]

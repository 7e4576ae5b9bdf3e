"""The append-only history of every change to a claim."""

from django.conf import settings
from django.db import models
from django.db.models.fields.json import KeyTransform

from claims.models.choices import RevisionKind
from claims.models.claims import Claim


class Revision(models.Model):
    """One change to a claim. Append-only: the database refuses UPDATE and DELETE."""

    Kind = RevisionKind

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
    # A redaction names the earlier revision whose text, note or actor it hides from readers
    # and reporters (which parts, and why, are in ``after``); that revision is never touched.
    redacts = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="redactions"
    )

    class Meta:
        ordering = ["claim", "number"]
        permissions = [("redact_revision", "Can redact a revision's text, note or actor")]
        constraints = [
            models.UniqueConstraint(fields=["claim", "number"], name="revision_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="revision_number_gte_1"),
            models.CheckConstraint(
                condition=models.Q(kind="redacted", redacts__isnull=False)
                | (~models.Q(kind="redacted") & models.Q(redacts__isnull=True)),
                name="revision_redaction_names_its_target",
            ),
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

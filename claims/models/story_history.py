"""The append-only history of every change to a story: its name, description, time zone,
whether readers see it, and whether it is closed."""

from django.conf import settings
from django.db import models

from claims.models.choices import StoryRevisionKind
from claims.models.claims import Story


class StoryRevision(models.Model):
    """One change to a story. Append-only: the database refuses UPDATE and DELETE."""

    Kind = StoryRevisionKind

    # (story, number) is unique, and that index serves every lookup by story.
    story = models.ForeignKey(
        Story, on_delete=models.PROTECT, related_name="revisions", db_index=False
    )
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["story", "number"]
        constraints = [
            models.UniqueConstraint(fields=["story", "number"], name="story_revision_unique"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="story_revision_number_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return f"Story {self.story_id} r{self.number} ({self.kind})"

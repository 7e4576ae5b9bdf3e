from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse


class SourceKind(models.TextChoices):
    PERSON = "person", "Person"
    GOVERNMENT = "government", "Government or official body"
    ORGANISATION = "organisation", "Organisation"
    AGENCY = "agency", "News agency"
    OUTLET = "outlet", "News outlet"
    DOCUMENT = "document", "Document"
    ANONYMOUS = "anonymous", "Anonymous official(s)"


class Source(models.Model):
    """Whoever makes claims or publishes evidence: a person, a body, an outlet, a document."""

    Kind = SourceKind

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    description = models.TextField(blank=True, max_length=2000)
    homepage = models.URLField(blank=True, max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="source_name_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(kind__in=SourceKind.values), name="source_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("source_detail", args=[self.pk])

    @property
    def is_person(self) -> bool:
        return self.kind in {self.Kind.PERSON, self.Kind.ANONYMOUS}


class SourceRevision(models.Model):
    """One change to a source: what its name, kind, description or homepage were and became.

    Published fact checks name their sources, so a rename is history, not an overwrite.
    Append-only: the database refuses UPDATE and DELETE (see this app's migrations).
    """

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["source", "number"]
        constraints = [
            models.UniqueConstraint(fields=["source", "number"], name="source_revision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} r{self.number}"

    @property
    def renamed(self) -> bool:
        return "name" in self.after and "name" in self.before

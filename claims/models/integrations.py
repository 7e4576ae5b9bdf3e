"""What partners' systems hold of the desk: API tokens, and cache purges waiting to be sent."""

from django.conf import settings
from django.db import models


class ApiTokenScope(models.TextChoices):
    READ = "read", "Read"
    WRITE = "write", "Read and write"


class ApiToken(models.Model):
    """A bearer token for an integration; it acts as its user, within its scope.

    Only a hash of the token is stored: the token itself is shown once, when it is made. The
    prefix (the token's first characters) lets a moderator recognise it in a list.
    """

    Scope = ApiTokenScope

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class CachePurge(models.Model):
    """Surrogate keys to purge from the HTTP cache, recorded with the change that stales them.

    Sent after commit; a cache that is down delays the purge and the sweep sends it again.
    """

    keys = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    purged_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"],
                name="cache_purge_pending_idx",
                condition=models.Q(purged_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"purge {' '.join(self.keys)}"

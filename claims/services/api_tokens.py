"""API tokens for integrations: made once and shown once, stored as a SHA-256 hash.

A token reads ``cd_<prefix>_<secret>``; the prefix is stored in clear so a moderator can
recognise a token in a list, the whole token only as its hash.
"""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.access import require_may_manage_tokens
from claims.models.integrations import ApiToken
from claims.validation import clean_text

TOKEN_START = "cd_"
MAX_EXPIRY_DAYS = 3650


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *,
    user,
    name: str,
    actor=None,
    scope: str = ApiToken.Scope.READ,
    expires_days: int | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``user``, and the token itself, which is never retrievable again.

    ``actor`` is the moderator making it in the admin; ``None`` for the management command,
    which only someone with a shell on the server can run.
    """
    if actor is not None:
        require_may_manage_tokens(actor)
    name = clean_text(name, field="name", max_length=100, required=True)
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": "Choose read or write."})
    expires_at = None
    if expires_days is not None:
        if not 1 <= int(expires_days) <= MAX_EXPIRY_DAYS:
            raise ValidationError({"expires_days": f"Between 1 and {MAX_EXPIRY_DAYS} days."})
        expires_at = timezone.now() + timedelta(days=int(expires_days))
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    record = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        key_hash=hash_token(token),
        scope=scope,
        created_by=actor,
        expires_at=expires_at,
    )
    return record, token


def api_token_verify(token: str) -> ApiToken | None:
    """The live token this string is, with its user, noting when it was used; else None."""
    if not token or not token.startswith(TOKEN_START) or len(token) > 200:
        return None
    record = ApiToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
    now = timezone.now()
    if record is None or record.revoked_at is not None or not record.user.is_active:
        return None
    if record.expires_at is not None and record.expires_at <= now:
        return None
    # One write a minute at most, so a busy integration does not write on every request.
    if record.last_used_at is None or now - record.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        record.last_used_at = now
    return record


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor=None) -> ApiToken:
    if actor is not None:
        require_may_manage_tokens(actor)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token

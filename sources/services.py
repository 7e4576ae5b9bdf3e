"""Writes to sources."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from claims.permissions import Action, require
from sources.models import Source


def _text(value, *, field: str) -> str:
    """Only text is accepted; anything else gets a clear error rather than a crash."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({field: "Must be text."})
    if "\x00" in value or not _is_unicode(value):
        raise ValidationError({field: "Text may not contain NUL or invalid characters."})
    return value.strip()


def _is_unicode(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, e.g. from a JSON body
        return False
    return True


@transaction.atomic
def source_create(
    *, name: str, actor, kind: str = Source.Kind.PERSON, description: str = "", homepage: str = ""
) -> Source:
    require(actor, Action.CREATE_SOURCE)
    name = _text(name, field="name")
    if not name:
        raise ValidationError({"name": "Give the source a name."})
    if len(name) > 200:
        raise ValidationError({"name": "Keep the name under 200 characters."})
    if kind not in Source.Kind.values:
        shown = kind[:40] if isinstance(kind, str) else "That"
        raise ValidationError({"kind": f"“{shown}” is not a kind of source."})
    description = _text(description, field="description")
    if len(description) > 2000:
        raise ValidationError({"description": "Keep the description under 2000 characters."})
    homepage = _text(homepage, field="homepage")
    if len(homepage) > 500:
        raise ValidationError({"homepage": "Keep the link under 500 characters."})
    if homepage:
        try:
            URLValidator(schemes=["http", "https"])(homepage)
        except ValidationError:
            raise ValidationError({"homepage": "Enter a valid http:// or https:// link."}) from None
    if Source.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"A source named “{name}” already exists."})
    return Source.objects.create(name=name, kind=kind, description=description, homepage=homepage)


def source_get_or_create(*, name: str, actor, kind: str = Source.Kind.PERSON) -> Source:
    """The source with this name, created when it is new (used by seeding and ingest)."""
    name = _text(name, field="name")
    # Longer names cannot exist (source_create refuses them), and SQLite's LIKE refuses
    # patterns past 50 kB.
    existing = Source.objects.filter(name__iexact=name).first() if len(name) <= 200 else None
    if existing:
        return existing
    return source_create(name=name, actor=actor, kind=kind)

"""Writes to sources."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from claims.permissions import Action, require
from sources.models import Source


@transaction.atomic
def source_create(
    *, name: str, actor, kind: str = Source.Kind.PERSON, description: str = "", homepage: str = ""
) -> Source:
    require(actor, Action.CREATE_SOURCE)
    name = (name or "").strip()
    if not name or "\x00" in name:
        raise ValidationError({"name": "Give the source a name."})
    if len(name) > 200:
        raise ValidationError({"name": "Keep the name under 200 characters."})
    if kind not in Source.Kind.values:
        raise ValidationError({"kind": f"“{kind}” is not a kind of source."})
    description = (description or "").strip()
    if len(description) > 2000 or "\x00" in description:
        raise ValidationError({"description": "Keep the description under 2000 characters."})
    homepage = (homepage or "").strip()
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
    existing = Source.objects.filter(name__iexact=(name or "").strip()).first()
    if existing:
        return existing
    return source_create(name=name, actor=actor, kind=kind)

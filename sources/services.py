"""Writes to sources. This app knows nothing of who is asking: the desk checks the actor's
permission (``claims.services.source_create``), the admin its model permissions."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max

from sources.models import Source, SourceRevision

MAX_NAME = 200
MAX_DESCRIPTION = 2000
MAX_HOMEPAGE = 500


def _text(value, *, field: str, max_length: int, message: str) -> str:
    """Only text is accepted; anything else gets a clear error rather than a crash."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({field: "Must be text."})
    if "\x00" in value or not _is_unicode(value):
        raise ValidationError({field: "Text may not contain NUL or invalid characters."})
    value = value.strip()
    if len(value) > max_length:
        raise ValidationError({field: message})
    return value


def _is_unicode(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, e.g. from a JSON body
        return False
    return True


def clean_source(*, name, kind, description, homepage, exclude_pk: int | None = None) -> dict:
    """The fields of a source as they will be stored, or a ValidationError by field; the
    admin's form runs it too, so a moderator sees the same errors as the desk."""
    name = _text(
        name, field="name", max_length=MAX_NAME, message="Keep the name under 200 characters."
    )
    if not name:
        raise ValidationError({"name": "Give the source a name."})
    if kind not in Source.Kind.values:
        shown = kind[:40] if isinstance(kind, str) else "That"
        raise ValidationError({"kind": f"“{shown}” is not a kind of source."})
    description = _text(
        description,
        field="description",
        max_length=MAX_DESCRIPTION,
        message="Keep the description under 2000 characters.",
    )
    homepage = _text(
        homepage,
        field="homepage",
        max_length=MAX_HOMEPAGE,
        message="Keep the link under 500 characters.",
    )
    if homepage:
        try:
            URLValidator(schemes=["http", "https"])(homepage)
        except ValidationError:
            raise ValidationError({"homepage": "Enter a valid http:// or https:// link."}) from None
    if Source.objects.filter(name__iexact=name).exclude(pk=exclude_pk).exists():
        raise ValidationError({"name": f"A source named “{name}” already exists."})
    return {"name": name, "kind": kind, "description": description, "homepage": homepage}


@transaction.atomic
def source_create(
    *,
    name: str,
    kind: str = Source.Kind.PERSON,
    description: str = "",
    homepage: str = "",
    actor=None,
) -> Source:
    """A new source, and the first revision of its history (``actor`` is who added it)."""
    fields = clean_source(name=name, kind=kind, description=description, homepage=homepage)
    source = Source.objects.create(**fields)
    SourceRevision.objects.create(source=source, number=1, actor=actor, after=fields)
    return source


@transaction.atomic
def source_update(
    *,
    source: Source,
    name: str,
    kind: str,
    description: str = "",
    homepage: str = "",
    actor=None,
) -> Source:
    """Change a source and write the revision that says what it was and became: a rename
    shows in the history of every claim the source made."""
    fields = clean_source(
        name=name, kind=kind, description=description, homepage=homepage, exclude_pk=source.pk
    )
    source = Source.objects.select_for_update().get(pk=source.pk)
    changed = [field for field, value in fields.items() if getattr(source, field) != value]
    if not changed:
        return source
    before = {field: getattr(source, field) for field in changed}
    for field in changed:
        setattr(source, field, fields[field])
    source.save(update_fields=changed)
    last = source.revisions.aggregate(number=Max("number"))["number"] or 0
    SourceRevision.objects.create(
        source=source,
        number=last + 1,
        actor=actor,
        before=before,
        after={field: fields[field] for field in changed},
    )
    return source


def source_named(name: str) -> Source | None:
    """The source of that name, whatever its case."""
    name = _text(name, field="name", max_length=2**31, message="")
    # Longer names cannot exist (source_create refuses them), and SQLite's LIKE refuses
    # patterns past 50 kB.
    return Source.objects.filter(name__iexact=name).first() if len(name) <= MAX_NAME else None

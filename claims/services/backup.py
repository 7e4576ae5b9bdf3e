"""Export every record of the desk as JSON lines, and restore them into an empty database.

The first line names the format; then come the usernames the records refer to (users travel
by username only: no e-mail, no password hash), then one line per row, parents before
children, with every field as stored (ids and timestamps included). Claim, figure, story
and source revisions are append-only, and inserting them is allowed, so a restore inserts rows
exactly as they were.
"""

import json
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO

from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from claims.models import (
    Attribution,
    Claim,
    Evidence,
    Figure,
    FigureRevision,
    Note,
    Revision,
    StatusCount,
    Story,
    StoryRevision,
)
from sources.models import Source, SourceRevision

FORMAT = "claimdesk-export"
# Version 2: figures and their revisions; a claim reports a figure's value.
FORMAT_VERSION = 2
# Parents before children, so every foreign key points to a row already restored (the
# claim-to-claim link of a supersession, and a figure's to the one it was merged into, are
# checked at commit).
MODELS: list[type[models.Model]] = [
    Source,
    SourceRevision,
    Story,
    StoryRevision,
    StatusCount,
    Figure,
    FigureRevision,
    Claim,
    Attribution,
    Evidence,
    Revision,
    Note,
]
USER_LABEL = "auth.user"
LABELS = {model._meta.label_lower: model for model in MODELS}
# The keys of each kind of line export_all writes; a restore takes nothing else.
RECORD_KEYS = {USER_LABEL: {"model", "username"}} | {
    label: {"model", "pk", "fields"} for label in LABELS
}
USER_FIELDS = {
    SourceRevision: ["actor"],
    StoryRevision: ["actor"],
    Figure: ["created_by"],
    FigureRevision: ["actor"],
    Claim: ["assignee", "created_by"],
    Attribution: ["added_by"],
    Evidence: ["added_by"],
    Revision: ["actor"],
    Note: ["author"],
}
BATCH = 500


class ImportRefused(Exception):
    """The file or the database is not fit for a restore; nothing was written."""


class _Encoder(json.JSONEncoder):
    """Full-precision timestamps (Django's encoder drops microseconds) and exact decimals."""

    def default(self, o):
        if isinstance(o, datetime | date | time):
            return o.isoformat()
        if isinstance(o, Decimal):
            return str(o)
        return super().default(o)


def _line(record: dict) -> str:
    return json.dumps(record, cls=_Encoder, ensure_ascii=False) + "\n"


def referenced_usernames() -> list[str]:
    user_ids: set[int] = set()
    for model, fields in USER_FIELDS.items():
        for field in fields:
            user_ids.update(
                model.objects.exclude(**{f"{field}__isnull": True})
                .values_list(f"{field}_id", flat=True)
                .distinct()
            )
    User = get_user_model()
    return sorted(User.objects.filter(pk__in=user_ids).values_list(User.USERNAME_FIELD, flat=True))


def _batches(queryset) -> Iterator[list]:
    batch = []
    for obj in queryset.iterator(chunk_size=BATCH):
        batch.append(obj)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def export_all(stream: IO[str]) -> Counter:
    """Write the whole desk to ``stream``; return how many rows of each model were written."""
    counts: Counter = Counter()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # One consistent snapshot while the desk keeps writing.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        stream.write(
            _line({"format": FORMAT, "version": FORMAT_VERSION, "exported_at": timezone.now()})
        )
        for username in referenced_usernames():
            stream.write(_line({"model": USER_LABEL, "username": username}))
            counts[USER_LABEL] += 1
        for model in MODELS:
            for batch in _batches(model.objects.order_by("pk")):
                for record in serializers.serialize("python", batch, use_natural_foreign_keys=True):
                    stream.write(_line(record))
                    counts[record["model"]] += 1
    return counts


def _records(stream: IO[str]) -> Iterator[tuple[int, dict]]:
    """Each record with its line number, once the header shows the file is an export."""
    header = None
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as error:
            raise ImportRefused(f"Line {number} is not JSON: {error.msg}.") from None
        if header is None:
            header = record
            if isinstance(header, dict) and header.get("format") == FORMAT:
                _check_version(header.get("version"))
            else:
                raise ImportRefused(f"This is not a {FORMAT} file (made by manage.py export_all).")
            continue
        yield number, _checked(number, record)
    if header is None:
        raise ImportRefused("The file is empty.")


def _check_version(version) -> None:
    if version != FORMAT_VERSION:
        raise ImportRefused(
            f"This export is of version {str(version)[:20]}; this Claimdesk restores version "
            f"{FORMAT_VERSION} only (figures replaced claim quantities in version 2). Restore "
            "it with the Claimdesk that wrote it, migrate, and export again."
        )


def _checked(number: int, record) -> dict:
    """A record as export_all writes it; anything else refuses the whole file.

    The labels are matched exactly: Django would also take ``auth.User`` or any other
    installed model, with every field, password hashes included.
    """
    label = record.get("model") if isinstance(record, dict) else None
    if not isinstance(label, str) or label not in RECORD_KEYS:
        raise ImportRefused(
            f"Line {number}: {label!r:.80} is not one of the models export_all writes "
            f"({', '.join(RECORD_KEYS)})."
        )
    if set(record) != RECORD_KEYS[label]:
        raise ImportRefused(
            f"Line {number}: a {label} line holds exactly {', '.join(sorted(RECORD_KEYS[label]))}."
        )
    if label == USER_LABEL:
        if not isinstance(record["username"], str):
            raise ImportRefused(f"Line {number}: the username is not text.")
        return record
    if not isinstance(record["fields"], dict):
        raise ImportRefused(f"Line {number}: the fields are not an object.")
    model = LABELS[label]
    if unknown := set(record["fields"]) - {f.name for f in model._meta.concrete_fields}:
        raise ImportRefused(
            f"Line {number}: {label} has no field {', '.join(sorted(map(str, unknown)))}."
        )
    return record


def existing_rows() -> dict[str, int]:
    return {model._meta.label_lower: count for model in MODELS if (count := model.objects.count())}


def _ensure_user(username: str, counts: Counter) -> None:
    """Users travel by name; one missing here is created inactive, without a password."""
    User = get_user_model()
    if User.objects.filter(**{User.USERNAME_FIELD: username}).exists():
        return
    user = User(**{User.USERNAME_FIELD: username, "is_active": False})
    user.set_unusable_password()
    user.save()
    counts["auth.user created"] += 1


def _check_users(number: int, record: dict, named: set[str]) -> None:
    """A row names its users as export_all writes them, by a username the file lists: never
    by an id, which would attach the row to whoever holds that id here."""
    model = LABELS[record["model"]]
    for field in USER_FIELDS.get(model, []):
        value = record["fields"].get(field)
        if value is None:
            continue
        if not (isinstance(value, list) and len(value) == 1 and value[0] in named):
            raise ImportRefused(
                f"Line {number}: {record['model']}.{field} must name a user listed in the "
                "file, by username."
            )


def _insert(number: int, record: dict, counts: Counter) -> None:
    try:
        obj = next(serializers.deserialize("python", [record])).object
    except DeserializationError as error:
        raise ImportRefused(f"Line {number}: {error}") from None
    # raw: keep auto_now timestamps as exported; force_insert: the rows are new.
    try:
        with transaction.atomic():
            type(obj).save_base(obj, raw=True, force_insert=True)
    except IntegrityError as error:
        raise ImportRefused(f"Line {number}: the database refused it ({error}).") from None
    counts[obj._meta.label_lower] += 1


def _reset_sequences() -> None:
    """New rows after a restore get ids above the restored ones."""
    statements = connection.ops.sequence_reset_sql(no_style(), MODELS)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@transaction.atomic
def import_all(stream: IO[str]) -> Counter:
    """Restore an export into an empty database, all or nothing.

    A refusal at any line rolls back every row restored before it.
    """
    present = existing_rows()
    if present:
        held = ", ".join(f"{count} {label}" for label, count in present.items())
        raise ImportRefused(
            f"The database is not empty (it holds {held}). import_all restores only into an "
            "empty, freshly migrated database."
        )
    counts: Counter = Counter()
    named: set[str] = set()
    for number, record in _records(stream):
        if record["model"] == USER_LABEL:
            _ensure_user(record["username"], counts)
            named.add(record["username"])
        else:
            _check_users(number, record, named)
            _insert(number, record, counts)
    _reset_sequences()
    return counts

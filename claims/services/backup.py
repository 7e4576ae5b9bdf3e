"""Export every record of the desk as JSON lines, and restore them into an empty database.

The first line names the format; then come the usernames the records refer to (users travel
by username only: no e-mail, no password hash), then one line per row, parents before
children, with every field as stored (ids and timestamps included). Revisions are
append-only, and inserting them is allowed, so a restore inserts rows exactly as they were.
"""

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO

from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from claims.models import Attribution, Claim, Evidence, Note, Revision, StatusCount, Story
from sources.models import Source

FORMAT = "claimdesk-export"
FORMAT_VERSION = 1
# Parents before children, so every foreign key points to a row already restored (the
# claim-to-claim link of a supersession is checked at commit).
MODELS: list[type[models.Model]] = [
    Source,
    Story,
    StatusCount,
    Claim,
    Attribution,
    Evidence,
    Revision,
    Note,
]
USER_FIELDS = {
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
            stream.write(_line({"model": "auth.user", "username": username}))
            counts["auth.user"] += 1
        for model in MODELS:
            for batch in _batches(model.objects.order_by("pk")):
                for record in serializers.serialize("python", batch, use_natural_foreign_keys=True):
                    stream.write(_line(record))
                    counts[record["model"]] += 1
    return counts


def _records(stream: IO[str]) -> Iterator[dict]:
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
            if header.get("format") != FORMAT or header.get("version") != FORMAT_VERSION:
                raise ImportRefused(
                    f"This is not a {FORMAT} file of version {FORMAT_VERSION} "
                    "(made by manage.py export_all)."
                )
            continue
        yield record
    if header is None:
        raise ImportRefused("The file is empty.")


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


def _insert(records: Iterable[dict], counts: Counter) -> None:
    for deserialized in serializers.deserialize("python", records):
        obj = deserialized.object
        # raw: keep auto_now timestamps as exported; force_insert: the rows are new.
        type(obj).save_base(obj, raw=True, force_insert=True)
        counts[obj._meta.label_lower] += 1


def _reset_sequences() -> None:
    """New rows after a restore get ids above the restored ones."""
    statements = connection.ops.sequence_reset_sql(no_style(), MODELS)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@transaction.atomic
def import_all(stream: IO[str]) -> Counter:
    """Restore an export into an empty database, all or nothing."""
    present = existing_rows()
    if present:
        held = ", ".join(f"{count} {label}" for label, count in present.items())
        raise ImportRefused(
            f"The database is not empty (it holds {held}). import_all restores only into an "
            "empty, freshly migrated database."
        )
    counts: Counter = Counter()
    batch: list[dict] = []
    for record in _records(stream):
        if record.get("model") == "auth.user":
            _ensure_user(record["username"], counts)
            continue
        batch.append(record)
        if len(batch) == BATCH:
            _insert(batch, counts)
            batch = []
    _insert(batch, counts)
    _reset_sequences()
    return counts

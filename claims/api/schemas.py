"""What the API reads and writes: unknown fields refused, limits as on the desk."""

from datetime import datetime
from decimal import Decimal

from ninja import Schema
from pydantic import ConfigDict, Field


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class AttributionOut(Schema):
    id: int
    source_id: int
    source: str
    quote: str
    url: str
    outlet: str
    said_at: datetime | None


class EvidenceOut(Schema):
    id: int
    stance: str
    url: str
    excerpt: str
    source_id: int | None
    capture_status: str
    created_at: datetime


class ClaimOut(Schema):
    id: int
    story: str
    text: str
    status: str
    rationale: str
    version: int
    is_hidden: bool
    figure_id: int | None
    value: Decimal | None
    value_high: Decimal | None
    approximation: str
    superseded_by_id: int | None
    evidence_count: int
    created_at: datetime
    changed_at: datetime
    attributions: list[AttributionOut] = []
    evidence: list[EvidenceOut] = []


class ClaimRow(Schema):
    id: int
    story: str
    text: str
    status: str
    version: int
    is_hidden: bool
    changed_at: datetime


class ClaimPage(Schema):
    items: list[ClaimRow]
    next_cursor: str


class ClaimIn(Strict):
    story: str = Field(max_length=120, description="The story's slug.")
    text: str = Field(max_length=2000)
    note: str = Field("", max_length=5000)


class ClaimPatch(Strict):
    text: str | None = Field(None, max_length=2000)
    note: str = Field("", max_length=5000)
    keep_ruling: bool = False


class StatusIn(Strict):
    status: str = Field(max_length=20)
    rationale: str = Field("", max_length=5000)


class SupersedeIn(Strict):
    by: int
    note: str = Field("", max_length=5000)


class EvidenceIn(Strict):
    url: str = Field(max_length=1000)
    stance: str = Field(max_length=10)
    excerpt: str = Field("", max_length=5000)
    source_id: int | None = None


class AttributionIn(Strict):
    source_id: int
    quote: str = Field("", max_length=5000)
    url: str = Field("", max_length=1000)
    outlet: str = Field("", max_length=200)
    said_at: datetime | None = None


class NoteIn(Strict):
    note: str = Field("", max_length=5000)


class RevisionOut(Schema):
    number: int
    kind: str
    actor: str | None
    created_at: datetime
    redacted: bool
    before: dict | None
    after: dict | None
    note: str


class StoryOut(Schema):
    slug: str
    title: str
    description: str
    is_public: bool
    time_zone: str
    version: int


class StoryIn(Strict):
    title: str = Field(max_length=300)
    slug: str = Field("", max_length=120)
    description: str = Field("", max_length=5000)
    is_public: bool = False


class StoryPublicIn(Strict):
    is_public: bool


class SourceOut(Schema):
    id: int
    name: str
    kind: str
    description: str
    homepage: str


class SourceIn(Strict):
    name: str = Field(max_length=200)
    kind: str = Field("person", max_length=20)
    description: str = Field("", max_length=5000)
    homepage: str = Field("", max_length=1000)


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: dict[str, list[str]] | None = None
    current_version: int | None = None
    changed_by: str | None = None

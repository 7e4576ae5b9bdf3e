"""What the API reads and writes: unknown fields refused, limits as on the desk."""

from datetime import datetime
from decimal import Decimal

from ninja import Schema
from pydantic import ConfigDict, Field, field_validator


class Strict(Schema):
    """A request body: unknown fields refused, and text that no database column can hold."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("Text cannot contain NUL characters.")
        return value


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


class ReportOut(Schema):
    claim_id: int
    text: str
    status: str
    value: Decimal
    value_high: Decimal | None
    approximation: str
    shown: str = Field(description="The value in the figure's unit, as pages show it.")
    source: str | None
    said_at: datetime
    superseded_by_id: int | None


class FigureOut(Schema):
    id: int
    subject: str
    kind: str
    unit: str
    state: str = Field(description="current, disagree (standing reports differ) or none.")
    current_claim_id: int | None
    disagreeing_claim_ids: list[int]
    series: list[ReportOut] = Field(description="Every report of the figure, oldest first.")


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
    superseded_by_id: int | None = Field(description="The claim that replaced this one.")
    supersedes: list[int] = Field(description="The claims this one replaced.")
    evidence_count: int
    created_at: datetime
    changed_at: datetime
    attributions: list[AttributionOut] = []
    evidence: list[EvidenceOut] = []
    figure: FigureOut | None = Field(description="The figure the claim reports a value of.")


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


class Report(Strict):
    figure_id: int | None = Field(None, description="A figure of the claim's story.")
    value: Decimal | None = Field(None, max_digits=24, decimal_places=6)
    value_high: Decimal | None = Field(None, max_digits=24, decimal_places=6)
    approximation: str = Field("", max_length=10)
    confirm_mismatch: bool = Field(False, description="Keep a value the words do not state.")


class ClaimIn(Report):
    story: str = Field(max_length=120, description="The story's slug.")
    text: str = Field(max_length=2000)
    note: str = Field("", max_length=5000)


class ClaimPatch(Report):
    """Only the fields sent change; ``figure_id: null`` takes the claim off its figure."""

    text: str = Field(None, max_length=2000)
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


class StoryRow(StoryOut):
    id: int


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
    changed_at: datetime | None = None


class StoryPage(Schema):
    items: list[StoryRow]
    next_cursor: str


class SourcePage(Schema):
    items: list[SourceOut]
    next_cursor: str

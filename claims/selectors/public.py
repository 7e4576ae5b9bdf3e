"""Reads for the public pages: the story index and a story's claims a page at a time, with
what their cache keys need, a claim's attributions and evidence, its corrections trail, what
a ClaimReview needs, and what a figure's page and feed are cached under.

What a reader may see is decided in ``claims.access`` (``public_*``); everything here reads
only claims reached through it.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from claims import access
from claims.lib.keyset import KeysetPage, Position, keyset_page
from claims.lib.prepared import run_prepared
from claims.models import VERDICTS, Attribution, Claim, Evidence, Figure, Revision, Story
from claims.models.choices import Approximation
from claims.selectors.desk import source_renames
from claims.selectors.diffs import Change, Names, revision_changes, revision_names
from claims.selectors.redactions import hidden_words, mask, redactions_of
from sources.models import SourceRevision

REPLACEMENT_KINDS = (Revision.Kind.SUPERSEDED, Revision.Kind.MERGED)
STORY_PAGE_SIZE = 50
INDEX_PAGE_SIZE = 50


# Story index and story pages, newest first ----------------------------------------------


def index_marks() -> tuple:
    """When any story last changed, and how many there are: private ones count, since
    publishing a story or taking it off the site changes the index. The index shows each
    story's latest ruling, so the newest change to any claim counts too (one query: the
    claims' newest change is read once, through the queue's index)."""
    newest_claim = Claim.objects.order_by("-changed_at", "-id").values("changed_at")[:1]
    marks = Story.objects.aggregate(
        changed=Max("updated_at"), stories=Count("id"), claims=Max(Subquery(newest_claim))
    )
    return marks["changed"], marks["stories"], marks["claims"]


def index_position(*, after: str, before: str) -> Position:
    return Position.read(after=after, before=before, scope="public-story-index")


def index_page(position: Position) -> KeysetPage:
    """A page of public stories, newest first, each with the time of its latest ruling
    (``latest_ruling_at``: a verdict or a replacement on a claim readers see)."""
    stories = access.public_stories().annotate(latest_ruling_at=Subquery(_latest_ruling()))
    return keyset_page(stories, position, limit=INDEX_PAGE_SIZE, time_field="created_at")


def _latest_ruling() -> QuerySet[Revision]:
    # What the feeds publish as rulings: a verdict, or the replaced claim's supersession.
    rulings = Q(kind=Revision.Kind.STATUS, after__status__in=VERDICTS) | Q(
        kind__in=REPLACEMENT_KINDS, after__status=Claim.Status.SUPERSEDED
    )
    return (
        Revision.objects.filter(access.public_claim_q("claim__"), rulings)
        .filter(claim__story=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )


def public_story_with_marks(slug: str) -> Story:
    """The public story of this slug, or the same 404 as ``access_public_story_by_slug``,
    read with the time and id of the newest change to any of its claims (``claims_changed_at``,
    ``claims_changed_id``): hidden claims count, since hiding one drops it from the page. Its
    figures and the sources of their reports show too: ``figures_changed_at`` and
    ``sources_changed`` mark their newest change."""
    newest = Claim.objects.filter(story=OuterRef("pk")).order_by("-changed_at", "-id")
    figures = Figure.objects.filter(story=OuterRef("pk")).order_by("-changed_at", "-id")
    story = (
        access.public_stories()
        .filter(slug=slug)
        .annotate(
            claims_changed_at=Subquery(newest.values("changed_at")[:1]),
            claims_changed_id=Subquery(newest.values("id")[:1]),
            figures_changed_at=Subquery(figures.values("changed_at")[:1]),
            figures_changed_id=Subquery(figures.values("id")[:1]),
            sources_changed=_newest_source_change(),
        )
        .first()
    )
    if story is None:
        raise Http404("No such story.")
    return story


def story_position(story: Story, *, after: str, before: str) -> Position:
    """Where a page of the story's claims starts; a cursor of another story's reads as none."""
    return Position.read(after=after, before=before, scope=f"public-story:{story.pk}")


def story_page(story: Story, position: Position) -> KeysetPage:
    """A page of the story's visible claims, newest change first."""
    return keyset_page(access.public_story_claims(story), position, limit=STORY_PAGE_SIZE)


def public_attributions(claim: Claim) -> list[Attribution]:
    rows = access.published_with_ruling(claim, claim.attributions.select_related("source"))
    return sort_attributions(rows)


def sort_attributions(rows) -> list[Attribution]:
    # Undated attributions last on every database (SQLite and PostgreSQL sort NULL apart).
    return sorted(rows, key=lambda a: (a.said_at is None, a.said_at or 0, a.pk))


def public_evidence(claim: Claim) -> list[Evidence]:
    rows = claim.evidence.select_related("source").order_by("created_at", "id")
    return access.published_with_ruling(claim, rows)


# Corrections trail ------------------------------------------------------------------------


@dataclass(frozen=True)
class TrailEntry:
    number: int
    kind: str
    created_at: datetime
    changes: list[Change] = field(default_factory=list)
    note: str = ""  # the desk's public word on a correction (a figure typo fixed)


def trail_revisions() -> QuerySet[Revision]:
    return Revision.objects.filter(kind__in=access.PUBLIC_REVISION_KINDS).order_by("number")


def public_trail(claim: Claim, *, sources: set[int]) -> list[TrailEntry]:
    """The claim's public revisions, and the renames of the ``sources`` it shows readers
    (its published attributions' and evidence's), oldest first.

    Figures and replacing claims are named as a reader may see them; the claim's own figure
    and its replacement (loaded with the claim) need no query."""
    revisions = list(trail_revisions().filter(claim=claim))
    known = [row for row in (claim.figure, access.public_replacement(claim)) if row is not None]
    names = revision_names(
        revisions,
        figures=Figure.objects.filter(story_id=claim.story_id),
        claims=access.public_claims().filter(story_id=claim.story_id),
        public=True,
        known=known,
    )
    entries = trail_entries(revisions, names=names)
    renames = [
        TrailEntry(0, SOURCE_RENAMED, rename.created_at, [_rename_change(rename)])
        for rename in (source_renames(claim=claim, sources=sources) if sources else [])
    ]
    return sorted(entries + renames, key=lambda entry: entry.created_at)


def trail_entries(revisions, *, names: Names | None = None) -> list[TrailEntry]:
    """Public revisions, oldest first, with only reader-safe fields (never actors, and no
    note but a figure typo's correction); words a moderator redacted read as the
    redaction's notice."""
    revisions = list(revisions)
    redactions = redactions_of(revision.pk for revision in revisions)
    words, notice = hidden_words(redactions)
    entries = []
    for revision in revisions:
        changes = _public_changes(revision, names)
        if changes:
            changes = mask(changes, words, notice)
            note = _public_note(revision, redactions.get(revision.pk))
            entries.append(
                TrailEntry(revision.number, revision.kind, revision.created_at, changes, note)
            )
    return entries


def _public_changes(revision: Revision, names: Names | None) -> list[Change]:
    # Ids not read for a reader are never shown to one.
    changes = revision_changes(revision.before, revision.after, public=True, names=names or Names())
    if revision.kind == Revision.Kind.CREATED:
        # A new claim has no "before"; only the fields it was logged with are news, and an
        # exact value is no news beside the value itself.
        changes = [
            c for c in changes if c.after != "—" and (c.field, c.after) != ("approximation", _EXACT)
        ]
    return changes


_EXACT = Approximation.EXACT.label


def _public_note(revision: Revision, redaction) -> str:
    """A figure typo's correction is published with the desk's reason; no other note is."""
    if revision.kind != Revision.Kind.VALUE_FIXED:
        return ""
    if redaction is not None and "note" in redaction.parts:
        return redaction.notice
    return revision.note


SOURCE_RENAMED = "source_renamed"


def _rename_change(rename) -> Change:
    return Change("source", "Source", rename.before["name"], rename.after["name"])


def public_story_reviewable(story: Story, statuses) -> QuerySet[Claim]:
    """A story's visible claims in the given statuses, with what a ClaimReview needs."""
    return (
        access.public_story_claims(story)
        .filter(status__in=list(statuses))
        .select_related("story")
        .prefetch_related(
            Prefetch("attributions", queryset=Attribution.objects.select_related("source")),
            Prefetch("revisions", queryset=trail_revisions()),
        )
        .order_by("id")
    )


def review_dates(trail: list[TrailEntry]) -> tuple[datetime | None, datetime | None]:
    """When the desk first ruled on the claim, and when its public record last changed."""
    ruled = [
        e.created_at
        for e in trail
        if e.kind == Revision.Kind.STATUS
        and any(c.field == "status" and c.after in _verdict_labels() for c in e.changes)
    ]
    first_ruled = min(ruled) if ruled else None
    modified = max((e.created_at for e in trail), default=None)
    return first_ruled, modified


def _verdict_labels() -> set[str]:
    return {Claim.Status(v).label for v in VERDICTS}


# Figure pages -----------------------------------------------------------------------------


def _newest_source_change() -> Subquery:
    """The newest change to any source: the pages name the sources of reports."""
    return Subquery(SourceRevision.objects.order_by("-pk").values("pk")[:1])


@dataclass(frozen=True)
class FigureMarks:
    """What a public figure's page and feed change with; ``published`` is whether it has a
    report a reader may see (a figure without one has no public page)."""

    key: tuple
    published: bool
    last_changed: datetime | None


MARK_FIELDS = ("reports_changed_at", "reports_changed_id", "sources_changed", "published")


def figure_mark_annotations() -> dict:
    """What a figure's marks read beside the figure: its reports' newest change (hidden ones
    too: hiding one drops it), the sources' newest change, and whether a reader sees one."""
    newest = Claim.objects.filter(figure=OuterRef("pk")).order_by("-changed_at", "-id")
    shown = Claim.objects.filter(access.public_claim_q(), figure=OuterRef("pk"))
    return {
        "reports_changed_at": Subquery(newest.values("changed_at")[:1]),
        "reports_changed_id": Subquery(newest.values("id")[:1]),
        "sources_changed": _newest_source_change(),
        "published": Exists(shown),
    }


def marks_of(figure: Figure) -> FigureMarks:
    """The marks of a figure read with ``figure_mark_annotations``."""
    values = [figure.version, figure.changed_at, *(getattr(figure, f) for f in MARK_FIELDS)]
    times = [t for t in (figure.changed_at, figure.reports_changed_at) if t is not None]
    return FigureMarks(tuple(values), figure.published, max(times, default=None))


def figure_marks(figure: Figure) -> FigureMarks:
    """The figure's marks, read in one query."""
    return marks_of(Figure.objects.annotate(**figure_mark_annotations()).get(pk=figure.pk))


# A public claim page's marks run on every request (a 304, or a page from the page cache, is
# that query and a cache read), so they run prepared (claims.lib.prepared).
_CLAIM_PAGE_PLACEHOLDER = -918_273_646


def _claim_page_marks_query(pk):
    return (
        access.public_claims()
        .filter(pk=pk)
        .values("id", "version", "changed_at", "text", "story_id", "figure_id",
                "superseded_by_id")
        .annotate(
            story_updated_at=F("story__updated_at"),
            replacement_version=F("superseded_by__version"),
            replacement_changed_at=F("superseded_by__changed_at"),
            sources_changed=_newest_source_change(),
        )
    )  # fmt: skip


def claim_page_marks(claim_id: int) -> dict | None:
    """What a public claim's page changes with, in one prepared query; None when no reader
    may see the claim."""
    if not 0 < claim_id <= access.MAX_ID:
        return None
    return run_prepared(
        ("public-claim-page",), _claim_page_marks_query, _CLAIM_PAGE_PLACEHOLDER, claim_id,
        texts=frozenset({"text"}),
    )  # fmt: skip

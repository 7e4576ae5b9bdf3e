"""Reads for the desk's pages: one claim and its timeline, evidence and notes; claims that
read alike; a story's claims; a source's record.

Which claims a user sees comes from ``claims.access.visible_claims``.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Greatest

from claims.access import visible_claims
from claims.models import Attribution, Claim, Evidence, IngestJob, Note, Revision, Story, Watch
from claims.selectors.diffs import Change, revision_changes
from claims.selectors.queue import uses_postgres, words
from claims.selectors.redactions import hidden_words, mask, redactions_of
from sources.models import Source, SourceRevision


@dataclass
class TimelineEntry:
    revision: Revision
    changes: list[Change] = field(default_factory=list)
    # What a redaction hides from this reader ("text", "note", "actor"), and its notice.
    hidden: frozenset[str] = frozenset()
    notice: str = ""
    # For moderators, who see everything: what the others do not.
    redacted_for_others: str = ""


def claim_timeline(*, claim: Claim, reveal: bool = False) -> list[TimelineEntry]:
    """Every revision, newest first, with a readable diff of what it changed; what
    moderators redacted is replaced by a notice unless ``reveal`` (moderators see all)."""
    revisions = Revision.objects.filter(claim=claim).select_related("actor").order_by("-number")
    return timeline_entries(claim, revisions, reveal=reveal)


def timeline_entries(claim: Claim, revisions, *, reveal: bool) -> list[TimelineEntry]:
    """Entries for these revisions of the claim, with its redactions applied (a text
    redaction hides those words wherever they show in the claim's history)."""
    revisions = list(revisions)
    redactions = redactions_of(claim=claim)
    words, notice = hidden_words(redactions) if not reveal else (frozenset(), "")
    entries = []
    for revision in revisions:
        entry = TimelineEntry(revision, mask(_readable_changes(revision), words, notice))
        redaction = redactions.get(revision.pk)
        if redaction and reveal:
            entry.redacted_for_others = ", ".join(sorted(redaction.parts))
        elif redaction:
            entry.hidden, entry.notice = redaction.parts, redaction.notice
        entries.append(entry)
    return entries


def _readable_changes(revision: Revision) -> list[Change]:
    changes = revision_changes(revision.before, revision.after)
    if revision.kind == Revision.Kind.CREATED:
        # A new claim has no "before": list only the fields it was created with.
        return [change for change in changes if change.after != "—"]
    return changes


def claim_evidence_by_stance(*, claim: Claim) -> list[tuple[str, list[Evidence]]]:
    evidence = Evidence.objects.filter(claim=claim).select_related("source").for_display()
    by_stance = {stance: [] for stance in Evidence.Stance.values}
    for item in evidence:
        by_stance[item.stance].append(item)
    return [(label, by_stance[value]) for value, label in Evidence.Stance.choices]


def claim_attributions(*, claim: Claim) -> list[Attribution]:
    return list(Attribution.objects.filter(claim=claim).select_related("source"))


def claim_replaces(*, user, claim: Claim) -> list[Claim]:
    """The claims this one replaced (57 replaced 63), as far as the user may see them."""
    return list(visible_claims(user).filter(superseded_by=claim).for_display().order_by("id"))


def claim_notes(*, claim: Claim) -> list[Note]:
    return list(Note.objects.filter(claim=claim).select_related("author"))


def similar_claims(
    *, user, story: Story, text: str, exclude_id: int | None = None, limit: int = 6
) -> list[Claim]:
    """Claims in the story that read like ``text``: near-duplicates or replacements.

    PostgreSQL ranks by trigram word similarity (pg_trgm, indexed); SQLite counts the
    words the two share.
    """
    # NUL cannot be sent to PostgreSQL, and a typed search should never fail over it.
    text = text.replace("\x00", " ").strip()[:500]
    if len(words(text)) == 0:
        return []
    claims = visible_claims(user).filter(story=story).select_related("story")
    if exclude_id is not None:
        claims = claims.exclude(pk=exclude_id)
    if text.isascii() and text.isdigit():  # "²".isdigit() is true, but int("²") fails
        by_number = list(claims.filter(pk=int(text))[:1])
        if by_number:
            return by_number
    if uses_postgres():
        similarity = Greatest(
            TrigramWordSimilarity(Value(text), "text"), TrigramWordSimilarity("text", Value(text))
        )
        matches = claims.filter(
            Q(text__trigram_word_similar=text) | Q(text__trigram_similar=text)
        ).annotate(similarity=similarity)
        return list(matches.order_by("-similarity", "-id")[:limit])
    return _similar_bywords(claims, text, limit)


def _similar_bywords(claims: QuerySet[Claim], text: str, limit: int) -> list[Claim]:
    wanted = set(words(text))
    scored = []
    for claim in claims.order_by("-changed_at", "-id")[:500]:
        shared = wanted & set(words(claim.text))
        score = len(shared) / max(len(wanted), 1)
        if shared and score >= 0.3:
            scored.append((score, claim.pk, claim))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    return [claim for _, _, claim in scored[:limit]]


# Stories and sources -------------------------------------------------------------------------


STORY_CLAIM_LIMIT = 300


def story_claims_by_status(*, user, story: Story) -> list[tuple[str, str, list[Claim]]]:
    """The story's latest claims grouped by status, in the order of the status list."""
    claims = (
        visible_claims(user)
        .filter(story=story, is_hidden=False)
        .select_related("assignee")
        .order_by("-changed_at", "-id")[:STORY_CLAIM_LIMIT]
    )
    by_status = {value: [] for value in Claim.Status.values}
    for claim in claims:
        by_status[claim.status].append(claim)
    return [(value, label, by_status[value]) for value, label in Claim.Status.choices]


def story_status_events(*, story: Story) -> list[tuple[datetime, int, str]]:
    """(time, claim id, new status) for each claim's creation and each ruling, oldest first."""
    kinds = [
        Revision.Kind.CREATED,
        Revision.Kind.STATUS,
        Revision.Kind.SUPERSEDED,
        Revision.Kind.MERGED,
    ]
    rows = (
        Revision.objects.filter(claim__story=story, claim__is_hidden=False, kind__in=kinds)
        .order_by("created_at", "id")
        .values_list("created_at", "claim_id", "kind", "after")
    )
    events = []
    # The replacing claim's own revision says only what it replaces: no status of its own.
    for created_at, claim_id, kind, after in rows:
        status = Claim.Status.UNVERIFIED if kind == Revision.Kind.CREATED else after.get("status")
        if status in Claim.Status.values:
            events.append((created_at, claim_id, status))
    return events


SOURCE_ATTRIBUTION_LIMIT = 200


def source_attributions(*, user, source: Source) -> list[Attribution]:
    """What the source said, newest first, with each claim's ruling."""
    visible = visible_claims(user).filter(is_hidden=False)
    return list(
        Attribution.objects.filter(source=source, claim__in=visible)
        .select_related("claim", "claim__story")
        .order_by(F("said_at").desc(nulls_last=True), "-id")[:SOURCE_ATTRIBUTION_LIMIT]
    )


def source_rulings(*, user, source: Source) -> list[tuple[str, str, int]]:
    """How many of the source's claims stand in each status."""
    attributed = Attribution.objects.filter(claim=OuterRef("pk"), source=source)
    claims = visible_claims(user).filter(Exists(attributed), is_hidden=False)
    totals = {
        status: count
        for status, count in claims.values_list("status").annotate(n=Count("id")).order_by()
    }
    return [
        (value, label, totals[value]) for value, label in Claim.Status.choices if value in totals
    ]


RECENT_SOURCES = 40
RECENT_ROWS = 200
RECENT_SECONDS = 60


def recent_source_names(*, limit: int = RECENT_SOURCES) -> list[str]:
    """Names of the sources the desk attributed or cited lately, for the forms' suggestions.

    One query over the newest attributions and evidence, whatever the number of sources,
    shared by every request for RECENT_SECONDS: a new source joins the suggestions within it.
    """
    key = f"recent-source-names:{limit}"
    names = cache.get(key)
    if names is None:
        names = _recent_source_names(limit)
        cache.set(key, names, RECENT_SECONDS)
    return names


def _recent_source_names(limit: int) -> list[str]:
    attributed = Attribution.objects.order_by("-id").values("source_id")[:RECENT_ROWS]
    # Bounded by rows, not by a filter: evidence without a source must not make it scan on.
    cited = Evidence.objects.order_by("-id").values("source_id")[:RECENT_ROWS]
    recent = Source.objects.filter(Q(pk__in=attributed) | Q(pk__in=cited))
    return list(recent.order_by("name").values_list("name", flat=True)[:limit])


def claim_revisions_since(
    *, claim: Claim, version: int, last: Revision | None, reveal: bool = False
) -> list:
    """What changed on the claim after ``version``, oldest first, for a refused stale edit,
    redactions applied as on the timeline; ``last`` stands in when the claim moved on
    without a newer revision."""
    revisions = (
        Revision.objects.filter(claim=claim, number__gt=version)
        .select_related("actor")
        .order_by("number")[:20]
    )
    if not revisions and last is not None:
        revisions = [last]
    return timeline_entries(claim, revisions, reveal=reveal)


def logger_is_redacted(*, claim: Claim) -> bool:
    """Whether a moderator redacted who logged the claim (its first revision's actor)."""
    redactions = Revision.objects.filter(
        kind=Revision.Kind.REDACTED, redacts__claim=claim, redacts__number=1
    ).values_list("after", flat=True)
    return any("actor" in after.get("parts", []) for after in redactions)


def is_watching(*, user, claim: Claim | None = None, story: Story | None = None) -> bool:
    """Whether the user follows the claim (or the story) and is e-mailed its rulings."""
    return Watch.objects.filter(user=user, claim=claim, story=story).exists()


def recent_ingest_jobs(limit: int = 10) -> list[IngestJob]:
    """The newest ingest jobs, for the ingest page's list."""
    return list(IngestJob.objects.select_related("story").order_by("-created_at", "-id")[:limit])


def recent_story_titles(*, limit: int, including: int | None = None) -> list[tuple[int, str]]:
    """(id, title) of the newest stories, and of the story ``including`` names when older."""
    stories = list(Story.objects.order_by("-created_at").values_list("pk", "title")[:limit])
    if including is not None and including not in {pk for pk, _ in stories}:
        stories += list(Story.objects.filter(pk=including).values_list("pk", "title"))
    return stories


def story_by_slug(slug: str) -> Story | None:
    """A story by its address, for the desk's own commands (no one to check access for)."""
    return Story.objects.filter(slug=slug).first()


def has_stories() -> bool:
    return Story.objects.exists()


def source_renames(*, claim: Claim, sources=None) -> list[SourceRevision]:
    """The renames of the sources a claim cites or attributes (or of ``sources``, ids), newest
    first: a fact check names its sources by their current name, its trail says what changed."""
    if sources is None:
        cited = Evidence.objects.filter(claim=claim, source__isnull=False).values("source_id")
        attributed = Attribution.objects.filter(claim=claim).values("source_id")
        named = Q(source_id__in=cited) | Q(source_id__in=attributed)
    else:
        named = Q(source_id__in=list(sources))
    renames = SourceRevision.objects.filter(named, before__has_key="name")
    return list(renames.order_by("-created_at", "-id"))

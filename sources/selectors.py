"""Reads of sources for the desk's forms."""

from django.core.cache import cache
from django.db.models import Q

from claims.models import Attribution, Evidence
from sources.models import Source

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

"""The story's verification progress as a server-rendered SVG: a stacked step chart of how
many claims stood in each status over time. No JavaScript; every text is escaped."""

from collections import Counter
from datetime import datetime

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from claims.models import Claim

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 12, 28
MAX_STEPS = 400
# Verdicts at the bottom, open work on top: the desk's progress is the bottom layers growing.
LAYERS = [
    Claim.Status.CONFIRMED,
    Claim.Status.FALSE,
    Claim.Status.MISLEADING,
    Claim.Status.DISPUTED,
    Claim.Status.UNPROVEN,
    Claim.Status.SUPERSEDED,
    Claim.Status.IN_REVIEW,
    Claim.Status.UNVERIFIED,
]

Snapshot = tuple[datetime, Counter]


def status_snapshots(events: list[tuple[datetime, int, str]]) -> list[Snapshot]:
    """Counts per status after each event, thinned to at most MAX_STEPS (keeping the last)."""
    current: dict[int, str] = {}
    snapshots: list[Snapshot] = []
    for at, claim_id, status in events:
        current[claim_id] = status
        snapshots.append((at, Counter(current.values())))
    if len(snapshots) > MAX_STEPS:
        step = len(snapshots) / MAX_STEPS
        kept = [snapshots[int(i * step)] for i in range(MAX_STEPS - 1)]
        snapshots = [*kept, snapshots[-1]]
    return snapshots


def story_timeline_svg(*, story, events: list[tuple[datetime, int, str]]) -> SafeString:
    snapshots = status_snapshots(events)
    title = format_html("Verification progress of {}", story.title)
    if not snapshots:
        return format_html(
            '<svg class="timeline-chart" viewBox="0 0 {} 40" role="img" aria-label="{}">'
            '<text x="8" y="24">No claims yet.</text></svg>',
            WIDTH,
            title,
        )
    start, end = snapshots[0][0], snapshots[-1][0]
    span = max((end - start).total_seconds(), 1.0)
    end_x = span * 1.05  # room for the latest state to show as a step of its own
    peak = max(sum(counts.values()) for _, counts in snapshots) or 1

    def x(at: datetime | float) -> float:
        seconds = at if isinstance(at, float) else (at - start).total_seconds()
        return round(LEFT + seconds / end_x * (WIDTH - LEFT - RIGHT), 1)

    def y(count: int) -> float:
        return round(HEIGHT - BOTTOM - count / peak * (HEIGHT - TOP - BOTTOM), 1)

    edges = [x(at) for at, _ in snapshots] + [x(end_x)]
    layers = []
    below = [0] * len(snapshots)
    for status in LAYERS:
        above = [b + counts.get(status, 0) for b, (_, counts) in zip(below, snapshots, strict=True)]
        if above != below:
            layers.append((status, _step_path(edges, below, above, y)))
        below = above
    summary = ", ".join(
        f"{snapshots[-1][1].get(s, 0)} {Claim.Status(s).label.lower()}" for s in LAYERS
    )
    paths = format_html_join(
        "",
        '<path class="tl-{}" d="{}"><title>{}</title></path>',
        ((status, path, Claim.Status(status).label) for status, path in layers),
    )
    return format_html(
        '<svg class="timeline-chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="tl-title '
        'tl-desc"><title id="tl-title">{title}</title><desc id="tl-desc">Now: {summary}.</desc>'
        '<line class="tl-axis" x1="{left}" y1="{base}" x2="{right}" y2="{base}"></line>'
        '<line class="tl-axis" x1="{left}" y1="{top}" x2="{left}" y2="{base}"></line>'
        "{paths}"
        '<text class="tl-label" x="{left}" y="{label_y}">{first}</text>'
        '<text class="tl-label" x="{right}" y="{label_y}" text-anchor="end">{last}</text>'
        '<text class="tl-label" x="{peak_x}" y="{peak_y}" text-anchor="end">{peak}</text>'
        '<text class="tl-label" x="{peak_x}" y="{base}" text-anchor="end">0</text>'
        "</svg>",
        w=WIDTH,
        h=HEIGHT,
        title=title,
        summary=summary,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        base=HEIGHT - BOTTOM,
        paths=paths,
        label_y=HEIGHT - 8,
        first=_when(start, span),
        last=_when(end, span),
        peak_x=LEFT - 6,
        peak_y=TOP + 10,
        peak=peak,
    )


def _step_path(edges: list[float], below: list[int], above: list[int], y) -> str:
    """A closed step outline: along the top from left to right, back along the bottom."""
    points = []
    for i, count in enumerate(above):
        points += [(edges[i], y(count)), (edges[i + 1], y(count))]
    for i in range(len(below) - 1, -1, -1):
        points += [(edges[i + 1], y(below[i])), (edges[i], y(below[i]))]
    return str("M" + " L".join(f"{px},{py}" for px, py in points) + " Z")


def _when(at: datetime, span_seconds: float) -> str:
    """Axis labels precise enough to tell the two ends apart."""
    if span_seconds < 2 * 3600:
        return f"{at:%d %b %Y %H:%M:%S}"
    return f"{at:%d %b %Y %H:%M}"

"""A figure's reports over time as a server-rendered SVG step chart.

One mark per report, coloured by the report's status (a range is a vertical bar, a
superseded report a hollow mark struck through); a step line follows the value the figure
stood at as the reports came in; a time axis with dates and a value axis from zero.

The chart is drawn in a narrow viewBox so that its text stays readable on a phone, and every
text is placed by measuring its box in viewBox units: a value label that would touch another
text, or fall off the chart, is left out (the table beside the chart lists every value).
No JavaScript, no style attributes (the pages' content security policy forbids them): colours
are presentation attributes. Every text goes through ``format_html``.
"""

import calendar
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_FLOOR, Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 360, 210
FONT = 11  # every text, in viewBox units: about 10 px on a 390 px wide phone
# A generous average glyph width, in ems, of the sans-serif fonts the desk renders with.
CHAR_WIDTH = 0.64
ASCENT, DESCENT = 0.78, 0.24  # of a text's box above and below its baseline, in ems
TOP, RIGHT, BOTTOM = 20, 8, 26
MARK_RADIUS = 4.5
# Room before the first report, and after the last for the line to show where it stands.
LEAD, TAIL = 8, 26
GAP = 2  # the least space between two texts
MAX_DESCRIBED = 30

COLOURS = {
    "confirmed": "#1a7f37", "false": "#c62828", "misleading": "#a15c00", "disputed": "#9c1d6b",
    "unproven": "#5b3ea8", "in_review": "#0b57d0", "unverified": "#5b6475", "superseded": "#8a94a3",
}  # fmt: skip
OTHER_COLOUR = "#5b6475"
# Reports the desk ruled wrong or contested: the figure does not stand at their value.
FALLEN = frozenset({"false", "misleading", "disputed"})
INK, MUTED, GRID = "#1d2330", "#5b6475", "#e3e6eb"


@dataclass(frozen=True)
class ChartPoint:
    """One report: when it was said, its value (and a range's top), its claim's status,
    whether it was superseded (drawn struck), and the words a screen reader says for it."""

    at: datetime
    value: Decimal
    high: Decimal | None
    status: str
    struck: bool
    label: str


Box = tuple[float, float, float, float]  # left, top, right, bottom


def text_width(text: str, size: float = FONT) -> float:
    return len(text) * size * CHAR_WIDTH


def text_box(x: float, baseline: float, text: str, anchor: str, size: float = FONT) -> Box:
    width = text_width(text, size)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return (left, baseline - ASCENT * size, left + width, baseline + DESCENT * size)


def overlaps(a: Box, b: Box, gap: float = 0.0) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def compact(value: Decimal) -> str:
    """57, 1.5, 12k, 1.5M: short enough for a label on a phone."""
    for size, suffix in ((10**9, "B"), (10**6, "M"), (10**3, "k")):
        if abs(value) >= max(size, 10**4):
            return _plain((value / size).quantize(Decimal("0.01"))) + suffix
    return _plain(value)


def _plain(value: Decimal) -> str:
    n = value.normalize()
    return f"{n.to_integral():f}" if n == n.to_integral() else f"{n:f}"


def value_text(point: ChartPoint) -> str:
    top = f"–{compact(point.high)}" if point.high is not None else ""
    return compact(point.value) + top


# Scales --------------------------------------------------------------------------------------


def value_ticks(values: list[Decimal]) -> list[Decimal]:
    """Three to six round ticks from zero (or below it) to the largest value; whole numbers
    when every value is one (no half a missile)."""
    low, high = min([Decimal(0), *values]), max([Decimal(0), *values])
    if low == high:
        high = low + 1
    raw = (high - low) / 4
    magnitude = Decimal(10) ** (raw.adjusted())
    step = next(m * magnitude for m in (1, 2, Decimal("2.5"), 5, 10) if m * magnitude >= raw)
    if all(v == v.to_integral_value() for v in values):
        step = max(step, Decimal(1))
    first = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    ticks = [first]
    while ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return ticks


# The time axis's candidate steps, finest first: (unit, how many, about how many seconds).
STEPS = [
    *(("seconds", n, n) for n in (300, 900, 1800, 3600, 7200, 10800, 21600, 43200)),
    *(("days", n, n * 86400) for n in (1, 2, 7, 14)),
    *(("months", n, n * 30 * 86400) for n in (1, 3, 6, 12, 24, 60, 120)),
]


def _add_months(at: datetime, months: int) -> datetime:
    month = at.month - 1 + months
    year, month = at.year + month // 12, month % 12 + 1
    return at.replace(year=year, month=month, day=min(at.day, calendar.monthrange(year, month)[1]))


def _tick_times(start: datetime, end: datetime, kind: str, step: int) -> list[datetime]:
    """Round moments from ``start`` to ``end``: every ``step`` seconds or days from
    midnight, or the first of every ``step`` months."""
    if kind == "months":
        at = start.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        while at < start or (at.month - 1) % min(step, 12):
            at = _add_months(at, 1)
    else:
        delta = timedelta(seconds=step) if kind == "seconds" else timedelta(days=step)
        at = start.replace(hour=0, minute=0, second=0, microsecond=0)
        while at < start:
            at += delta
    ticks = []
    while at <= end and len(ticks) < 40:
        ticks.append(at)
        at = _add_months(at, step) if kind == "months" else at + delta
    return ticks


def _tick_label(at: datetime, kind: str, step: int) -> str:
    if kind == "months":
        return f"{at:%Y}" if step >= 12 else f"{at:%b %Y}"
    if at.hour == 0 and at.minute == 0:
        return f"{at.day} {at:%b}"
    return f"{at:%H:%M}"


# The chart -----------------------------------------------------------------------------------


class _Layout:
    """Where things go: scales from the points, and the text boxes placed so far."""

    def __init__(self, points: list[ChartPoint]):
        values = [p.value for p in points] + [p.high for p in points if p.high is not None]
        self.ticks = value_ticks(values)
        self.tick_labels = [compact(t) for t in self.ticks]
        self.left = max(text_width(label) for label in self.tick_labels) + 8
        self.base = HEIGHT - BOTTOM
        self.start, self.end = points[0].at, points[-1].at
        if self.end == self.start:
            self.start, self.end = self.start - timedelta(hours=12), self.end + timedelta(hours=12)
        self.span = (self.end - self.start).total_seconds()
        self.texts: list[Box] = []
        self.marks: list[Box] = []

    def x(self, at: datetime) -> float:
        inner = WIDTH - RIGHT - self.left - LEAD - TAIL
        return round(self.left + LEAD + (at - self.start).total_seconds() / self.span * inner, 1)

    def y(self, value: Decimal) -> float:
        low, high = self.ticks[0], self.ticks[-1]
        return round(self.base - float((value - low) / (high - low)) * (self.base - TOP), 1)

    def fits(self, box: Box, *, avoid_marks: bool = False) -> bool:
        if box[0] < 0 or box[2] > WIDTH or box[1] < 0 or box[3] > HEIGHT:
            return False
        others = self.texts + (self.marks if avoid_marks else [])
        return not any(overlaps(box, other, GAP) for other in others)


def _value_axis(layout: _Layout) -> list:
    parts = []
    for tick, label in zip(layout.ticks, layout.tick_labels, strict=True):
        y = layout.y(tick)
        baseline = round(y + FONT * 0.3, 1)
        box = text_box(layout.left - 5, baseline, label, "end")
        if not layout.fits(box):
            continue
        layout.texts.append(box)
        parts.append(_line(layout.left, y, WIDTH - RIGHT, y, GRID))
        parts.append(_text(layout.left - 5, baseline, label, "end", MUTED))
    return parts


def _time_axis(layout: _Layout) -> list:
    baseline = HEIGHT - 7
    chosen: list[tuple[float, str]] = []
    for kind, step, seconds in STEPS:
        if layout.span / seconds > 8:
            continue
        times = _tick_times(layout.start, layout.end, kind, step)
        ticks = [(layout.x(at), _tick_label(at, kind, step)) for at in times]
        if ticks and all(":" in label for _, label in ticks):  # no midnight: date the first
            ticks[0] = (ticks[0][0], _moment(times[0]))
        if len(ticks) >= 2 and _spaced(ticks, baseline):
            chosen = ticks
            break
    if not chosen:  # too short or too long for round ticks: the first and last moments
        chosen = [(layout.x(layout.start), _moment(layout.start))]
        chosen += [(layout.x(layout.end), _moment(layout.end))]
        chosen = chosen if _spaced(chosen, baseline) else chosen[:1]
    parts = []
    for x, label in chosen:
        box = _clamped_box(x, baseline, label)
        layout.texts.append(box)
        parts.append(_line(x, layout.base, x, layout.base + 4, MUTED))
        parts.append(_text(round((box[0] + box[2]) / 2, 1), baseline, label, "middle", MUTED))
    return parts


def _moment(at: datetime) -> str:
    return f"{at.day} {at:%b %H:%M}"


def _clamped_box(x: float, baseline: float, label: str) -> Box:
    """The label's box centred under ``x``, moved in from the chart's edges."""
    half = text_width(label) / 2
    centre = min(max(x, half + 1), WIDTH - half - 1)
    return text_box(centre, baseline, label, "middle")


def _spaced(ticks: list[tuple[float, str]], baseline: float) -> bool:
    boxes = [_clamped_box(x, baseline, label) for x, label in ticks]
    return all(not overlaps(a, b, 6) for a, b in zip(boxes, boxes[1:], strict=False))


def standing_values(points: list[ChartPoint]) -> list[Decimal | None]:
    """The value the figure stood at after each report (points oldest first): the newest
    confirmed report so far, else the newest one still standing; none while those reports
    give different values (the sources disagree: the line breaks). A superseded report
    stands until a later report does; one ruled false, misleading or disputed never does."""
    values: list[Decimal | None] = []
    for i in range(len(points)):
        confirmed = [p for p in points[: i + 1] if p.status == "confirmed"]
        later = [j for j in range(i + 1) if points[j].status not in FALLEN]
        pool = confirmed or [
            points[j] for j in later if not points[j].struck or j == later[-1]
        ]  # fmt: skip
        agreed = len({(p.value, p.high) for p in pool}) == 1
        values.append(pool[-1].value if agreed else None)
    return values


def _step_line(layout: _Layout, points: list[ChartPoint]) -> SafeString:
    moves, drawing = [], False
    for point, value in zip(points, standing_values(points), strict=True):
        x = layout.x(point.at)
        if drawing:
            moves.append(f"H{x}")
        if value is not None:
            moves.append(f"V{layout.y(value)}" if drawing else f"M{x},{layout.y(value)}")
        drawing = value is not None
    if drawing:
        moves.append(f"H{WIDTH - RIGHT}")
    if not moves:
        return mark_safe("")
    return format_html(
        '<path d="{}" fill="none" stroke="{}" stroke-width="2" stroke-linejoin="round">'
        "<title>The value the figure stood at</title></path>",
        " ".join(moves),
        INK,
    )


def _mark(layout: _Layout, point: ChartPoint) -> SafeString:
    colour = COLOURS.get(point.status, OTHER_COLOUR)
    fill = "#ffffff" if point.struck else colour
    x, y = layout.x(point.at), layout.y(point.value)
    if point.high is not None:
        top = min(layout.y(point.high), y - 2 * MARK_RADIUS)
        shape = format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}" stroke="{}" '
            'stroke-width="1.5"></rect>',
            round(x - 3.5, 1), round(top, 1), 7, round(y - top, 1), fill, colour,
        )  # fmt: skip
        box = (x - 3.5, top, x + 3.5, y)
    else:
        shape = format_html(
            '<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="{}" stroke-width="1.5"></circle>',
            x, y, MARK_RADIUS, fill, colour if point.struck else "#ffffff",
        )  # fmt: skip
        box = (x - MARK_RADIUS, y - MARK_RADIUS, x + MARK_RADIUS, y + MARK_RADIUS)
    layout.marks.append(box)
    ends = [round(v, 1) for v in (box[0] - 2.5, box[3] + 2.5, box[2] + 2.5, box[1] - 2.5)]
    strike = _line(*ends, colour, 1.5) if point.struck else ""  # a slash through the mark
    status = point.status if point.status in COLOURS else "other"
    return format_html(
        '<g class="sc-mark sc-{}{}"><title>{}</title>{}{}</g>',
        status, " struck" if point.struck else "", point.label, shape, strike,
    )  # fmt: skip


def _value_labels(layout: _Layout, points: list[ChartPoint]) -> list:
    """Labels where the series changes and for the newest report, the newest first, each
    on the side of its mark the step line does not come from (else the other side), or not
    at all when neither place is free."""
    texts, standing = [value_text(p) for p in points], [None, *standing_values(points)]
    wanted = [
        i for i in range(len(points))
        if i in (0, len(points) - 1) or texts[i] != texts[i - 1]
    ]  # fmt: skip
    placed = []
    for i in reversed(wanted):
        point, mark = points[i], layout.marks[i]
        centre = (mark[0] + mark[2]) / 2
        sides = [mark[1] - 4 - DESCENT * FONT, mark[3] + 4 + ASCENT * FONT]
        if standing[i] is not None and standing[i] > point.value:  # the line drops in
            sides.reverse()
        for baseline in map(lambda y: round(y, 1), sides):
            half = text_width(texts[i]) / 2
            x = round(min(max(centre, layout.left + half + 1), WIDTH - half - 1), 1)
            box = text_box(x, baseline, texts[i], "middle")
            if box[3] <= layout.base - 1 and layout.fits(box, avoid_marks=True):
                layout.texts.append(box)
                placed.append((x, baseline, texts[i], point))
                break
    bold, struck = ' font-weight="600"', ' font-weight="600" text-decoration="line-through"'
    return [
        _text(x, y, text, "middle", MUTED if p.struck else INK, struck if p.struck else bold)
        for x, y, text, p in sorted(placed, key=lambda item: item[0])
    ]


def _description(points: list[ChartPoint]) -> str:
    first, last = points[0].at, points[-1].at
    counted = f"{len(points)} report{'s' if len(points) != 1 else ''}"
    when = f"on {first.day} {first:%b %Y}"
    if first.date() != last.date():
        when = f"from {first.day} {first:%b %Y} to {last.day} {last:%b %Y}"
    described = "; ".join(p.label for p in points[-MAX_DESCRIBED:])
    more = len(points) - MAX_DESCRIBED
    earlier = f" ({more} earlier reports are listed in the table)" if more > 0 else ""
    return f"{counted} {when}, oldest first{earlier}: {described}."


def step_chart(points: list[ChartPoint], *, title: str) -> SafeString:
    """The chart of these reports (any order), titled ``title`` for screen readers."""
    points = sorted(points, key=lambda p: p.at)
    seen = "|".join([title, *(f"{p.at.isoformat()}:{p.value}" for p in points)])
    ident = "sc-" + hashlib.sha1(seen.encode()).hexdigest()[:10]
    if not points:
        return format_html(
            '<svg class="step-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} 40" '
            'role="img" aria-labelledby="{}-title"><title id="{}-title">{}</title>'
            '<text x="8" y="24" font-size="{}" fill="{}">No reports yet.</text></svg>',
            WIDTH, ident, ident, title, FONT, MUTED,
        )  # fmt: skip
    layout = _Layout(points)
    axes = _value_axis(layout) + _time_axis(layout)
    line = _step_line(layout, points)
    marks = [_mark(layout, point) for point in points]
    labels = _value_labels(layout, points)
    return format_html(
        '<svg class="step-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
        'role="img" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{axes}{axis}{line}{marks}{labels}</svg>",
        w=WIDTH, h=HEIGHT, id=ident, title=title, desc=_description(points), axes=_join(axes),
        axis=_line(layout.left, layout.base, WIDTH - RIGHT, layout.base, MUTED),
        line=line, marks=_join(marks), labels=_join(labels),
    )  # fmt: skip


def _join(parts: list) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _line(x1, y1, x2, y2, stroke: str, width: float = 1) -> SafeString:
    return format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"></line>',
        x1, y1, x2, y2, stroke, width,
    )  # fmt: skip


def _text(x, y, text: str, anchor: str, fill: str, extra: str = "") -> SafeString:
    """A text at ``x`` (its start, middle or end as ``anchor`` says) on baseline ``y``."""
    return format_html(
        '<text x="{}" y="{}" font-size="{}" text-anchor="{}" fill="{}"{}>{}</text>',
        x, y, FONT, anchor, fill, mark_safe(extra), text,
    )  # fmt: skip

"""The step chart of a figure's reports: its marks, its line, its axes, and text that never
collides, measured in the chart's own viewBox."""

import itertools
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from claims.lib.stepchart import ChartPoint, standing_values, step_chart, value_ticks

SVG = "{http://www.w3.org/2000/svg}"
START = datetime(2020, 1, 8, 20, tzinfo=UTC)
STATUSES = ["unverified", "confirmed", "false", "disputed", "superseded", "in_review",
            "unproven", "misleading"]  # fmt: skip
# The test's own estimate of a glyph's width: as wide as the widest digits of DejaVu Sans.
GLYPH_EM = 0.64


def point(hours: float, value, status="unverified", *, high=None, struck=False, label=""):
    return ChartPoint(
        at=START + timedelta(hours=hours),
        value=Decimal(value),
        high=None if high is None else Decimal(high),
        status=status,
        struck=struck,
        label=label or f"{value} people",
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def text_boxes(root: ET.Element) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every text's box, from its x, y (the baseline), anchor, font size and length."""
    boxes = []
    for text in root.iter(f"{SVG}text"):
        size = float(text.get("font-size"))
        width = len(text.text) * size * GLYPH_EM
        x, y = float(text.get("x")), float(text.get("y"))
        left = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor")]
        boxes.append((text.text, (left, y - 0.78 * size, left + width, y + 0.24 * size)))
    return boxes


def colliding(boxes):
    return [
        (a, b)
        for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
        if box_a[0] < box_b[2] and box_b[0] < box_a[2] and box_a[1] < box_b[3]
        and box_b[1] < box_a[3]
    ]  # fmt: skip


def view_box(root: ET.Element) -> tuple[float, float]:
    _, _, width, height = (float(n) for n in root.get("viewBox").split())
    return width, height


@pytest.mark.parametrize("spacing_minutes", [1, 20, 37, 240])
def test_many_close_reports_leave_no_two_texts_overlapping_and_all_inside(spacing_minutes):
    points = [
        point(i * spacing_minutes / 60, 40 + (i * 7) % 13, STATUSES[i % 8], struck=i % 8 == 4)
        for i in range(40)
    ]

    root = parse(step_chart(points, title="Deaths"))

    boxes = text_boxes(root)
    width, height = view_box(root)
    assert colliding(boxes) == []
    assert all(0 <= b[0] and b[2] <= width and 0 <= b[1] and b[3] <= height for _, b in boxes)
    assert len(root.findall(f".//{SVG}g[@class]")) == 40  # every report has its mark
    values = [t for t, _ in boxes if re.fullmatch(r"\d+", t)]
    assert values, "some value labels are placed"


def test_wide_ranges_of_values_and_dates_keep_the_labels_apart():
    points = [point(0, 40, high=50), point(5, 45, "in_review"), point(24 * 400, 1_500_000)]

    root = parse(step_chart(points, title="Cost"))

    texts = [t for t, _ in text_boxes(root)]
    assert colliding(text_boxes(root)) == []
    assert "1.5M" in texts and "40–50" in texts
    assert any(re.fullmatch(r"[A-Z][a-z]{2} \d{4}|\d{4}", t) for t in texts)  # month ticks


def test_the_viewbox_is_narrow_enough_to_read_on_a_phone():
    root = parse(step_chart([point(0, 63), point(30, 57)], title="Deaths"))

    width, _ = view_box(root)
    font = {float(t.get("font-size")) for t in root.iter(f"{SVG}text")}
    # On a 390 px screen the chart is about 340 px wide: its text stays at 10 px or more.
    assert min(font) * 340 / width >= 10


def test_each_report_is_a_mark_coloured_by_status_and_a_superseded_one_is_struck():
    points = [
        point(0, 63, "superseded", struck=True, label="63 people, Government of Canada"),
        point(42, 57, "confirmed", label="57 people, Champagne"),
    ]

    root = parse(step_chart(points, title="Canadian citizens killed"))

    struck, confirmed = root.findall(f".//{SVG}g[@class]")
    assert struck.get("class") == "sc-mark sc-superseded struck"
    assert struck.find(f"{SVG}title").text == "63 people, Government of Canada"
    assert struck.find(f"{SVG}circle").get("fill") == "#ffffff"
    assert struck.find(f"{SVG}line") is not None  # the strike through it
    assert confirmed.get("class") == "sc-mark sc-confirmed"
    assert confirmed.find(f"{SVG}circle").get("fill") == "#1a7f37"
    assert confirmed.find(f"{SVG}line") is None
    label = next(t for t in root.iter(f"{SVG}text") if t.text == "63")
    assert label.get("text-decoration") == "line-through"


def test_a_range_is_a_vertical_bar_from_its_bottom_to_its_top():
    root = parse(step_chart([point(0, 40, high=50), point(3, 100)], title="Injured"))

    bar = root.find(f".//{SVG}g[@class]/{SVG}rect")
    bottom = float(bar.get("y")) + float(bar.get("height"))
    assert float(bar.get("height")) > 10 and bottom > float(bar.get("y"))


def test_the_step_line_follows_the_standing_value_and_ends_at_the_right_edge():
    points = [point(0, 63, "superseded", struck=True), point(42, 57, "confirmed")]

    root = parse(step_chart(points, title="Deaths"))

    line = root.find(f"{SVG}path")
    moves = line.get("d").split()
    assert moves[0].startswith("M") and moves[1].startswith("H") and moves[2].startswith("V")
    assert float(moves[-1][1:]) == view_box(root)[0] - 8


def test_standing_values_prefer_confirmed_and_skip_fallen_reports():
    points = [
        point(0, 63, "superseded", struck=True),
        point(1, 60, "false"),
        point(2, 57, "confirmed"),
        point(3, 58, "unverified"),
    ]

    assert standing_values(points) == [Decimal(63), Decimal(63), Decimal(57), Decimal(57)]
    assert standing_values([point(0, 5, "disputed")]) == [None]


def test_reports_that_differ_with_none_ruled_break_the_line_until_one_is_ruled():
    clash = [point(0, 176), point(2, 180, "in_review")]

    assert standing_values(clash) == [Decimal(176), None]
    assert standing_values([*clash, point(3, 176, "confirmed")])[-1] == Decimal(176)
    line = parse(step_chart(clash, title="Aboard")).find(f"{SVG}path").get("d").split()
    assert line[0].startswith("M") and line[-1].startswith("H") and len(line) == 2


def test_value_ticks_start_at_zero_and_stay_whole_for_counts():
    assert value_ticks([Decimal(2)]) == [0, 1, 2]
    assert value_ticks([Decimal(63), Decimal(57)]) == [0, 20, 40, 60, 80]
    assert value_ticks([Decimal("12.5")])[-1] >= Decimal("12.5")
    assert value_ticks([Decimal(-3), Decimal(4)])[0] <= -3


def test_text_is_escaped_and_the_chart_is_an_accessible_image():
    points = [point(0, 5, label="<script>alert(1)</script> & co")]

    svg = step_chart(points, title='Deaths "<b>"')

    assert "<script>" not in svg and "&lt;script&gt;" in svg
    root = parse(svg)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == 'Deaths "<b>"'
    assert "1 report on 8 Jan 2020" in root.find(f"{SVG}desc").text
    assert root.find(f"{SVG}desc").get("id") == desc_id


def test_a_chart_without_reports_says_so():
    root = parse(step_chart([], title="Deaths"))

    assert root.find(f"{SVG}text").text == "No reports yet."
    assert root.get("role") == "img"


def test_the_time_axis_names_dates():
    root = parse(step_chart([point(0, 63), point(42, 57)], title="Deaths"))

    texts = [t for t, _ in text_boxes(root)]
    assert "9 Jan" in texts and "10 Jan" in texts

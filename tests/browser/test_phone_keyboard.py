"""The desk on a phone and from the keyboard: the ruling before the timeline at 390 px, the
queue's rows and the story chart readable there, focus after in-place actions, shortcuts."""

import pytest
from playwright.sync_api import expect

from claims.models import Claim
from tests.browser import test_desk_clean
from tests.browser.test_desk_clean import log_in, watch_for_errors

pytestmark = pytest.mark.browser
SHOTS = "/tmp/h4-{}.png"
newsroom = test_desk_clean.newsroom


def box(page, selector: str) -> dict:
    found = page.locator(selector).bounding_box()
    assert found is not None, selector
    return found


def test_on_a_phone_the_ruling_comes_before_the_timeline(newsroom, new_context):
    page = new_context(width=390, height=844).new_page()
    errors = watch_for_errors(page)
    log_in(page, newsroom["url"], "eddie")
    page.screenshot(path=SHOTS.format("queue-390"), full_page=True)

    page.goto(f"{newsroom['url']}/claims/{newsroom['toll'].pk}/")

    status, timeline = box(page, "#form-status"), box(page, "#claim-timeline")
    claim = box(page, "#claim-state h1")
    assert claim["y"] < status["y"] < timeline["y"]
    assert status["y"] < 2 * 844  # within two screens, not three down
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=SHOTS.format("claim-390"), full_page=True)
    assert errors == []


def test_on_a_phone_queue_rows_keep_status_claim_story_and_time(newsroom, new_context):
    page = new_context(width=390, height=844).new_page()
    log_in(page, newsroom["url"], "eddie")

    row = page.locator("table.queue tbody tr", has_text="63 Canadians")

    for part in ("td.col-status", "td.col-claim", "td.col-story", "td.col-changed"):
        expect(row.locator(part)).to_be_visible()
    expect(row.locator("td.col-story")).to_contain_text("PS752 downed near Tehran")
    row_box = row.bounding_box()
    assert row_box["x"] >= 0 and row_box["x"] + row_box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_on_a_phone_the_story_chart_labels_read_at_twelve_pixels_or_more(
    newsroom,
    new_context,
):
    page = new_context(width=390, height=844).new_page()
    log_in(page, newsroom["url"], "eddie")

    page.goto(f"{newsroom['url']}{newsroom['story'].get_absolute_url()}")

    labels = page.eval_on_selector_all(
        "svg.timeline-chart text.tl-label",
        "ts => ts.map(t => { const b = t.getBoundingClientRect();"
        " return [b.left, b.top, b.right, b.bottom]; })",
    )
    chart = box(page, "svg.timeline-chart")
    assert len(labels) == 4
    assert all(bottom - top >= 12 for _, top, _, bottom in labels)
    assert all(chart["x"] - 1 <= left and right <= chart["x"] + chart["width"] + 1
               for left, _, right, _ in labels)  # fmt: skip
    first, last = labels[0], labels[1]
    assert first[2] < last[0]  # the two dates apart
    page.screenshot(path=SHOTS.format("story-390"), full_page=True)


def test_after_an_in_place_action_focus_is_on_its_message_and_the_banner_goes(
    newsroom,
    new_context,
):
    page = new_context(width=1366, height=900).new_page()
    log_in(page, newsroom["url"], "eddie")
    page.goto(f"{newsroom['url']}/stories/{newsroom['story'].slug}/claims/new/")
    page.get_by_label("Claim text").fill("Iran says the black box goes to Kyiv.")
    page.get_by_role("button", name="Create claim").click()
    expect(page.locator("main > .messages")).to_contain_text("Claim created.")

    page.get_by_label("Status", exact=True).select_option("in_review")
    page.get_by_role("button", name="Change status").click()

    expect(page.locator("#status-badge")).to_have_text("In review")
    expect(page.locator("#status-done")).to_be_focused()
    expect(page.locator("#status-done")).to_have_text("Status changed.")
    expect(page.locator("#desk-announce")).to_have_text("Status changed.")
    expect(page.locator("main > .messages")).to_have_count(0)
    assert page.evaluate("document.activeElement.tagName") != "BODY"

    page.get_by_label("Status", exact=True).select_option("confirmed")
    page.get_by_role("button", name="Change status").click()

    expect(page.get_by_label("Rationale", exact=True)).to_be_focused()
    expect(page.locator("#desk-announce")).to_have_text("This field cannot be empty.")
    page.screenshot(path=SHOTS.format("claim-1366"), full_page=True)


def test_keyboard_shortcuts_move_open_search_and_help_but_not_while_typing(
    newsroom,
    new_context,
):
    page = new_context(width=1366, height=900).new_page()
    errors = watch_for_errors(page)
    log_in(page, newsroom["url"], "eddie")
    help_panel = page.locator("#desk-shortcuts")
    expect(help_panel).to_be_visible()
    expect(help_panel.locator("dl")).not_to_be_visible()

    page.keyboard.press("?")
    expect(help_panel.locator("dl")).to_be_visible()
    page.screenshot(path=SHOTS.format("queue-1366"), full_page=True)
    page.keyboard.press("?")
    expect(help_panel.locator("dl")).not_to_be_visible()

    rows = page.locator("table.queue tbody tr")
    page.keyboard.press("j")
    expect(rows.nth(0)).to_have_class("is-current")
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class("is-current")
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_class("is-current")
    first = rows.nth(0).locator("td.col-claim a")
    expect(first).to_be_focused()
    opened = first.get_attribute("href")

    page.keyboard.press("/")
    expect(page.get_by_label("Search")).to_be_focused()
    page.keyboard.type("jk?s/o")  # typed into the search, none of them a shortcut
    expect(page.get_by_label("Search")).to_have_value("jk?s/o")
    expect(help_panel.locator("dl")).not_to_be_visible()
    page.get_by_label("Search").fill("")
    expect(rows).to_have_count(2)

    page.locator("h1").click()
    page.keyboard.press("Control+j")
    expect(page.locator("tr.is-current")).to_have_count(0)
    page.keyboard.press("j")
    page.keyboard.press("o")
    expect(page).to_have_url(f"{newsroom['url']}{opened}")

    page.keyboard.press("s")
    expect(page.locator("#form-status select")).to_be_focused()
    page.keyboard.press("Escape")
    page.locator("#form-note textarea").focus()
    page.keyboard.type("s j")
    expect(page.locator("#form-note textarea")).to_have_value("s j")
    expect(page.locator(".is-current")).to_have_count(0)
    assert Claim.objects.count() == 2
    assert errors == []

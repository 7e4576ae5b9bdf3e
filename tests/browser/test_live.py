"""Live awareness in a real browser: two people on one claim, each in their own context."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.factories import (
    PASSWORD,
    ClaimFactory,
    EvidenceFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser
NOTE = "Checking the manifest against the airline's list"


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/review/$"))


def watch_console(page: Page) -> list[str]:
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def test_a_colleagues_change_shows_who_did_what_and_keeps_what_i_typed(desk_server, new_context):
    editor = UserFactory(username="eddie", role="editor")
    reporter = UserFactory(username="rita", role="reporter")
    story = StoryFactory(actor=editor, title="Ukrainian airliner PS752 downed near Tehran")
    claim = ClaimFactory(story=story, actor=reporter, text="63 Canadians were on board PS752.")
    EvidenceFactory(claim=claim, actor=reporter, url="https://news.example/ps752/manifest")
    url = f"{desk_server.url}{claim.get_absolute_url()}"
    rita = new_context(1366, 900).new_page()
    eddie = new_context(1366, 900).new_page()
    problems = watch_console(rita)
    log_in(rita, desk_server.url, "rita")
    log_in(eddie, desk_server.url, "eddie")
    rita.goto(url)
    eddie.goto(url)
    rita.locator("#form-note textarea").fill(NOTE)

    expect(rita.locator("#live-presence")).to_have_text("eddie is here", timeout=20_000)
    expect(eddie.locator("#live-presence")).to_have_text("rita is here", timeout=20_000)
    eddie.locator("#form-status select[name=status]").select_option("in_review")
    eddie.get_by_role("button", name="Change status").click()
    expect(eddie.locator("#status-badge")).to_have_text("In review")

    banner = rita.locator("#live-changes")
    expect(banner).to_contain_text("eddie set the status to In review", timeout=8_000)
    expect(banner).to_contain_text("s ago")
    expect(rita.locator("#form-note textarea")).to_have_value(NOTE)
    expect(rita.locator("#status-badge")).to_have_text("Unverified")
    rita.screenshot(path="/tmp/h3-claim-banner-1366.png", full_page=False)
    rita.set_viewport_size({"width": 390, "height": 844})
    rita.locator("#live-claim").scroll_into_view_if_needed()
    rita.screenshot(path="/tmp/h3-claim-banner-390.png", full_page=False)
    rita.set_viewport_size({"width": 1366, "height": 900})

    rita.get_by_role("link", name="Show the new version").click()

    expect(rita.locator("#status-badge")).to_have_text("In review")
    expect(banner).to_contain_text("Showing version")
    expect(rita.locator("#form-note textarea")).to_have_value(NOTE)
    assert rita.evaluate("location.pathname") == claim.get_absolute_url()
    assert problems == []


def test_presence_is_gone_when_the_colleague_leaves(desk_server, new_context, settings):
    from django.core.cache import cache

    from claims.desk import presence

    editor = UserFactory(username="eddie", role="editor")
    reporter = UserFactory(username="rita", role="reporter")
    claim = ClaimFactory(story=StoryFactory(actor=editor), actor=reporter)
    url = f"{desk_server.url}{claim.get_absolute_url()}"
    rita, eddie = new_context().new_page(), new_context().new_page()
    log_in(rita, desk_server.url, "rita")
    log_in(eddie, desk_server.url, "eddie")
    rita.goto(url)
    eddie.goto(url)
    expect(rita.locator("#live-presence")).to_have_text("eddie is here", timeout=20_000)

    eddie.goto(f"{desk_server.url}/login/")
    marks = cache.get(presence.presence_key(claim.pk))
    name, _ = marks[editor.pk]
    marks[editor.pk] = (name, 0.0)  # as if the editor's last poll were long ago
    cache.set(presence.presence_key(claim.pk), marks, presence.PRESENCE_SECONDS)

    expect(rita.locator("#live-presence")).to_have_text("", timeout=8_000)


def test_the_queue_says_how_many_changed_instead_of_moving(desk_server, new_context):
    from claims import services

    editor = UserFactory(username="eddie", role="editor")
    reporter = UserFactory(username="rita", role="reporter")
    story = StoryFactory(actor=editor)
    claims = [ClaimFactory(story=story, actor=reporter, text=f"Claim {n}") for n in range(3)]
    rita = new_context(1366, 900).new_page()
    problems = watch_console(rita)
    log_in(rita, desk_server.url, "rita")
    rows = rita.locator("table.queue tbody tr")
    before = rows.all_inner_texts()
    top = rows.first.bounding_box()["y"]

    oldest = claims[0]
    services.claim_set_status(
        claim=oldest, status="in_review", rationale="", actor=editor, expected_version=1
    )

    notice = rita.locator("#live-queue-changes")
    expect(notice).to_have_text("1 new change — show", timeout=10_000)
    assert rows.all_inner_texts() == before
    assert rows.first.bounding_box()["y"] == top  # the notice's line was kept free
    rita.screenshot(path="/tmp/h3-queue-1366.png")
    rita.set_viewport_size({"width": 390, "height": 844})
    rita.screenshot(path="/tmp/h3-queue-390.png")
    notice.get_by_role("link").click()
    expect(rows.first).to_contain_text("In review")
    expect(notice).to_have_text("")
    assert problems == []

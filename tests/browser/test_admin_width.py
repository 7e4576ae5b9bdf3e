"""The moderators' admin on a laptop: the claims and revisions lists fit 1366 px with the side
menu open, long words cut with the whole of them in the cell's title, and nothing scrolls
sideways, in the page or in the table."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from claims import services
from tests.support.factories import PASSWORD, ClaimFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(os.environ.get("CLAIMDESK_SCREENSHOTS", "/tmp"))
LONG_TITLE = "Ukrainian International Airlines flight PS752 shot down after take-off from Tehran"
LONG_TEXT = (
    "Canada's foreign minister François-Philippe Champagne told reporters in Ottawa that "
    "57 Canadian citizens, not 63 as first stated, were among the 176 people killed when "
    "flight PS752 was shot down minutes after leaving Imam Khomeini International Airport."
)
UNBROKEN = "https://news.example/" + "ps752-" * 40  # one word far wider than any column


@pytest.fixture
def moderated(desk_server):
    editor = UserFactory(username="eddie", role="editor")
    moderator = UserFactory(username="mona", role="moderator")
    story = StoryFactory(actor=editor, title=LONG_TITLE)
    for n in range(6):
        claim = ClaimFactory(story=story, actor=editor, text=f"{LONG_TEXT} ({n})")
        services.claim_edit(
            claim=claim, actor=editor, expected_version=claim.version, text=f"{UNBROKEN} {n}"
        )
        claim.refresh_from_db()
        services.claim_set_status(
            claim=claim,
            status="in_review",
            rationale="",
            actor=editor,
            expected_version=claim.version,
        )
    return {"url": desk_server.url, "moderator": moderator}


def _no_sideways_scroll(page) -> dict:
    return page.evaluate(
        """() => {
          const root = document.documentElement;
          const results = document.querySelector('#changelist .results');
          return {
            page: [root.scrollWidth, root.clientWidth],
            table: [results.scrollWidth, results.clientWidth],
          };
        }"""
    )


@pytest.mark.parametrize("model", ["claim", "revision"])
def test_the_changelists_fit_a_laptop_without_sideways_scrolling(new_context, moderated, model):
    page = new_context(width=1366, height=900).new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{moderated['url']}/admin/login/?next=/admin/claims/{model}/")
    page.get_by_label("Username").fill("mona")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(rf"/admin/claims/{model}/$"))
    expect(page.locator("#site-name")).to_have_text("Claimdesk moderation")
    expect(page.locator("#nav-sidebar")).to_be_visible()  # the side menu open, as by default

    widths = _no_sideways_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / f"h5-{model}-changelist-1366.png"), full_page=True)

    assert widths["page"][0] <= widths["page"][1], widths
    assert widths["table"][0] <= widths["table"][1], widths
    cut = page.locator("#result_list [title]").first
    assert len(cut.get_attribute("title")) > len(cut.inner_text())
    assert problems == []

"""A reporter ingests a short flood live blog on a phone, reads why each sentence is worth
checking, files the first death toll as a new figure and then the ministry's correction as
the new value replacing it, all in the page and without a full reload."""

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from claims.models import Attribution, Claim, Figure
from tests.browser.test_desk import log_in, mark_page
from tests.support.factories import StoryFactory, UserFactory

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

FLOOD = (
    "09:12 At least 40 people have died in the floods, the Interior Ministry said.\n"
    "11:30 Correction: The Interior Ministry has revised the death toll to 31."
)


@pytest.fixture
def newsroom(desk_server, eager_celery):
    UserFactory(username="rita", role="reporter")
    story = StoryFactory(actor=UserFactory(role="editor"), title="Floods in the north")
    return {"url": desk_server.url, "story": story}


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_reporter_ingests_a_flood_text_and_files_its_correction_on_a_phone(newsroom, new_context):
    base, story = newsroom["url"], newsroom["story"]
    page = new_context(390, 844).new_page()
    log_in(page, base, "rita")
    page.goto(base + "/ingest/")
    page.get_by_label("Story").select_option(label=story.title)
    page.get_by_label("Paste live updates").fill(FLOOD)
    page.get_by_label("Day of the updates").fill("2026-03-14")
    page.get_by_label("Time zone of the updates").fill("Europe/London")
    page.get_by_role("button", name="Find claims").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Floods in the north")

    first = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=re.compile("Candidate 1"))
    )
    correction = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=re.compile("Candidate 2"))
    )
    expect(first).to_contain_text("Interior Ministry · government")
    expect(first).to_contain_text("at least 40")
    expect(first).to_contain_text("09:12, 14 Mar 2026")
    expect(first).to_contain_text("High: states a figure")
    expect(correction).to_contain_text("corrects 40 → 31 (revised by the same speaker)")
    expect(correction.get_by_label("Claim")).to_have_value(
        "Interior Ministry revises the death toll to 31, from 40"
    )
    expect(correction.locator("blockquote")).to_have_text(
        "Correction: The Interior Ministry has revised the death toll to 31."
    )
    assert _fits(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "ingest-explained-phone.png"), full_page=True)
    correction.screenshot(path=str(SCREENSHOTS / "ingest-correction-card-phone.png"))
    mark_page(page)

    expect(first.get_by_label("File it as")).to_have_value("new")
    expect(first.get_by_label("New figure: what it counts")).to_have_value("Deaths")
    first.get_by_role("button", name="Accept as claim").click()
    expect(first).to_contain_text("Accepted")
    replace = correction.get_by_role("button", name="Report a new value of Deaths")
    expect(replace).to_be_visible()  # the correction's card, swapped in with the new offer
    expect(correction).to_contain_text("replacing claim #")
    expect(correction).to_contain_text("a new claim, 31 as the new value of Deaths")
    expect(correction).to_contain_text("(at least 40)")
    correction.screenshot(path=str(SCREENSHOTS / "ingest-correction-offered-phone.png"))
    replace.click()
    expect(correction).to_contain_text("Accepted")
    expect(correction).to_contain_text("which stands at 31")
    assert page.evaluate("window.__noFullReload === true")
    assert _fits(page)

    killed = Figure.objects.get(story=story, subject="Deaths")
    old, new = (
        Claim.objects.get(figure=killed, value=40),
        Claim.objects.get(figure=killed, value=31),
    )
    assert (old.status, old.superseded_by_id, old.approximation) == (
        "superseded",
        new.pk,
        "at_least",
    )
    assert new.text == "Interior Ministry revises the death toll to 31, from 40"
    said = Attribution.objects.get(claim=new)
    assert (said.source.name, said.source.kind) == ("Interior Ministry", "government")
    assert said.said_at == datetime(2026, 3, 14, 11, 30, tzinfo=ZoneInfo("Europe/London"))

"""An editor starts a story from the desk on a phone and on a laptop, then opens its settings;
the public pages a reader then sees. Screenshots go to /tmp/h1-*.png."""

import re

import pytest
from playwright.sync_api import Page, expect

from claims.models import Story, StoryRevision
from tests.support.factories import PASSWORD, UserFactory
from tests.support.public import toll_pair

pytestmark = pytest.mark.browser

SCREENS = {"phone": (390, 844), "laptop": (1366, 768)}


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/review/$"))


def fits_the_width(page: Page) -> bool:
    return page.evaluate(
        "document.scrollingElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("screen", SCREENS)
def test_an_editor_starts_a_story_on_a_phone_and_a_laptop(desk_server, new_context, screen):
    UserFactory(username="eddie", role="editor")
    width, height = SCREENS[screen]
    page = new_context(width, height).new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    log_in(page, desk_server.url, "eddie")

    page.get_by_role("link", name="New story").click()
    expect(page.get_by_role("heading", name="New story")).to_be_visible()
    page.get_by_label("Title").fill(f"Ukrainian airliner PS752 downed near Tehran ({screen})")
    page.get_by_label("Description").fill("Flight PS752 crashed minutes after take-off.")
    page.get_by_label("Time zone").fill("Asia/Tehran")
    page.get_by_label("Public: readers, feeds and partners see it").check()
    form_fits = fits_the_width(page)
    button = page.get_by_role("button", name="Start the story").bounding_box()
    page.screenshot(path=f"/tmp/h1-new-story-{screen}.png", full_page=True)
    page.get_by_role("button", name="Start the story").click()

    expect(page.get_by_text("Story started.")).to_be_visible()
    expect(page.get_by_role("link", name="Public page")).to_be_visible()
    page.screenshot(path=f"/tmp/h1-story-{screen}.png", full_page=True)
    story_fits = fits_the_width(page)
    page.get_by_role("link", name="Story settings").click()
    expect(page.get_by_role("heading", name="Story settings")).to_be_visible()
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Tehran")
    page.screenshot(path=f"/tmp/h1-settings-{screen}.png", full_page=True)
    settings_fits = fits_the_width(page)

    story = Story.objects.get(title__endswith=f"({screen})")
    assert (story.time_zone, story.is_public) == ("Asia/Tehran", True)
    assert StoryRevision.objects.filter(story=story, kind="created").count() == 1
    assert form_fits and story_fits and settings_fits
    assert button is not None and button["x"] + button["width"] <= width
    assert errors == []


@pytest.mark.parametrize("screen", SCREENS)
def test_a_reader_sees_the_replacement_and_bullets_inside_the_cards(
    desk_server, new_context, screen
):
    from tests.support.factories import StoryFactory

    editor = UserFactory(username="eddie", role="editor")
    story = StoryFactory(actor=editor, title="Ukrainian airliner PS752 downed near Tehran")
    old, new = toll_pair(story, editor)
    width, height = SCREENS[screen]
    page = new_context(width, height).new_page()

    page.goto(f"{desk_server.url}{old.get_public_url()}")
    page.screenshot(path=f"/tmp/h1-public-claim-{screen}.png", full_page=True)
    outside = page.evaluate(
        """() => [...document.querySelectorAll('main .card li')].filter(li => {
            const card = li.closest('.card').getBoundingClientRect();
            const marker = li.getBoundingClientRect().left - 18;  // where the bullet is drawn
            return getComputedStyle(li).display === 'list-item'
                && getComputedStyle(li).listStyleType !== 'none' && marker < card.left;
        }).length"""
    )
    page.goto(f"{desk_server.url}/s/")
    page.screenshot(path=f"/tmp/h1-public-index-{screen}.png", full_page=True)

    assert outside == 0
    expect(page.get_by_text(re.compile("latest ruling"))).to_be_visible()
    assert fits_the_width(page)


@pytest.mark.parametrize("screen", SCREENS)
def test_who_holds_what_and_the_public_links_on_the_story_page(desk_server, new_context, screen):
    from claims import services
    from tests.support.factories import ClaimFactory, StoryFactory

    editor = UserFactory(username="eddie", role="editor")
    reporter = UserFactory(username="rita", role="reporter")
    story = StoryFactory(actor=editor, title="Ukrainian airliner PS752 downed near Tehran")
    for n, holder in enumerate([reporter, reporter, editor]):
        claim = ClaimFactory(story=story, actor=reporter, text=f"Claim number {n} about PS752.")
        services.claim_assign(claim=claim, assignee=holder, actor=editor)
    width, height = SCREENS[screen]
    page = new_context(width, height).new_page()
    log_in(page, desk_server.url, "eddie")

    page.goto(f"{desk_server.url}{story.get_absolute_url()}")
    holders = page.locator(".story-holders")
    holders.scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/h1-holders-{screen}.png", full_page=True)

    expect(holders.get_by_role("heading", name=re.compile(r"rita · 2 claims"))).to_be_visible()
    expect(holders.get_by_role("heading", name=re.compile(r"eddie · 1 claim"))).to_be_visible()
    expect(page.get_by_role("link", name="Public page")).to_have_attribute(
        "href", f"/s/{story.slug}/"
    )
    assert fits_the_width(page)

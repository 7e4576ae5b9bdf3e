"""A new value reported from the ingest page reaches readers: the public figure page shows it
as the current value with the old report replaced, and the figure's feed carries it."""

from datetime import UTC, datetime

import feedparser
import pytest
from playwright.sync_api import expect

from claims.models import Claim
from claims.services import ingest
from tests.browser.test_desk import log_in
from tests.support.factories import (
    FigureFactory,
    ReportFactory,
    SourceFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

CORRECTION = (
    "Canada's Foreign Minister Francois-Philippe Champagne said in a news conference on Friday "
    "that the number of Canadian victims from Ukrainian International Airlines flight PS752 "
    "is 57, not 63 as was first stated."
)


@pytest.fixture
def correction(desk_server, eager_celery):
    editor = UserFactory(username="eddie", role="editor")
    story = StoryFactory(actor=editor, title="Ukrainian airliner PS752 downed near Tehran")
    victims = FigureFactory(story=story, subject="Canadian victims", unit="people", actor=editor)
    old = ReportFactory(
        figure=victims, value=63, source=SourceFactory(name="Government of Canada"),
        said_at=datetime(2020, 1, 8, 20, tzinfo=UTC), actor=editor,
    )  # fmt: skip
    job = ingest.ingest_job_create(story=story, text=CORRECTION, actor=editor)
    return {"url": desk_server.url, "job": job, "figure": victims, "old": old}


def test_report_a_new_value_from_ingest_to_the_public_figure_page_and_its_feed(
    correction, new_context
):
    base, figure = correction["url"], correction["figure"]
    page = new_context().new_page()
    log_in(page, base, "eddie")
    page.goto(base + correction["job"].get_absolute_url())
    candidate = page.locator("li.candidate").first
    expect(candidate).to_contain_text("which stands at 63 people")
    candidate.get_by_label("Said at").first.fill("2020-01-10T16:00")
    candidate.get_by_role("button", name="Report a new value of Canadian victims").click()
    expect(page.locator("li.candidate").first).to_contain_text("which stands at 57 people")

    new = Claim.objects.get(figure=figure, value=57)
    assert Claim.objects.get(pk=correction["old"].pk).superseded_by_id == new.pk

    reader = new_context(390, 844).new_page()
    reader.goto(base + figure.get_public_url())
    expect(reader.get_by_role("heading", level=1)).to_contain_text("Canadian victims")
    body = reader.locator("main")
    expect(body).to_contain_text("57 people")
    expect(body).to_contain_text("Francois-Philippe Champagne")
    expect(body).to_contain_text("Government of Canada")
    expect(reader.locator("svg[role=img]")).to_have_count(1)
    alternates = reader.locator('link[rel=alternate][type="application/atom+xml"]')
    hrefs = [alternates.nth(i).get_attribute("href") for i in range(alternates.count())]
    feed_url = next(h for h in hrefs if "/figures/" in h)

    response = reader.request.get(feed_url if feed_url.startswith("http") else base + feed_url)
    assert response.status == 200
    feed = feedparser.parse(response.body())
    assert not feed.bozo, feed.bozo_exception
    titles = [entry.title for entry in feed.entries]
    assert any("Francois-Philippe Champagne reports 57 people" in t for t in titles), titles
    assert any("Government of Canada reports 63 people" in t for t in titles), titles

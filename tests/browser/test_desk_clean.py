"""Every desk page in a real browser, as an editor: not one console error, not one breach of
the content security policy, on load and after an in-place action."""

import re

import pytest
from playwright.sync_api import Page, expect

from claims import services
from tests.support.factories import (
    PASSWORD,
    ClaimFactory,
    EvidenceFactory,
    FigureFactory,
    SourceFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def newsroom(desk_server):
    editor = UserFactory(username="eddie", role="editor")
    reporter = UserFactory(username="rita", role="reporter")
    story = StoryFactory(actor=editor, title="Ukrainian airliner PS752 downed near Tehran")
    trudeau = SourceFactory(name="Justin Trudeau")
    victims = FigureFactory(story=story, actor=reporter, subject="Canadian victims", unit="people")
    toll = ClaimFactory(
        story=story, actor=reporter, text="63 Canadians were on board flight PS752.",
        figure=victims, value=63,
    )  # fmt: skip
    EvidenceFactory(claim=toll, actor=reporter, url="https://news.example/ps752/manifest")
    missile = ClaimFactory(
        story=story, actor=reporter, text="PS752 was probably brought down by a missile."
    )
    services.attribution_add(claim=missile, source=trudeau, actor=reporter,
                             quote="likely brought down by an Iranian missile")  # fmt: skip
    return {"url": desk_server.url, "story": story, "toll": toll, "victims": victims,
            "missile": missile, "trudeau": trudeau}  # fmt: skip


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/review/$"))


def watch_for_errors(page: Page) -> list[str]:
    """Console errors, uncaught exceptions and CSP violations, as they happen."""
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: errors.append(f"exception: {e}"))
    page.expose_function("__cspViolation", lambda text: errors.append(f"csp: {text}"))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => window.__cspViolation("
        "e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '')"
        " + ':' + e.lineNumber));"
    )
    return errors


def test_every_desk_page_loads_and_acts_without_console_errors_or_csp_violations(
    newsroom, new_context
):
    page = new_context().new_page()
    errors = watch_for_errors(page)
    base, story = newsroom["url"], newsroom["story"]
    log_in(page, base, "eddie")

    page.get_by_label("Search").fill("missile")
    expect(page.locator("table.queue tbody tr")).to_have_count(1)
    page.goto(f"{base}/claims/{newsroom['toll'].pk}/")
    page.get_by_label("Status", exact=True).select_option("in_review")
    page.get_by_role("button", name="Change status").click()
    expect(page.locator("#status-badge")).to_have_text("In review")
    form = page.locator("#form-note")
    form.get_by_label("Note").fill("Checking the manifest.")
    form.get_by_role("button", name="Add note").click()
    expect(page.locator("#claim-notes")).to_contain_text("Checking the manifest.")
    for path in [
        story.get_absolute_url(),
        newsroom["victims"].get_absolute_url(),
        "/ingest/",
        f"/stories/{story.slug}/claims/new/",
        newsroom["trudeau"].get_absolute_url(),
        f"/claims/{newsroom['missile'].pk}/",
    ]:
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")

    assert errors == []

"""The desk, the ingest page, the admin and a public page in a real browser under the
Content-Security-Policy every environment sends: not one violation, not one console error."""

import re

import pytest
from playwright.sync_api import Page, expect

from claims import services
from tests.support.factories import (
    PASSWORD,
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

# Runs before any page script and is exempt from the page's CSP: it reports every violation
# to the test through a binding that survives navigations.
LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolationsSeen = (window.cspViolationsSeen || 0) + 1;
  window.reportCspViolation({
    page: location.pathname,
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    sample: event.sample,
    source: event.sourceFile + ":" + event.lineNumber,
  });
});
"""


@pytest.fixture
def newsroom(desk_server):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    story = StoryFactory(actor=root, title="Ukrainian airliner PS752 downed near Tehran")
    toll = ClaimFactory(story=story, actor=root, text="63 Canadians were on board flight PS752.")
    EvidenceFactory(claim=toll, actor=root, url="https://news.example/ps752/manifest")
    missile = ClaimFactory(story=story, actor=root, text="PS752 was brought down by a missile.")
    services.attribution_add(
        claim=missile, source=SourceFactory(name="Justin Trudeau"), actor=root, quote="likely"
    )
    return {"url": desk_server.url, "story": story, "toll": toll}


@pytest.fixture
def watched_page(new_context) -> tuple[Page, list[dict], list[str]]:
    context = new_context()
    violations: list[dict] = []
    errors: list[str] = []
    context.expose_function("reportCspViolation", lambda violation: violations.append(violation))
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and errors.append(f"{page.url}: {message.text} {message.location['url']}")
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, violations, errors


def test_a_desk_walk_under_the_csp_records_no_violation(newsroom, watched_page):
    page, violations, errors = watched_page
    base, toll = newsroom["url"], newsroom["toll"]

    response = page.goto(f"{base}/login/")
    policy = response.headers["content-security-policy"]
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/review/$"))
    rows = page.locator("table.queue tbody tr")
    page.get_by_label("Has no evidence").check()
    expect(rows).to_have_count(1)
    page.get_by_label("Has no evidence").uncheck()
    page.get_by_label("Search").fill("Canadians")
    expect(rows).to_have_count(1)
    page.get_by_role("link", name=toll.text).click()
    expect(page).to_have_url(f"{base}/claims/{toll.pk}/")
    page.get_by_label("Status", exact=True).select_option("false")
    page.get_by_label("Rationale", exact=True).fill("The manifest lists 57 Canadians.")
    page.get_by_role("button", name="Change status").click()
    expect(page.locator("#status-badge")).to_have_text("False")
    evidence = page.locator("#form-evidence")
    evidence.get_by_label("Link").fill("https://news.example/ps752/minister")
    evidence.get_by_role("button", name="Add evidence").click()
    expect(evidence).to_contain_text("Evidence added.")
    page.goto(f"{base}/stories/{newsroom['story'].slug}/")
    expect(page.locator("svg").first).to_be_visible()
    page.goto(f"{base}/ingest/")
    page.get_by_label("Story").select_option(label=newsroom["story"].title)
    page.get_by_label("Paste live updates").fill("Officials said 176 people were on board.")
    page.get_by_role("button", name="Find claims").click()
    expect(page).to_have_url(re.compile(r"/ingest/\d+/$"))
    page.goto(f"{base}/admin/claims/claim/")
    expect(page.locator("#result_list")).to_be_visible()
    page.goto(f"{base}/c/{toll.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("63 Canadians")

    assert "style-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert violations == []
    assert errors == []


def test_the_listener_reports_an_inline_style_the_policy_blocks(newsroom, watched_page):
    page, violations, _ = watched_page
    page.goto(f"{newsroom['url']}/s/")

    page.evaluate("document.body.setAttribute('style', 'color: red')")

    page.wait_for_function("() => window.cspViolationsSeen === 1")
    expect(page.locator("body")).not_to_have_css("color", "rgb(255, 0, 0)")
    assert [v["directive"] for v in violations] == ["style-src-attr"]

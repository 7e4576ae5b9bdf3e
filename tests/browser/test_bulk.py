"""Bulk ruling on the queue in a real browser: three claims ticked, one ruling, one refused;
the outcome is listed by claim and the rows change in place, at laptop and phone widths."""

import re

import pytest
from playwright.sync_api import Page, expect

from claims.models import Claim, Revision
from tests.support.factories import (
    PASSWORD,
    ClaimFactory,
    EvidenceFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def queue(desk_server):
    editor = UserFactory(username="eddie", role="editor")
    reporter = UserFactory(username="rita", role="reporter")
    story = StoryFactory(actor=editor, title="Ukrainian airliner PS752 downed near Tehran")
    texts = [
        "63 Canadians were on board flight PS752.",
        "PS752 left Tehran at 06:12 local time.",
        "Iran intends to keep the black box.",
    ]
    claims = [ClaimFactory(story=story, actor=reporter, text=text) for text in texts]
    for claim in claims[:2]:  # the black-box claim has no evidence: a verdict is refused
        EvidenceFactory(claim=claim, actor=reporter)
    return {"url": desk_server.url, "claims": claims}


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/review/$"))


@pytest.mark.parametrize("width", [1366, 390])
def test_an_editor_rules_three_claims_and_sees_the_refusal_by_claim(queue, new_context, width):
    page = new_context(width=width, height=900).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, queue["url"], "eddie")
    page.evaluate("window.__noFullReload = true")
    first, second, bare = queue["claims"]

    for claim in queue["claims"]:
        page.get_by_label(f"Select claim #{claim.pk}").check()
    page.get_by_label("Rule as").select_option("confirmed")
    page.get_by_label("Rationale", exact=True).fill("The manifest and the airline agree.")
    page.get_by_role("button", name="Rule", exact=True).click()

    outcome = page.locator("#bulk-result")
    expect(outcome).to_contain_text("2 done, 1 refused.")
    expect(outcome).to_contain_text(f"#{first.pk}: status set to Confirmed.")
    expect(outcome).to_contain_text(f"#{bare.pk}: A verdict needs at least one piece of evidence")
    # The rows changed in place, without a full reload, and are unticked.
    row = page.locator(f"#claim-row-{first.pk}")
    expect(row.locator(".badge")).to_have_text("Confirmed")
    expect(page.locator(f"#claim-row-{bare.pk} .badge")).to_have_text("Unverified")
    expect(page.get_by_label(f"Select claim #{first.pk}")).not_to_be_checked()
    assert page.evaluate("window.__noFullReload === true")
    assert not errors, errors
    # Nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=f"/tmp/h2-bulk-{width}.png", full_page=True)

    assert [Claim.objects.get(pk=c.pk).status for c in queue["claims"]] == [
        "confirmed",
        "confirmed",
        "unverified",
    ]
    assert Revision.objects.filter(kind=Revision.Kind.STATUS).count() == 2


def test_bulk_ruling_works_with_javascript_off(queue, chromium):
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 1366, "height": 900}
    )
    try:
        page = context.new_page()
        log_in(page, queue["url"], "eddie")
        first, _, bare = queue["claims"]
        page.get_by_label(f"Select claim #{first.pk}").check()
        page.get_by_label(f"Select claim #{bare.pk}").check()
        page.get_by_label("Rule as").select_option("false")
        page.get_by_label("Rationale", exact=True).fill("The airline's manifest says otherwise.")
        page.get_by_role("button", name="Rule", exact=True).click()

        expect(page.get_by_role("heading", name="Selected claims")).to_be_visible()
        expect(page.locator("#bulk-result")).to_contain_text("1 done, 1 refused.")
        page.screenshot(path="/tmp/h2-bulk-nojs-1366.png", full_page=True)
        page.get_by_role("link", name="Back to the queue").click()
        expect(page.locator(f"#claim-row-{first.pk} .badge")).to_have_text("False")
    finally:
        context.close()

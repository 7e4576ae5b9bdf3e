"""The desk in a real browser: an editor's day, a stale edit, and a reporter's limits."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from claims import services
from claims.models import Claim, Evidence
from tests.support.factories import (
    PASSWORD,
    ClaimFactory,
    EvidenceFactory,
    FigureFactory,
    ReportFactory,
    SourceFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture
def desk(desk_server):
    """The PS752 story in a few claims, and the people who work on it."""
    editor = UserFactory(username="eddie", role="editor")
    other_editor = UserFactory(username="olga", role="editor")
    reporter = UserFactory(username="rita", role="reporter")
    story = StoryFactory(actor=editor, title="Ukrainian airliner PS752 downed near Tehran")
    trudeau = SourceFactory(name="Justin Trudeau")
    victims = FigureFactory(story=story, actor=reporter, subject="Canadian victims", unit="people")
    toll = ClaimFactory(
        story=story,
        actor=reporter,
        text="63 Canadians were on board flight PS752.",
        figure=victims,
        value=63,
    )
    EvidenceFactory(claim=toll, actor=reporter, url="https://news.example/ps752/manifest")
    missile = ClaimFactory(
        story=story, actor=reporter, text="PS752 was probably brought down by a missile."
    )
    services.attribution_add(
        claim=missile,
        source=trudeau,
        actor=reporter,
        quote="likely brought down by an Iranian missile",
        outlet="National Press Theatre, Ottawa",
    )
    ClaimFactory(story=story, actor=reporter, text="Iran intends to keep the black box.")
    return {
        "url": desk_server.url,
        "editor": editor,
        "other_editor": other_editor,
        "reporter": reporter,
        "toll": Claim.objects.get(pk=toll.pk),
        "victims": victims,
        "missile": missile,
    }


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/review/$"))


def mark_page(page: Page) -> None:
    """A flag in the page's JS state: it survives htmx swaps and dies with a full load."""
    page.evaluate("window.__noFullReload = true")


def still_same_page(page: Page) -> bool:
    return page.evaluate("window.__noFullReload === true")


def test_editor_filters_and_searches_the_queue_and_opens_a_claim(desk, new_context):
    page = new_context().new_page()
    log_in(page, desk["url"], "eddie")
    rows = page.locator("table.queue tbody tr")
    expect(rows).to_have_count(3)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "queue.png"), full_page=True)
    mark_page(page)

    page.get_by_label("Search").fill("missile")
    expect(rows).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=missile"))
    page.get_by_label("Search").fill("")
    expect(rows).to_have_count(3)
    page.get_by_label("Has no evidence").check()
    expect(rows).to_have_count(2)
    expect(page).to_have_url(re.compile(r"no_evidence=on"))
    assert still_same_page(page)
    page.get_by_role("link", name="PS752 was probably brought down by a missile.").click()

    expect(page).to_have_url(f"{desk['url']}/claims/{desk['missile'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "PS752 was probably brought down by a missile."
    )
    expect(page.locator("#claim-state")).to_contain_text("Justin Trudeau")


def test_editor_rules_on_a_claim_and_adds_evidence_in_place(desk, new_context):
    page = new_context().new_page()
    log_in(page, desk["url"], "eddie")
    page.goto(f"{desk['url']}/claims/{desk['toll'].pk}/")
    mark_page(page)

    page.get_by_label("Status", exact=True).select_option("false")
    page.get_by_label("Rationale", exact=True).fill("The manifest lists 57 Canadians, not 63.")
    page.get_by_role("button", name="Change status").click()

    expect(page.locator("#status-badge")).to_have_text("False")
    expect(page.locator("#claim-timeline li").first).to_contain_text("Unverified → False")
    expect(page.locator("#claim-counts")).to_contain_text("False 1")
    expect(page.locator("#form-status")).to_contain_text("Status changed.")
    assert still_same_page(page)

    form = page.locator("#form-evidence")
    form.get_by_label("Link").fill("https://news.example/ps752/minister")
    form.get_by_label("Stance").select_option("refutes")
    form.get_by_label("Excerpt").fill("The foreign minister said 57.")
    form.get_by_role("button", name="Add evidence").click()

    expect(page.locator("#claim-state")).to_contain_text("The foreign minister said 57.")
    expect(page.locator("#claim-state h2", has_text="Evidence")).to_contain_text("(2)")
    expect(page.locator("#claim-timeline li").first).to_contain_text("Evidence added")
    expect(page.locator("#form-evidence")).to_contain_text("Evidence added.")
    expect(page.locator("#form-status")).not_to_contain_text("Status changed.")
    assert still_same_page(page)
    page.screenshot(path=str(SCREENSHOTS / "claim.png"), full_page=True)
    assert Evidence.objects.filter(claim=desk["toll"]).count() == 2
    assert Claim.objects.get(pk=desk["toll"].pk).status == "false"


def test_stale_edit_from_a_second_browser_gets_the_conflict_and_keeps_its_input(desk, new_context):
    claim_url = f"{desk['url']}/claims/{desk['toll'].pk}/"
    mine, theirs = new_context().new_page(), new_context().new_page()
    log_in(mine, desk["url"], "eddie")
    log_in(theirs, desk["url"], "olga")
    mine.goto(claim_url)
    theirs.goto(claim_url)

    theirs.get_by_label("Status", exact=True).select_option("in_review")
    theirs.get_by_role("button", name="Change status").click()
    expect(theirs.locator("#status-badge")).to_have_text("In review")
    mine.get_by_label("Status", exact=True).select_option("confirmed")
    mine.get_by_label("Rationale", exact=True).fill("My careful rationale, typed once.")
    mine.get_by_role("button", name="Change status").click()

    expect(mine.get_by_role("alert")).to_contain_text("This claim changed while you were")
    expect(mine.get_by_role("alert")).to_contain_text("olga status changed")
    expect(mine.get_by_label("Rationale", exact=True)).to_have_value(
        "My careful rationale, typed once."
    )
    expect(mine.get_by_label("Status", exact=True)).to_have_value("confirmed")
    expect(mine.locator("#status-badge")).to_have_text("In review")
    assert Claim.objects.get(pk=desk["toll"].pk).status == "in_review"

    mine.get_by_role("button", name="Change status").click()

    expect(mine.locator("#status-badge")).to_have_text("Confirmed")
    claim = Claim.objects.get(pk=desk["toll"].pk)
    assert (claim.status, claim.rationale) == ("confirmed", "My careful rationale, typed once.")


def test_reporter_has_no_status_control_and_is_refused_when_posting_it(desk, new_context):
    context = new_context()
    page = context.new_page()
    log_in(page, desk["url"], "rita")
    claim = desk["toll"]

    page.goto(f"{desk['url']}/claims/{claim.pk}/")
    csrf = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"{desk['url']}/claims/{claim.pk}/status/",
        form={"status": "in_review", "rationale": "", "version": str(claim.version)},
        headers={"X-CSRFToken": csrf},
    )

    expect(page.get_by_label("Status", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Change status")).to_have_count(0)
    expect(page.get_by_role("button", name="Add evidence")).to_have_count(1)
    assert response.status == 403
    assert Claim.objects.get(pk=claim.pk).status == "unverified"


def test_editor_follows_a_claim_and_merges_a_duplicate_in_place(desk, new_context):
    duplicate = ClaimFactory(
        story=desk["toll"].story,
        actor=desk["reporter"],
        text="63 Canadians died on PS752, Ottawa says.",
        figure=desk["victims"],
        value=63,
    )
    page = new_context().new_page()
    log_in(page, desk["url"], "eddie")
    page.goto(f"{desk['url']}/claims/{duplicate.pk}/")
    mark_page(page)

    page.get_by_role("button", name="Watch this claim").click()
    expect(page.locator("#form-watch")).to_contain_text("You follow this claim: its rulings")
    expect(page.get_by_role("button", name="Stop watching")).to_be_visible()

    page.get_by_text("Supersede or merge into another claim").click()
    page.get_by_label("Or its claim number").fill(str(desk["toll"].pk))
    page.get_by_role("button", name="Merge into it").click()

    expect(page.locator("#status-badge")).to_have_text("Superseded")
    expect(page.locator("#claim-state")).to_contain_text(f"#{desk['toll'].pk}")
    assert still_same_page(page)
    assert Claim.objects.get(pk=duplicate.pk).superseded_by_id == desk["toll"].pk
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "claim-merged.png", full_page=True)


def test_figure_page_on_a_phone_keeps_the_chart_text_apart_and_the_table_readable(
    desk, new_context
):
    victims, editor = desk["victims"], desk["editor"]
    said = datetime(2020, 1, 8, 20, tzinfo=UTC)
    for n in range(12):  # a busy evening of revisions, an hour apart
        ReportFactory(figure=victims, actor=editor, value=57 + n % 4,
                      source=SourceFactory(name=f"Official {n % 3}"),
                      said_at=said + timedelta(hours=n))  # fmt: skip
    page = new_context(width=390, height=844).new_page()
    log_in(page, desk["url"], "eddie")

    page.goto(f"{desk['url']}{victims.get_absolute_url()}")

    expect(page.locator("#figure-state h1")).to_have_text("Canadian victims")
    boxes = page.eval_on_selector_all(
        "svg.step-chart text",
        "texts => texts.map(t => { const b = t.getBBox(); return [t.textContent, b.x, b.y,"
        " b.x + b.width, b.y + b.height]; })",
    )
    clashes = [
        (a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1 :]
        if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
    ]  # fmt: skip
    assert len(boxes) > 4 and clashes == []
    chart = page.locator("svg.step-chart").bounding_box()
    assert chart["x"] >= 0 and chart["x"] + chart["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator("table.series tbody tr")).to_have_count(13)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "figure-phone.png"), full_page=True)

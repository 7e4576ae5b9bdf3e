"""Attack text in every field a user can write renders as inert text on every page that shows
it: desk pages, ingest, public pages, JSON-LD, feeds and the admin."""

import json
import re

import feedparser
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from claims import services
from claims.models import Claim, IngestCandidate
from claims.services import ingest, source_create
from tests.support.factories import UserFactory

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</script><script>alert(1)</script>",
    "<svg onload=alert(1)>",
    '{{ 7|add:7 }}{% now "Y" %}',
]
# What must never reach a browser as markup, whatever the payload.
LIVE_MARKUP = re.compile(
    r"<script>alert|<img src=x|<svg onload|(?:href|src|action)=\"javascript:", re.I
)
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def build_hostile_claim(payload: str, moderator) -> Claim:
    """A public story and a ruled claim whose every user-written field holds the payload."""
    author = UserFactory(username=payload[:150], role="editor", is_staff=True)
    story = services.story_create(
        title=f"{payload} story", description=payload, is_public=True, actor=author
    )
    source = source_create(name=f"{payload} source", description=payload, actor=author)
    figure = services.figure_create(story=story, subject=payload, unit=payload[:50], actor=author)
    claim = services.claim_create(
        story=story, text=f"{payload} 63 died", figure=figure, value=63, actor=author
    )
    link = f"https://news.example/{payload}" if payload.startswith("javascript") else ""
    services.evidence_add(
        claim=claim,
        url=link or "https://news.example/manifest",
        stance="supports",
        excerpt=payload,
        actor=author,
        capture=False,
    )
    services.attribution_add(
        claim=claim, source=source, quote=payload, outlet=payload, actor=author
    )
    services.note_add(claim=claim, body=payload, actor=author)
    claim = Claim.objects.get(pk=claim.pk)
    services.claim_set_status(
        claim=claim, status="confirmed", rationale=payload, actor=author, expected_version=3
    )
    job = ingest.ingest_job_create(story=story, text=f"{payload} said 63 died.", actor=author)
    IngestCandidate.objects.create(job=job, index=0, sentence=f"{payload} 63", speaker=payload)
    return Claim.objects.select_related("story", "figure__story").get(pk=claim.pk)


def surfaces(claim: Claim) -> dict[str, tuple[str, bool]]:
    """Every page that shows the claim's fields: path -> (kind, needs a staff login)."""
    story, attribution = claim.story, claim.attributions.get()
    evidence, job = claim.evidence.get(), story.ingest_jobs.get()
    html = {
        "review_queue": reverse("review_queue"),
        "queue search": reverse("review_queue") + "?q=63",
        "claim_detail": reverse("claim_detail", args=[claim.pk]),
        "story_detail": reverse("story_detail", args=[story.slug]),
        "source_detail": reverse("source_detail", args=[attribution.source_id]),
        "ingest_new": reverse("ingest_new"),
        "ingest_detail": reverse("ingest_detail", args=[job.pk]),
        "evidence capture": reverse("evidence_capture_state", args=[evidence.pk]),
        "public story index": reverse("public_story_index"),
        "public story": reverse("public_story", args=[story.slug]),
        "public claim": claim.get_public_url(),
        "public figure": claim.figure.get_public_url(),
        "admin claims": reverse("admin:claims_claim_changelist"),
        "admin claim": reverse("admin:claims_claim_change", args=[claim.pk]),
        "admin story": reverse("admin:claims_story_change", args=[story.pk]),
        "admin sources": reverse("admin:sources_source_changelist"),
        "admin attribution": reverse("admin:claims_attribution_change", args=[attribution.pk]),
        "admin evidence": reverse("admin:claims_evidence_change", args=[evidence.pk]),
        "admin notes": reverse("admin:claims_note_changelist"),
        "admin revisions": reverse("admin:claims_revision_changelist"),
        "admin users": reverse("admin:auth_user_changelist"),
    }
    feeds = {
        f"{scope} {fmt}": reverse(name, args=[*args, fmt])
        for scope, name, args in [
            ("status feed", "public_status_feed", []),
            ("story feed", "public_story_feed", [story.slug]),
            ("claim feed", "public_claim_feed", [claim.pk]),
            ("figure feed", "public_figure_feed", [story.slug, claim.figure_id]),
        ]
        for fmt in ("rss", "atom", "json")
    }
    return {name: (path, "html") for name, path in html.items()} | {
        name: (path, "feed") for name, path in feeds.items()
    }


def assert_inert_html(body: str, payload: str, where: str) -> int:
    """Checks one page; returns how many JSON-LD blocks it parsed."""
    assert not LIVE_MARKUP.search(body), where
    if any(char in payload for char in '<>"'):
        assert payload not in body, where
    assert escape(payload) in body or escape(payload[:50]) in body, f"{where}: payload not shown"
    blocks = JSONLD.findall(body)
    for block in blocks:
        assert json.loads(block)["claimReviewed"].startswith(payload), where
    return len(blocks)


def assert_inert_feed(body: str, payload: str, where: str) -> None:
    if where.endswith(".json)"):
        # JSON Feed: titles and tags are plain text by definition; only content_html is markup.
        items = json.loads(body)["items"]
        assert items and not any(LIVE_MARKUP.search(i.get("content_html", "")) for i in items)
        assert any(payload in item["title"] for item in items), where
        return
    assert not LIVE_MARKUP.search(body), where
    parsed = feedparser.parse(body)
    assert not parsed.bozo, f"{where}: {parsed.get('bozo_exception')}"
    assert any(payload in entry.title for entry in parsed.entries), where


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_every_field_render_as_text_everywhere(payload, superuser, moderator):
    claim = build_hostile_claim(payload, moderator)
    client = Client()
    client.force_login(superuser)

    checked = jsonld_blocks = 0
    for where, (path, kind) in surfaces(claim).items():
        response = client.get(path)
        assert response.status_code == 200, where
        body = response.content.decode()
        if kind == "html":
            jsonld_blocks += assert_inert_html(body, payload, f"{where} ({path})")
        else:
            assert_inert_feed(body, payload, f"{where} ({path})")
        checked += 1

    print(f"xss: {payload!r} checked on {checked} surfaces")
    assert (checked, jsonld_blocks) == (33, 1)


@pytest.mark.parametrize("field", ["url", "homepage"])
def test_javascript_links_are_refused_by_the_services(field, editor, story):
    claim = services.claim_create(story=story, text="63 Canadians died.", actor=editor)

    with pytest.raises(ValidationError):
        if field == "url":
            services.evidence_add(
                claim=claim, url="javascript:alert(1)", stance="supports", actor=editor
            )
        else:
            source_create(name="Spokesperson", homepage="javascript:alert(1)", actor=editor)

    assert claim.evidence.count() == 0

"""Where readers find what the desk is working on: a story's or a claim's public page and
feeds, or None while readers cannot see it."""

from dataclasses import dataclass

from django.urls import reverse

from claims import access
from claims.models import Claim, Story

FEED_NAMES = (("rss", "RSS"), ("atom", "Atom"), ("json", "JSON Feed"))


@dataclass(frozen=True)
class PublicLinks:
    page: str
    feeds: list[tuple[str, str]]


def story_links(story: Story) -> PublicLinks | None:
    if not access.is_public_story(story):
        return None
    return PublicLinks(
        page=reverse("public_story", args=[story.slug]),
        feeds=[
            (name, reverse("public_story_feed", args=[story.slug, fmt])) for fmt, name in FEED_NAMES
        ],
    )


def claim_links(claim: Claim, story: Story) -> PublicLinks | None:
    if not access.is_public_claim(claim, story):
        return None
    return PublicLinks(
        page=reverse("public_claim", args=[claim.pk, claim.slug]),
        feeds=[
            (name, reverse("public_claim_feed", args=[claim.pk, fmt])) for fmt, name in FEED_NAMES
        ],
    )

"""What a feed says: its entries built from rulings, and the RSS 2.0, Atom 1.0 (Django's
syndication framework) and JSON Feed 1.1 documents made of them."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import get_language

from claims import access
from claims.models import STATUS_LABELS, Claim
from claims.public.jsonld import absolute_url, site_host
from claims.selectors import feeds as feed_selectors

# XML 1.0 cannot carry these; Django refuses to write them, so they are dropped from feeds.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class BadFeedFilter(ValueError):
    pass


def xml_safe(text: str) -> str:
    return _XML_UNSAFE.sub("", text or "")


def claim_subject(claim: Claim | feed_selectors.FeedClaim) -> str:
    """How a claim is named in a feed title: by its text, never by the figure it reports."""
    return access.claim_subject(xml_safe(claim.text))


def _status_label(value: str | None) -> str:
    return STATUS_LABELS.get(value or "", "—")


# Entries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One ruling (a verdict or a supersession), as readers see it."""

    guid: str
    title: str
    link: str
    published: datetime
    category: str
    claim_id: int
    claim_text: str
    old_status: str
    new_status: str
    rationale: str = ""
    replacement_text: str = ""
    replacement_link: str = ""

    def lines(self) -> list[tuple[str, str]]:
        rows = [
            ("Status", f"{_status_label(self.old_status)} → {_status_label(self.new_status)}"),
            ("Claim", self.claim_text),
        ]
        if self.rationale:
            rows.append(("Rationale", self.rationale))
        if self.replacement_text:
            rows.append(("Replaced by", self.replacement_text))
        return rows

    @property
    def content_text(self) -> str:
        text = "\n".join(f"{label}: {value}" for label, value in self.lines())
        return text + (f" ({self.replacement_link})" if self.replacement_link else "")

    @property
    def content_html(self) -> str:
        """Escaped HTML: feed readers render descriptions as HTML, so nothing raw goes in."""
        html = lines_html(self.lines())
        if self.replacement_link:
            html += f'<p><a href="{escape(self.replacement_link)}">Read the new claim</a></p>'
        return html

    def extension(self) -> dict:
        """What the JSON feed adds for programs (``_claimdesk``)."""
        return {
            "claim_id": self.claim_id,
            "old_status": self.old_status,
            "new_status": self.new_status,
        }


def lines_html(lines: list[tuple[str, str]]) -> str:
    return "".join(
        f"<p><strong>{escape(label)}:</strong> {escape(value)}</p>" for label, value in lines
    )


def revision_guid(revision: feed_selectors.FeedItem) -> str:
    """Never changes for a revision: a tag: URI on the site's host."""
    return f"tag:{site_host()},2020:claimdesk/revision/{revision.claim_id}/{revision.number}"


def claim_link(claim: feed_selectors.FeedClaim) -> str:
    """The claim's public URL, as ``Claim.get_public_url`` gives it, without a ``reverse()``
    per item (a fifth of a feed build): the route is resolved once, then filled in."""
    prefix, suffix = _CLAIM_ROUTE or _claim_route()
    return absolute_url(f"{prefix}{claim.pk}/{claim.slug}{suffix}")


_CLAIM_ROUTE: list[str] = []


def _claim_route() -> list[str]:
    # Slugs and ids need no quoting, so the reversed path splits cleanly around them.
    path = reverse("public_claim", args=[918273645, "feed-slug"])
    prefix, rest = path.split("918273645/", 1)
    _CLAIM_ROUTE[:] = [prefix, rest.removeprefix("feed-slug")]
    return _CLAIM_ROUTE


def entry_for(item: feed_selectors.FeedItem) -> Entry:
    claim, new_status = item.claim, item.new_status
    replacement = item.replacement if new_status == "superseded" else None
    replaced_by = xml_safe(replacement.text) if replacement else None
    # A ruling is named by the words it rated, even after an edit reopened the claim.
    words = xml_safe(item.ruled_text)
    return Entry(
        guid=revision_guid(item),
        title=access.ruling_title(new_status, words, replaced_by),
        link=claim_link(claim),
        published=item.created_at,
        category=xml_safe(item.story_title),
        claim_id=claim.pk,
        claim_text=words,
        old_status=item.old_status,
        new_status=new_status,
        rationale=xml_safe(item.rationale),
        replacement_text=xml_safe(replacement.text) if replacement else "",
        replacement_link=claim_link(replacement) if replacement else "",
    )


# Scopes -----------------------------------------------------------------------------------


@dataclass
class FeedScope:
    key: str
    title: str
    description: str
    page_url: str
    feed_path: str  # without the extension
    entries: list[Entry] = field(default_factory=list)

    def feed_url(self, fmt: str) -> str:
        return absolute_url(f"{self.feed_path}.{fmt}")

    @property
    def guid(self) -> str:
        return f"tag:{site_host()},2020:claimdesk/feed/{self.key}"


def scope_all(status: str | None, kinds: tuple[str, ...] | None = None) -> FeedScope:
    return FeedScope(
        key="all",
        title=f"{settings.CLAIMDESK_PUBLISHER_NAME}: verdicts and corrections",
        description="Every verdict the desk gives on its public claims, and every claim "
        "replaced by another.",
        page_url=absolute_url(reverse("public_story_index")),
        feed_path="/feeds/status",
        entries=[entry_for(r) for r in feed_selectors.feed_items(status=status, kinds=kinds)],
    )


def scope_story(slug: str, status: str | None, kinds: tuple[str, ...] | None = None) -> FeedScope:
    """The feed of a public story; 404 for a story a reader may not see."""
    story = access.access_public_story_by_slug(slug)
    return FeedScope(
        key=f"story/{story.pk}",
        title=xml_safe(f"{story.title}: verdicts and corrections"),
        description=xml_safe(f"Verdicts on the claims in “{story.title}”, and corrections."),
        page_url=absolute_url(reverse("public_story", args=[story.slug])),
        feed_path=f"/stories/{story.slug}/feed",
        entries=[
            entry_for(r)
            for r in feed_selectors.feed_items(status=status, kinds=kinds, claim__story=story)
        ],
    )


def scope_claim(claim_id: int, status: str | None, kinds: tuple[str, ...] | None = None):
    """The feed of a public claim; 404 for a claim a reader may not see."""
    claim = access.access_public_claim_by_id(claim_id)
    return FeedScope(
        key=f"claim/{claim.pk}",
        title=f"{claim_subject(claim)}: verdicts and corrections",
        description="Verdicts on one claim, and its replacement.",
        page_url=absolute_url(claim.get_public_url()),
        feed_path=f"/claims/{claim.pk}/feed",
        entries=[
            entry_for(r) for r in feed_selectors.feed_items(status=status, kinds=kinds, claim=claim)
        ],
    )


# RSS 2.0 and Atom 1.0 ---------------------------------------------------------------------


class StatusRssFeed(Feed):
    """Rendered from a prepared ``FeedScope``; all links are absolute on the site URL.

    ``get_feed`` fills the generator directly: the syndication ``Feed``'s per-attribute
    lookups (each one inspecting a method's signature, a dozen per item) cost more than
    writing the XML, and every value here is already known.
    """

    fmt = "rss"
    feed_type = Rss201rev2Feed

    def get_feed(self, obj: FeedScope, request: HttpRequest):
        scope, publisher = obj, settings.CLAIMDESK_PUBLISHER_NAME
        feed = self.feed_type(
            title=scope.title,
            subtitle=scope.description,
            link=scope.page_url,
            description=scope.description,
            language=get_language(),
            feed_url=scope.feed_url(self.fmt),
            author_name=publisher,
            author_link=settings.CLAIMDESK_PUBLISHER_URL,
            feed_guid=scope.guid,
        )
        for entry in scope.entries:
            feed.add_item(
                title=entry.title,
                link=entry.link,
                description=entry.content_html,
                unique_id=entry.guid,
                unique_id_is_permalink=False,
                pubdate=entry.published,
                updateddate=entry.published,
                author_name=publisher,
                author_link=settings.CLAIMDESK_PUBLISHER_URL,
                categories=(entry.category,),
            )
        return feed


class StatusAtomFeed(StatusRssFeed):
    fmt = "atom"
    feed_type = Atom1Feed


# JSON Feed 1.1 ----------------------------------------------------------------------------


def json_feed(scope: FeedScope) -> dict:
    author = {"name": settings.CLAIMDESK_PUBLISHER_NAME, "url": settings.CLAIMDESK_PUBLISHER_URL}
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": scope.title,
        "home_page_url": scope.page_url,
        "feed_url": scope.feed_url("json"),
        "description": scope.description,
        "language": "en",
        "authors": [author],
        "items": [_json_item(entry) for entry in scope.entries],
    }


def _json_item(entry: Entry) -> dict:
    return {
        "id": entry.guid,
        "url": entry.link,
        "title": entry.title,
        "content_text": entry.content_text,
        "content_html": entry.content_html,
        "date_published": entry.published.isoformat(),
        "tags": [entry.category],
        "_claimdesk": entry.extension(),
    }


# Serving ----------------------------------------------------------------------------------

"""A figure's feed, RSS 2.0, Atom 1.0 and JSON Feed 1.1: an item for each new report of its
value and for each ruling on one (a verdict or a supersession), newest first.

The figure is reached as its page reaches it; its marks (the figure, its reports, the
sources they name) give the ETag and Last-Modified, so an unchanged feed answers 304 after
the three queries that find the story and the figure and read their marks.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from claims import access
from claims.models import Figure, Story
from claims.public.feed_formats import (
    FeedScope,
    claim_link,
    claim_subject,
    entry_for,
    lines_html,
    xml_safe,
)
from claims.public.feeds import feed_view, serve
from claims.public.jsonld import absolute_url, site_host
from claims.selectors import feeds as feed_selectors
from claims.selectors import public


@dataclass(frozen=True)
class ReportEntry:
    """A new report of the figure, as readers see it."""

    guid: str
    title: str
    link: str
    published: datetime
    category: str
    claim_id: int
    figure_id: int
    lines_shown: tuple[tuple[str, str], ...]

    def lines(self) -> list[tuple[str, str]]:
        return list(self.lines_shown)

    @property
    def content_text(self) -> str:
        return "\n".join(f"{label}: {value}" for label, value in self.lines_shown)

    @property
    def content_html(self) -> str:
        return lines_html(self.lines())

    def extension(self) -> dict:
        return {"claim_id": self.claim_id, "figure_id": self.figure_id, "kind": "report"}


def report_guid(claim_id: int) -> str:
    """Never changes for a report: a tag: URI on the site's host."""
    return f"tag:{site_host()},2020:claimdesk/report/{claim_id}"


def report_entry(figure: Figure, item: feed_selectors.ReportItem) -> ReportEntry:
    shown = figure.describe(item.value, item.approximation, item.value_high)
    source = xml_safe(item.source_name) or "An unnamed source"
    text = xml_safe(item.claim.text)
    return ReportEntry(
        guid=report_guid(item.claim.pk),
        title=f"{access.claim_subject(source)} reports {shown}: {claim_subject(item.claim)}",
        link=claim_link(item.claim),
        published=item.created_at,
        category=xml_safe(figure.story.title),
        claim_id=item.claim.pk,
        figure_id=figure.pk,
        lines_shown=(
            ("Figure", xml_safe(figure.subject)),
            ("Value", shown),
            ("Source", source),
            ("Claim", text),
        ),
    )


def scope_figure(story: Story, figure: Figure, status: str | None) -> FeedScope:
    """The figure's reports (unless the feed is filtered by a ruling) and its rulings."""
    reports = [] if status else feed_selectors.figure_report_items(figure)
    entries = [report_entry(figure, item) for item in reports]
    entries += [entry_for(item) for item in feed_selectors.figure_feed_items(figure, status=status)]
    entries.sort(key=lambda entry: entry.published, reverse=True)
    feed_path = reverse("public_figure_feed", args=[story.slug, figure.pk, "rss"])
    subject = xml_safe(figure.subject)
    return FeedScope(
        key=f"figure/{figure.pk}",
        title=f"{subject}: reports and rulings",
        description=xml_safe(
            f"Every value reported for “{figure.subject}” in “{story.title}”, and the "
            "desk's verdicts on them."
        ),
        page_url=absolute_url(figure.get_public_url()),
        feed_path=feed_path.removesuffix(".rss"),
        entries=entries[: feed_selectors.FEED_LIMIT],
    )


@feed_view
def figure_feed(
    request: HttpRequest, slug: str, figure_id: int, fmt: str, status: str | None
) -> HttpResponse:
    story = access.access_public_story_by_slug(slug)
    figure = access.access_public_figure_by_id(story, figure_id)
    figure.story = story
    if figure.merged_into_id is not None:
        target = reverse("public_figure_feed", args=[slug, figure.merged_into_id, fmt])
        return redirect(target + (f"?status={status}" if status else ""), permanent=True)
    marks = public.figure_marks(figure)
    if not marks.published:
        raise Http404("No such figure.")
    times = tuple(t for t in (marks.last_changed, story.updated_at) if t is not None)
    freshness = feed_selectors.Freshness(
        scope=f"figure:{figure.pk}:{marks.key!r}:{story.slug}", newest=(), marks=times
    )
    build = partial(scope_figure, story, figure, status)
    return serve(request, fmt=fmt, status=status, freshness=freshness, build=build)

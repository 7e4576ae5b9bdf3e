"""Public pages for anonymous readers: the stories, a story's claims and figures, a figure
with its series of reports, and a claim with its verdict, evidence, corrections trail and
ClaimReview. Visibility is decided in claims.access.

The story index and the story pages are lists that grow without bound: they come a page at a
time (claims.lib.keyset), and each page is cached under a key that names what it shows, as
a figure's page is.
"""

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from claims import access
from claims.lib.keyset import Position
from claims.models import Figure, claim_slug
from claims.public import embeds, http, jsonld, pages, series
from claims.selectors import figures, public

FEED_KINDS = (
    ("rss", "RSS", "application/rss+xml"),
    ("atom", "Atom", "application/atom+xml"),
    ("json", "JSON Feed", "application/feed+json"),
)


@dataclass(frozen=True)
class FeedLink:
    name: str
    mime: str
    title: str
    url: str


def feed_links(url_name: str, subject: str, *args) -> list[FeedLink]:
    return [
        FeedLink(name, mime, f"{subject} ({name})", reverse(url_name, args=[*args, fmt]))
        for fmt, name, mime in FEED_KINDS
    ]


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    context["site_feed_links"] = feed_links("public_status_feed", "All verdicts")
    context["publisher_name"] = settings.CLAIMDESK_PUBLISHER_NAME
    return render(request, template, context)


@require_safe
def story_index(request: HttpRequest) -> HttpResponse:
    position = public.index_position(**pages.cursor_params(request))
    index = public.index_marks()
    marks = ("story-index", *index, position.key)
    render_page = partial(_story_index, request, position)
    modified = http.newest(index[0], index[2])
    return http.conditional(
        request, marks=marks, modified=modified, keys=["index"], render=render_page
    )


def _story_index(request: HttpRequest, position: Position) -> HttpResponse:
    page = public.index_page(position)
    response = _render(request, "public/story_index.html", {"stories": page.rows, "page": page})
    response.surrogate_keys = [f"story-{story.pk}" for story in page.rows]
    return response


@require_safe
def story(request: HttpRequest, slug: str) -> HttpResponse:
    found = public.public_story_with_marks(slug)
    position = public.story_position(found, **pages.cursor_params(request))
    marks = (
        "story",
        found.pk,
        found.slug,
        found.updated_at,
        found.claims_changed_at,
        found.claims_changed_id,
        found.figures_changed_at,
        found.figures_changed_id,
        found.sources_changed,
        position.key,
    )
    modified = http.newest(found.updated_at, found.claims_changed_at, found.figures_changed_at)
    render_page = partial(_story, request, found, position)
    keys = [f"story-{found.pk}"]
    return http.conditional(request, marks=marks, modified=modified, keys=keys, render=render_page)


def _story(request: HttpRequest, found, position: Position) -> HttpResponse:
    page = public.story_page(found, position)
    # The figures head the story's first page (however it was reached); older pages list
    # only claims.
    story_figures = [] if page.previous_cursor else figures.public_story_figures(found)
    figure_feeds = [_figure_feed_links(summary.figure) for summary in story_figures]
    shown = [series.series(summary) for summary in story_figures]
    context = {
        "story": found,
        "claims": page.rows,
        "page": page,
        "figures": list(zip(shown, figure_feeds, strict=True)),
        "feed_links": feed_links("public_story_feed", found.title, found.slug),
        "more_feed_links": [link for links in figure_feeds for link in links],
    }
    response = _render(request, "public/story.html", context)
    response.surrogate_keys = [
        *(f"claim-{claim.pk}" for claim in page.rows),
        *(f"figure-{summary.figure.pk}" for summary in story_figures),
        *source_keys(r.source_id for summary in story_figures for r in summary.reports),
    ]
    return response


def source_keys(source_ids) -> list[str]:
    """The keys of the sources a page names, so a source's rename purges it."""
    return [f"source-{pk}" for pk in sorted({pk for pk in source_ids if pk})]


def _figure_feed_links(figure: Figure) -> list[FeedLink]:
    return feed_links("public_figure_feed", figure.subject, figure.story.slug, figure.pk)


@require_safe
def public_figure(request: HttpRequest, slug: str, figure_id: int) -> HttpResponse:
    figure = access.access_public_figure(slug, figure_id, **public.figure_mark_annotations())
    story = figure.story
    if figure.merged_into_id is not None:
        figure.merged_into.story = story
        return redirect(figure.merged_into.get_public_url(), permanent=True)
    marks = public.marks_of(figure)
    if not marks.published:
        raise Http404("No such figure.")
    key = ("figure", figure.pk, story.slug, story.title, story.updated_at, *marks.key)
    keys = [f"figure-{figure.pk}", f"story-{story.pk}"]
    render_page = partial(_figure, request, story, figure)
    modified = http.newest(story.updated_at, marks.last_changed)
    return http.conditional(request, marks=key, modified=modified, keys=keys, render=render_page)


def _figure(request: HttpRequest, story, figure: Figure) -> HttpResponse:
    summary = figures.public_figure(figure)
    context = {
        "story": story,
        "figure": figure,
        "series": series.series(summary),
        "chart": series.chart(summary),
        "feed_links": _figure_feed_links(figure),
        "more_feed_links": feed_links("public_story_feed", story.title, story.slug),
    }
    response = _render(request, "public/figure.html", context)
    response.surrogate_keys = source_keys(report.source_id for report in summary.reports)
    return response


@require_safe
def claim_canonical(request: HttpRequest, claim_id: int) -> HttpResponse:
    return redirect(access.access_public_claim_by_id(claim_id).get_public_url(), permanent=True)


@require_safe
def public_claim(request: HttpRequest, claim_id: int, slug: str) -> HttpResponse:
    marks = public.claim_page_marks(claim_id)
    if marks is None:
        raise Http404("No such claim.")
    if slug != claim_slug(marks["text"]):
        return redirect("public_claim", claim_id, claim_slug(marks["text"]), permanent=True)
    return http.conditional(
        request,
        marks=claim_page_key(marks),
        modified=http.newest(marks["changed_at"], marks["story_updated_at"]),
        keys=claim_page_keys(marks),
        render=partial(_claim_page, request, claim_id),
    )


def claim_page_key(marks: dict) -> tuple:
    """What a public claim page shows changes with these: the claim's version, its story,
    its sources, and the claim that replaced it."""
    by = marks["superseded_by_id"]
    return (
        "claim", marks["id"], marks["version"], marks["changed_at"], marks["story_updated_at"],
        marks["sources_changed"],
        by and (by, marks["replacement_version"], marks["replacement_changed_at"]),
    )  # fmt: skip


def claim_page_keys(marks: dict) -> list[str]:
    keys = [f"claim-{marks['id']}", f"story-{marks['story_id']}"]
    if marks["figure_id"] is not None:
        keys.append(f"figure-{marks['figure_id']}")
    return keys


def _claim_page(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = access.access_public_claim_by_id(claim_id)
    if claim.figure_id is not None:
        claim.figure.story = claim.story
    return _claim(request, claim)


def _claim(request: HttpRequest, claim) -> HttpResponse:
    attributions = public.public_attributions(claim)
    evidence = public.public_evidence(claim)
    shown = {row.source_id for row in [*attributions, *evidence] if row.source_id}
    trail = public.public_trail(claim, sources=shown)
    first_ruled_at, modified_at = public.review_dates(trail)
    review = jsonld.claim_review(
        claim, attributions=attributions, first_ruled_at=first_ruled_at, modified_at=modified_at
    )
    context = {
        "claim": claim,
        "story": claim.story,
        "replacement": access.public_replacement(claim),
        "replaced": list(access.public_replaced(claim).order_by("id")),
        "attributions": attributions,
        "evidence": evidence,
        "trail": trail,
        "claim_review_jsonld": jsonld.dumps_for_script(review) if review else "",
        "canonical_url": jsonld.absolute_url(claim.get_public_url()),
        "feed_links": feed_links("public_claim_feed", "This claim", claim.pk)
        + feed_links("public_story_feed", claim.story.title, claim.story.slug),
        "oembed_url": embeds.oembed_discovery_url(claim),
    }
    response = _render(request, "public/claim.html", context)
    response.surrogate_keys = source_keys(shown)
    if claim.superseded_by_id:
        response.surrogate_keys.append(f"claim-{claim.superseded_by_id}")
    return response

"""Public responses tell shared caches how long to keep them and what they show; a reader's
copy is confirmed with a 304 after one query; desk and admin pages are never stored."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import CachePurge
from tests.support.public import ruled_claim, ruled_report, toll_figure

pytestmark = pytest.mark.django_db


@pytest.fixture
def shown(story, editor):
    figure = toll_figure(story, editor)
    report = ruled_report(figure, editor, value=63, text="Sixty-three citizens died.")
    claim = ruled_claim(story, editor, text="The bridge reopened in May.", status="false")
    return {"figure": figure, "report": report, "claim": claim}


def _pages(story, shown) -> dict[str, tuple[str, list[str]]]:
    claim, figure = shown["claim"], shown["figure"]
    return {
        "index": ("/s/", ["index", f"story-{story.pk}"]),
        "story": (f"/s/{story.slug}/", [f"story-{story.pk}", f"claim-{claim.pk}",
                                        f"figure-{figure.pk}"]),
        "claim": (claim.get_public_url(), [f"claim-{claim.pk}", f"story-{story.pk}"]),
        "report": (shown["report"].get_public_url(), [f"figure-{figure.pk}"]),
        "figure": (figure.get_public_url(), [f"figure-{figure.pk}", f"story-{story.pk}"]),
        "feed": ("/feeds/status.rss", ["feeds"]),
        "story-feed": (f"/stories/{story.slug}/feed.atom", ["feeds"]),
        "claim-feed": (f"/claims/{claim.pk}/feed.json", ["feeds"]),
        "embed": (f"/embed/c/{claim.pk}/", [f"claim-{claim.pk}"]),
    }  # fmt: skip


@pytest.mark.parametrize(
    "name",
    ["index", "story", "claim", "report", "figure", "feed", "story-feed", "claim-feed", "embed"],
)
def test_public_response_is_cacheable_and_names_what_it_shows(client, story, shown, name):
    url, keys = _pages(story, shown)[name]

    response = client.get(url)

    assert response.status_code == 200
    control = response.headers["Cache-Control"]
    assert control.startswith("public")
    for part in ("max-age=30", "s-maxage=600", "stale-while-revalidate=30", "stale-if-error=86400"):
        assert part in control
    assert response.headers["ETag"].startswith('"')
    assert "Last-Modified" in response.headers
    named = response.headers["Surrogate-Key"].split()
    assert response.headers["xkey"].split() == named
    assert set(keys) <= set(named)


@pytest.mark.parametrize("name", ["index", "story", "claim", "feed", "embed"])
def test_unchanged_page_answers_304_after_one_query(
    client, story, shown, name, django_assert_max_num_queries
):
    url, keys = _pages(story, shown)[name]
    first = client.get(url)

    with django_assert_max_num_queries(1):
        again = client.get(url, HTTP_IF_NONE_MATCH=first.headers["ETag"])

    assert again.status_code == 304
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"].startswith("public")


def test_figure_page_answers_304_after_one_query(
    client, story, shown, django_assert_max_num_queries
):
    url = shown["figure"].get_public_url()
    first = client.get(url)

    with django_assert_max_num_queries(1):
        again = client.get(url, HTTP_IF_NONE_MATCH=first.headers["ETag"])

    assert again.status_code == 304
    assert again.headers["ETag"] == first.headers["ETag"]


def test_a_sources_rename_purges_the_pages_that_name_it_and_changes_them(
    client, story, editor, shown
):
    from sources.services import source_update

    report = shown["report"]
    source = report.attributions.get().source
    pages = [report.get_public_url(), shown["figure"].get_public_url(), f"/s/{story.slug}/"]
    before = {url: client.get(url) for url in pages}
    for response in before.values():
        assert f"source-{source.pk}" in response.headers["xkey"].split()
    CachePurge.objects.all().delete()

    source_update(source=source, name="Global Affairs Canada", kind=source.kind, actor=editor)

    assert [purge.keys for purge in CachePurge.objects.all()] == [["feeds", f"source-{source.pk}"]]
    for url, old in before.items():
        fresh = client.get(url, HTTP_IF_NONE_MATCH=old.headers["ETag"])
        assert fresh.status_code == 200
        assert "Global Affairs Canada" in fresh.content.decode()


def test_a_ruling_changes_the_claim_pages_etag(client, story, editor, shown):
    claim = shown["claim"]
    before = client.get(claim.get_public_url()).headers["ETag"]
    claim.refresh_from_db()

    services.claim_set_status(
        claim=claim, status="confirmed", rationale="New records.", actor=editor,
        expected_version=claim.version,
    )  # fmt: skip

    after = client.get(claim.get_public_url(), HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after.headers["ETag"] != before
    assert "Confirmed" in after.content.decode()


def test_second_render_of_a_claim_page_comes_from_the_cache(
    client, shown, django_assert_max_num_queries
):
    url = shown["claim"].get_public_url()
    first = client.get(url)

    with django_assert_max_num_queries(1):
        second = client.get(url)

    assert second.content == first.content


def test_desk_and_admin_pages_are_private_no_store(client, editor, superuser):
    client.force_login(editor)
    desk = client.get(reverse("review_queue"))
    client.force_login(superuser)
    admin = client.get("/admin/")

    assert desk.status_code == 200
    assert desk.headers["Cache-Control"] == "private, no-store"
    assert admin.status_code == 200
    assert {"private", "no-store"} <= set(admin.headers["Cache-Control"].split(", "))


def test_embed_alone_may_be_framed(client, shown, settings):
    settings.CLAIMDESK_EMBED_ORIGINS = ["https://partner.example"]

    embed = client.get(f"/embed/c/{shown['claim'].pk}/")
    page = client.get(shown["claim"].get_public_url())

    assert "frame-ancestors https://partner.example" in embed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed.headers
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"


def test_ruling_records_a_purge_of_what_shows_the_claim(
    story, editor, shown, django_capture_on_commit_callbacks
):
    claim = shown["claim"]
    claim.refresh_from_db()
    CachePurge.objects.all().delete()

    with django_capture_on_commit_callbacks() as callbacks:
        services.claim_set_status(
            claim=claim, status="confirmed", rationale="New records.", actor=editor,
            expected_version=claim.version,
        )  # fmt: skip

    row = CachePurge.objects.get()
    assert set(row.keys) >= {f"claim-{claim.pk}", f"story-{story.pk}", "feeds", "index"}
    assert row.purged_at is None
    assert len(callbacks) >= 1

"""The review queue: filters, search, keyset paging, counts, visibility, htmx fragments."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.urls import reverse

from claims import services
from claims.lib import keyset
from claims.models import Claim, StatusCount
from claims.selectors import queue as selectors
from tests.support.factories import (
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


QUEUE = reverse("review_queue")


def claim_ids(response) -> list[int]:
    """The claims listed in the queue's table, in order."""
    return [int(i) for i in re.findall(r'id="claim-row-(\d+)"', response.content.decode())]


def pager_params(response, rel: str) -> dict:
    """The query of the pager's Next or Previous link, as the browser would send it."""
    href = re.search(rf'rel="{rel}" href="([^"]+)"', response.content.decode()).group(1)
    return {k: v[0] for k, v in parse_qs(urlsplit(unescape(href)).query).items()}


def make_claims(story, actor, count: int) -> list[Claim]:
    return [
        ClaimFactory(story=story, actor=actor, text=f"Claim number {n} about the flight.")
        for n in range(count)
    ]


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(QUEUE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logged_in_user_without_desk_role_is_refused(client):
    client.force_login(UserFactory(username="visitor"))

    response = client.get(QUEUE)

    assert response.status_code == 403


def test_queue_lists_newest_change_first_with_links(client, editor, story, reporter):
    older, newer = make_claims(story, reporter, 2)
    services.claim_assign(claim=older, assignee=editor, actor=editor)
    client.force_login(editor)

    response = client.get(QUEUE)

    assert claim_ids(response) == [older.pk, newer.pk]
    assert f'href="/claims/{older.pk}/"' in response.content.decode()
    assert 'for="id_q">Search</label>' in response.content.decode()


def test_keyset_pages_walk_forward_and_back_without_overlap(client, editor, story, reporter):
    claims = make_claims(story, reporter, selectors.PAGE_SIZE + 5)
    newest_first = [c.pk for c in reversed(claims)]
    client.force_login(editor)

    first = client.get(QUEUE)
    second = client.get(QUEUE, pager_params(first, "next"))
    back = client.get(QUEUE, pager_params(second, "prev"))

    assert claim_ids(first) == newest_first[: selectors.PAGE_SIZE]
    assert claim_ids(second) == newest_first[selectors.PAGE_SIZE :]
    assert 'rel="next"' not in second.content.decode()
    assert claim_ids(back) == newest_first[: selectors.PAGE_SIZE]


def test_malformed_cursor_starts_from_the_first_page(client, editor, story, reporter):
    claims = make_claims(story, reporter, 2)
    client.force_login(editor)

    response = client.get(QUEUE, {"after": "not-a-cursor_x"})

    assert response.status_code == 200
    assert claim_ids(response) == [claims[1].pk, claims[0].pk]


def test_filters_by_status_story_assignee_and_evidence(client, editor, reporter, story):
    other_story = StoryFactory(actor=editor, title="Iraq protests")
    plain, with_evidence = make_claims(story, reporter, 2)
    elsewhere = ClaimFactory(story=other_story, actor=reporter)
    EvidenceFactory(claim=with_evidence, actor=reporter)
    services.claim_set_status(
        claim=with_evidence, status="in_review", rationale="", actor=editor, expected_version=2
    )
    services.claim_assign(claim=plain, assignee=editor, actor=editor)
    client.force_login(editor)

    by_status = client.get(QUEUE, {"status": "in_review"})
    by_story = client.get(QUEUE, {"story": other_story.slug})
    by_assignee = client.get(QUEUE, {"assignee": editor.pk})
    mine = client.get(QUEUE, {"mine": "on"})
    no_evidence = client.get(QUEUE, {"no_evidence": "on"})

    assert claim_ids(by_status) == [with_evidence.pk]
    assert claim_ids(by_story) == [elsewhere.pk]
    assert claim_ids(by_assignee) == [plain.pk]
    assert claim_ids(mine) == [plain.pk]
    assert set(claim_ids(no_evidence)) == {plain.pk, elsewhere.pk}


def test_filter_by_source_lists_the_claims_it_made(client, editor, reporter, story):
    trudeau = SourceFactory(name="Justin Trudeau")
    said, unsaid = make_claims(story, reporter, 2)
    services.attribution_add(claim=said, source=trudeau, actor=reporter, quote="likely")
    client.force_login(editor)

    response = client.get(QUEUE, {"source": trudeau.pk})

    assert claim_ids(response) == [said.pk]


def test_search_finds_claim_text_quotes_and_source_names(client, editor, reporter, story):
    missile = ClaimFactory(story=story, actor=reporter, text="An Iranian missile hit PS752.")
    quoted = ClaimFactory(story=story, actor=reporter, text="Ukraine has not ruled it out.")
    services.attribution_add(
        claim=quoted,
        source=SourceFactory(name="Volodymyr Zelenskiy"),
        actor=reporter,
        quote="it had not been confirmed yet",
    )
    ClaimFactory(story=story, actor=reporter, text="The black box stays in Iran.")
    client.force_login(editor)

    by_text = client.get(QUEUE, {"q": "missile"})
    by_source = client.get(QUEUE, {"q": "Zelenskiy"})
    by_quote = client.get(QUEUE, {"q": "confirmed"})
    nothing = client.get(QUEUE, {"q": "volcano"})

    assert claim_ids(by_text) == [missile.pk]
    assert claim_ids(by_source) == [quoted.pk]
    assert claim_ids(by_quote) == [quoted.pk]
    assert claim_ids(nothing) == []
    assert "No claims match." in nothing.content.decode()


def test_hidden_claims_stay_out_unless_an_editor_asks_for_them(client, editor, reporter, story):
    shown, hidden = make_claims(story, reporter, 2)
    services.claim_hide(claim=hidden, actor=editor, note="Abusive")

    client.force_login(reporter)
    reporter_default = client.get(QUEUE)
    reporter_asks = client.get(QUEUE, {"hidden": "on"})
    client.force_login(editor)
    editor_default = client.get(QUEUE)
    editor_asks = client.get(QUEUE, {"hidden": "on"})

    assert claim_ids(reporter_default) == [shown.pk]
    assert claim_ids(reporter_asks) == [shown.pk]
    assert claim_ids(editor_default) == [shown.pk]
    assert claim_ids(editor_asks) == [hidden.pk]


def test_counts_come_from_the_kept_status_counts(client, editor, story, reporter):
    make_claims(story, reporter, 3)
    StatusCount.objects.filter(story=story, status="disputed").update(count=41)
    client.force_login(editor)

    response = client.get(QUEUE)

    html = response.content.decode()
    assert re.search(r'badge unverified"[^>]*>Unverified <span class="count">3<', html)
    assert re.search(r'badge disputed"[^>]*>Disputed <span class="count">41<', html)


def test_htmx_request_gets_only_the_results(client, editor, story, reporter):
    claim = ClaimFactory(story=story, actor=reporter)
    client.force_login(editor)

    response = client.get(QUEUE, {"q": "aircraft"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "<html" not in html and 'name="status"' not in html
    assert claim_ids(response) == [claim.pk]
    assert "HX-Request" in response["Vary"]


def test_bad_filters_are_reported_and_ignored(client, editor, story, reporter):
    claim = ClaimFactory(story=story, actor=reporter)
    client.force_login(editor)

    response = client.get(QUEUE, {"status": "nonsense", "story": "no-such-story", "q": "x" * 500})

    assert response.status_code == 200
    assert "Some filters were not understood" in response.content.decode()
    assert claim_ids(response) == [claim.pk]


def test_claim_text_is_escaped(client, editor, story, reporter):
    ClaimFactory(story=story, actor=reporter, text="<script>alert(1)</script>")
    client.force_login(editor)

    response = client.get(QUEUE)

    html = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize("rows", [5, 50])
def test_queue_runs_a_constant_number_of_queries(
    client, editor, reporter, story, rows, django_assert_max_num_queries
):
    source = SourceFactory(name="Reuters")
    for claim in make_claims(story, reporter, rows):
        services.attribution_add(claim=claim, source=source, actor=reporter)
    client.force_login(editor)
    params = {"story": story.slug, "source": source.pk}

    # Cold: the rows are read, then the claims behind them whole, to be rendered and cached.
    with django_assert_max_num_queries(13):
        response = client.get(QUEUE, params)
    assert len(claim_ids(response)) == min(rows, selectors.PAGE_SIZE)

    # Warm: the rows' markup comes from the cache; only the page's keys are read.
    with django_assert_max_num_queries(8):
        again = client.get(QUEUE, params)
    assert claim_ids(again) == claim_ids(response)


@pytest.mark.postgres
def test_search_and_keyset_queries_use_their_indexes(editor, story, reporter):
    make_claims(story, reporter, 3)
    filters = selectors.QueueFilters(q="flight")
    searched, _ = selectors._queue_queryset(editor, filters)
    plain, _ = selectors._queue_queryset(editor, selectors.QueueFilters())

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        search_plan = searched.order_by("-rank").explain()
        queue_plan = plain.order_by("-changed_at", "-id")[:26].explain()

    assert "Seq Scan on claims_claim" not in search_plan
    assert "claim_search_vector_idx" in search_plan or "claim_queue_idx" in search_plan
    assert "claim_queue_idx" in queue_plan


@pytest.mark.postgres
def test_a_deep_page_is_one_index_range_with_no_sort(editor, story, reporter):
    claims = make_claims(story, reporter, 6)
    middle = Claim.objects.get(pk=claims[3].pk)
    cursor = keyset.Cursor(middle.changed_at, middle.pk).encode()
    plain, _ = selectors._queue_queryset(editor, selectors.QueueFilters())
    position = keyset.Position.read(after=cursor, before="")
    deep = plain.filter(keyset.beyond(plain, ["changed_at", "id"], position)).order_by(
        "-changed_at", "-id"
    )[:26]

    with connection.cursor() as cursor_:
        # A handful of rows would otherwise be read whole; the plan at scale is the bench's.
        cursor_.execute("SET LOCAL enable_seqscan = off")
        cursor_.execute("SET LOCAL enable_bitmapscan = off")
        plan = deep.explain()
    rows = list(deep)

    assert "Index Scan using claim_queue_idx" in plan
    assert "ROW(changed_at, id) < ROW(" in plan
    assert "Sort" not in plan
    assert [c.pk for c in rows] == [
        c.pk
        for c in sorted(
            (
                c
                for c in Claim.objects.filter(story=story)
                if (c.changed_at, c.pk) < (middle.changed_at, middle.pk)
            ),
            key=lambda c: (c.changed_at, c.pk),
            reverse=True,
        )
    ]


def test_a_cached_queue_row_shows_the_claims_next_change(client, editor, reporter, story):
    claim = ClaimFactory(story=story, actor=reporter, text="Two missiles were launched.")
    EvidenceFactory(claim=claim, actor=reporter)
    client.force_login(editor)
    before = client.get(QUEUE).content.decode()
    claim.refresh_from_db()

    services.claim_set_status(
        claim=claim,
        status="confirmed",
        rationale="Satellite data.",
        actor=editor,
        expected_version=claim.version,
    )
    services.attribution_add(
        claim=claim, source=SourceFactory(name="One US official"), actor=reporter
    )
    after = client.get(QUEUE).content.decode()

    assert 'class="badge unverified">Unverified</span>' in before
    assert 'class="badge confirmed">Confirmed</span>' in after
    assert "One US official" in after

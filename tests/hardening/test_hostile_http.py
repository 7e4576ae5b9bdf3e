"""Hostile input at the HTTP layer: every desk form, the ingest form, the queue's filters and
cursors, public pages with odd slugs and query strings, and the feeds' filters and
conditional headers get arbitrary text, unicode oddities, huge values, wrong types, repeated
fields and undecodable bytes.

Never a 500 (the test client re-raises any exception a view lets escape), and when the answer
is an error, every table is exactly as before. Each example runs in a savepoint that is rolled
back, so every example starts from the same claim.
"""

import urllib.parse

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.hardening.hostile import EXPLORE, NASTY_PIECES, hostile_settings, huge_text
from tests.hardening.world import World, build_world, fingerprint

CURRENT = "«current version»"  # replaced by the claim's version when sent
# Fewer examples than the service-level tests: each one is a full request, some of them two.
few = settings(hostile_settings, max_examples=EXPLORE or 15)
fewer = settings(hostile_settings, max_examples=EXPLORE or 5)


def _encodable(text: str) -> bool:
    return not any("\ud800" <= char <= "\udfff" for char in text)


form_text = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(NASTY_PIECES), max_size=6).map("".join),
    huge_text,
    st.sampled_from(
        [
            CURRENT,
            "",
            "0",
            "-1",
            "1",
            "2",
            "99999999999999999999999",
            "1e309",
            "NaN",
            "true",
            "on",
            "confirmed",
            "in_review",
            "superseded",
            "supports",
            "https://news.example/ps752",
            "javascript:alert(1)",
            "2026-13-45T25:61",
            "9999-12-31T23:59",
            "0001-01-01T00:00",
            "ps752-downed-near-tehran",
            "2020-01-08T00:00:00+00:00_1",
            "1.0_2020-01-08T00:00:00_1",
            "²",  # a digit to str.isdigit(), not to int()
            "63\x00",
        ]
    ),
).filter(_encodable)
form_value = st.one_of(form_text, st.lists(form_text, min_size=2, max_size=3))


def form_for(fields: list[str]):
    """Any subset of the form's fields plus stray ones, each with any value (or several)."""
    names = st.sampled_from([*fields, "csrfmiddlewaretoken", "x" * 300, "évidence", "\u202e"])
    return st.dictionaries(names, form_value, max_size=len(fields) + 2)


POST_FORMS = {
    "claim_status": ["status", "rationale", "version"],
    "claim_edit": [
        "text",
        "figure",
        "new_subject",
        "new_kind",
        "new_unit",
        "value",
        "approximation",
        "value_high",
        "confirm_mismatch",
        "note",
        "keep_ruling",
        "version",
    ],
    "claim_evidence_add": ["url", "stance", "excerpt", "source", "version"],
    "claim_attribution_add": ["source", "quote", "outlet", "url", "said_at", "version"],
    "claim_assign": ["version", "to", "assignee"],
    "claim_supersede": ["by", "by_number", "q", "note", "version"],
    "claim_note_add": ["body"],
    "claim_new": [
        "text",
        "figure",
        "new_subject",
        "new_kind",
        "new_unit",
        "value",
        "approximation",
        "value_high",
        "confirm_mismatch",
        "note",
    ],
    "ingest_new": ["story", "text"],
}
QUEUE_FILTERS = ["q", "status", "story", "assignee", "source", "no_evidence", "mine", "hidden"]


@pytest.fixture
def desk(reporter, editor, moderator, superuser) -> tuple[World, Client]:
    world = build_world(reporter=reporter, editor=editor, moderator=moderator)
    client = Client()
    client.force_login(superuser)  # every form is open to a superuser: the deepest code runs
    return world, client


def post_path(name: str, world: World) -> str:
    if name == "claim_new":
        return reverse(name, args=[world.public_story.slug])
    if name == "ingest_new":
        return reverse(name)
    return reverse(name, args=[world.public_claim.pk])


def resolve(data: dict, world: World) -> dict:
    version = str(world.claim("public").version)
    return {
        key: [version if v == CURRENT else v for v in value]
        if isinstance(value, list)
        else (version if value == CURRENT else value)
        for key, value in data.items()
    }


def send(client: Client, method: str, path: str, **kwargs) -> int:
    """One request in a rolled-back savepoint; fails on a 500 or on an error that wrote."""
    with transaction.atomic():
        before = fingerprint()
        response = getattr(client, method)(path, **kwargs)
        wrote = fingerprint() != before
        transaction.set_rollback(True)
    assert response.status_code < 500, (method, path, kwargs)
    if response.status_code >= 400:
        assert not wrote, (method, path, kwargs, response.status_code)
    return response.status_code


@pytest.mark.parametrize("name", sorted(POST_FORMS))
def test_desk_forms_answer_hostile_posts_without_a_crash_or_a_partial_write(name, desk):
    world, client = desk
    path = post_path(name, world)

    @few
    @given(data=form_for(POST_FORMS[name]), htmx=st.booleans())
    def post(data, htmx):
        headers = {"HX-Request": "true"} if htmx else {}
        status = send(client, "post", path, data=resolve(data, world), headers=headers)
        assert status in {200, 302, 400, 403, 409, 422}

    post()


@pytest.mark.parametrize("name", sorted(POST_FORMS))
def test_desk_forms_refuse_undecodable_bodies(name, desk):
    world, client = desk
    path = post_path(name, world)

    @fewer
    @given(body=st.binary(max_size=300))
    def post(body):
        send(client, "post", path, data=body, content_type="application/x-www-form-urlencoded")

    post()


query_value = form_text


@few
@given(query=st.dictionaries(st.sampled_from([*QUEUE_FILTERS, "after", "before"]), query_value))
def test_queue_filters_search_and_cursors_never_crash(desk, query):
    _, client = desk

    for htmx in (False, True):
        headers = {"HX-Request": "true"} if htmx else {}
        status = send(client, "get", reverse("review_queue"), data=query, headers=headers)

        assert status == 200


@few
@given(q=query_value, text=query_value)
def test_search_as_you_type_endpoints_never_crash(desk, q, text):
    world, client = desk
    htmx = {"HX-Request": "true"}

    supersede = send(
        client, "get", reverse("claim_supersede", args=[world.public_claim.pk]), data={"q": q}
    )
    similar = send(
        client,
        "get",
        reverse("claim_new", args=[world.public_story.slug]),
        data={"text": text},
        headers=htmx,
    )

    assert (supersede, similar) == (200, 200)


@pytest.mark.parametrize("typed", ["²", "63\x00", "\x00", "9" * 400])
def test_similar_claims_survive_nul_bytes_and_digits_int_cannot_read(desk, typed):
    world, client = desk
    htmx = {"HX-Request": "true"}

    statuses = [
        send(
            client,
            "get",
            reverse("claim_new", args=[world.public_story.slug]),
            data={"text": typed},
            headers=htmx,
        ),
        send(
            client,
            "get",
            reverse("claim_supersede", args=[world.public_claim.pk]),
            data={"q": typed},
        ),
    ]

    assert statuses == [200, 200]


odd_segment = st.one_of(
    st.text(min_size=1, max_size=80),
    st.sampled_from(["0", "-1", "99999999999999999999", "9" * 400, "%00", "..", "ps752 ", "é"]),
).filter(_encodable)


@few
@given(segment=odd_segment, number=st.sampled_from(["0", "1", "2147483648", "9" * 30]))
def test_public_pages_with_odd_slugs_and_ids_are_not_found_not_crashes(desk, segment, number):
    _, client = desk
    slug = urllib.parse.quote(segment, safe="")
    paths = [
        f"/s/{slug}/",
        f"/c/{number}/",
        f"/c/{number}/{slug}/",
        f"/stories/{slug}/feed.rss",
        f"/claims/{number}/feed.json",
        f"/s/{slug}/figures/{number}/",
        f"/s/{slug}/figures/{number}/feed.atom",
        f"/claims/{number}/",
        f"/stories/{slug}/",
        f"/sources/{number}/",
        f"/ingest/{number}/",
        f"/evidence/{number}/capture/",
    ]

    statuses = {send(Client(), "get", path) for path in paths[:7]}
    statuses |= {send(client, "get", path) for path in paths[7:]}

    assert statuses <= {200, 301, 302, 404}


conditional = st.one_of(
    st.none(),
    query_value,
    st.sampled_from(['"abc"', "*", 'W/"x", "y"', "Wed, 21 Oct 2015 07:28:00 GMT", "yesterday"]),
)


@few
@given(
    status=query_value,
    extra=st.dictionaries(query_value, query_value, max_size=3),
    etag=conditional,
    since=conditional,
    fmt=st.sampled_from(["rss", "atom", "json"]),
)
def test_feeds_take_any_filter_and_conditional_headers(desk, status, extra, etag, since, fmt):
    world, _ = desk
    headers = {}
    if etag is not None:
        headers["If-None-Match"] = etag.encode("utf-8", "replace").decode("latin-1")
    if since is not None:
        headers["If-Modified-Since"] = since.encode("utf-8", "replace").decode("latin-1")

    for path in (
        reverse("public_status_feed", args=[fmt]),
        reverse("public_story_feed", args=[world.public_story.slug, fmt]),
        reverse("public_figure_feed", args=[world.public_story.slug, world.public_figure.pk, fmt]),
    ):
        code = send(Client(), "get", path, data={**extra, "status": status}, headers=headers)

        assert code in {200, 304, 400}

"""What a partner reads and writes about a claim's figure and supersession, and how the
story and source lists page."""

import json

import pytest

from claims.models import Claim, Revision, Story
from claims.services.api_tokens import api_token_create
from sources.models import Source
from tests.support.factories import ClaimFactory, StoryFactory
from tests.support.public import toll_figure, toll_pair

pytestmark = pytest.mark.django_db


def bearer(user, scope="write"):
    _, token = api_token_create(user=user, name="cms", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def send(client, method, url, body, user, version=None):
    headers = bearer(user)
    if version is not None:
        headers["HTTP_IF_MATCH"] = f'"{version}"'
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", **headers
    )


def test_a_claim_names_what_replaced_it_and_its_figures_whole_series(client, editor, story):
    old, new = toll_pair(story, editor)

    body = client.get(f"/api/v1/claims/{old.pk}", **bearer(editor, "read")).json()

    assert body["status"] == "superseded"
    assert body["superseded_by_id"] == new.pk and body["supersedes"] == []
    figure = body["figure"]
    assert figure["subject"] == "Canadian citizens killed on PS752"
    assert figure["state"] == "current" and figure["current_claim_id"] == new.pk
    assert [(r["claim_id"], float(r["value"]), r["source"]) for r in figure["series"]] == [
        (old.pk, 63.0, "Government of Canada"),
        (new.pk, 57.0, "François-Philippe Champagne"),
    ]
    assert figure["series"][0]["superseded_by_id"] == new.pk
    assert figure["series"][1]["shown"] == "57 people"
    newer = client.get(f"/api/v1/claims/{new.pk}", **bearer(editor, "read")).json()
    assert newer["supersedes"] == [old.pk]


def test_a_partner_files_a_report_of_a_figure_and_fixes_its_typo(client, editor, story):
    figure = toll_figure(story, editor)

    created = send(client, "post", "/api/v1/claims", {
        "story": story.slug, "text": "Canada says 36 of its citizens died on PS752.",
        "figure_id": figure.pk, "value": "36", "approximation": "exact",
    }, editor)  # fmt: skip

    assert created.status_code == 201, created.content
    claim = Claim.objects.get(pk=created.json()["id"])
    assert (claim.figure_id, claim.value) == (figure.pk, 36)
    fixed = send(client, "patch", f"/api/v1/claims/{claim.pk}", {
        "text": "Canada says 63 of its citizens died on PS752.", "value": "63",
        "note": "Typo: the statement says 63.",
    }, editor, version=claim.version)  # fmt: skip
    assert fixed.status_code == 200, fixed.content
    assert float(fixed.json()["value"]) == 63.0
    assert Revision.objects.filter(claim=claim).latest("number").kind == "value_fixed"


def test_a_value_the_words_do_not_state_is_refused_per_field(client, editor, story):
    figure = toll_figure(story, editor)

    response = send(client, "post", "/api/v1/claims", {
        "story": story.slug, "text": "Canada says dozens of its citizens died.",
        "figure_id": figure.pk, "value": "57", "approximation": "exact",
    }, editor)  # fmt: skip

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"]
    assert not Claim.objects.exists()


def test_a_figure_of_another_story_is_not_found(client, editor, story):
    other = toll_figure(StoryFactory(actor=editor, title="Another story"), editor)

    response = send(client, "post", "/api/v1/claims", {
        "story": story.slug, "text": "Canada says 57 of its citizens died.",
        "figure_id": other.pk, "value": "57",
    }, editor)  # fmt: skip

    assert response.status_code == 404
    assert not Claim.objects.exists()


def test_stories_and_sources_page_by_cursor_with_a_link_header(client, editor):
    for n in range(103):
        Story.objects.create(title=f"Story {n}", slug=f"story-{n}")
    Source.objects.bulk_create([Source(name=f"Official {n}") for n in range(101)])
    headers = bearer(editor, "read")

    for url, total in (("/api/v1/stories", 103), ("/api/v1/sources", 101)):
        first = client.get(url, **headers)
        body = first.json()
        assert len(body["items"]) == 100
        assert first["Link"] == f'<{url}?cursor={body["next_cursor"]}>; rel="next"'
        second = client.get(url, {"cursor": body["next_cursor"]}, **headers).json()
        assert second["next_cursor"] == ""
        ids = [item["id"] for item in body["items"] + second["items"]]
        assert len(ids) == len(set(ids)) == total
        assert ids == sorted(ids, reverse=True)
        refused = client.get(url, {"cursor": "abc"}, **headers)
        assert refused.status_code == 422 and "cursor" in refused.json()["errors"]


def test_a_claim_list_links_its_next_page(client, editor, story):
    for n in range(51):
        ClaimFactory(story=story, actor=editor, text=f"Claim number {n} about PS752.")

    first = client.get("/api/v1/claims", {"story": story.slug}, **bearer(editor, "read"))

    assert len(first.json()["items"]) == 50
    assert 'rel="next"' in first["Link"] and f"story={story.slug}" in first["Link"]


def test_text_with_a_nul_is_refused_per_field_not_a_server_error(client, editor, story):
    response = send(
        client, "post", "/api/v1/claims", {"story": "ps\x00752", "text": "Five died."}, editor
    )

    assert response.status_code == 422
    assert "story" in response.json()["errors"]
    assert not Claim.objects.exists()

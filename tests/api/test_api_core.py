"""Tokens, problem+json, and ETag/If-Match on the claims API."""

import json

import pytest
from django.core.management import call_command

from claims.models import Claim, Revision
from claims.models.integrations import ApiToken
from claims.services.api_tokens import api_token_create, api_token_revoke
from tests.support.factories import ClaimFactory

PROBLEM = "application/problem+json"


def bearer(user, scope="write"):
    _, token = api_token_create(user=user, name="cms", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_command_prints_a_token_stored_only_as_its_hash(reporter, capsys):
    call_command("api_token_create", user="rita", name="cms", scope="write", expires_days=30)

    token = capsys.readouterr().out.strip()
    record = ApiToken.objects.get()
    assert token.startswith(f"cd_{record.prefix}_")
    assert token not in record.key_hash and record.scope == "write"
    assert record.expires_at is not None


def test_revoked_token_is_refused_as_problem(client, reporter):
    record, token = api_token_create(user=reporter, name="cms")
    api_token_revoke(token=record)

    response = client.get("/api/v1/claims", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 401


def test_token_lists_claims_and_notes_last_use(client, reporter, story):
    ClaimFactory(story=story, actor=reporter)

    response = client.get("/api/v1/claims", **bearer(reporter, "read"))

    assert response.status_code == 200
    assert len(response.json()["items"]) == 1
    assert ApiToken.objects.get().last_used_at is not None


def test_read_token_cannot_write(client, reporter, story):
    response = client.post(
        "/api/v1/claims",
        json.dumps({"story": story.slug, "text": "Five people died."}),
        content_type="application/json",
        **bearer(reporter, "read"),
    )

    assert response.status_code == 403
    assert Claim.objects.count() == 0


def test_unknown_field_is_refused_per_field(client, reporter, story):
    response = client.post(
        "/api/v1/claims",
        json.dumps({"story": story.slug, "text": "Five people died.", "colour": "red"}),
        content_type="application/json",
        **bearer(reporter),
    )

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert "colour" in response.json()["errors"]


def test_reporter_token_cannot_rule(client, reporter, story):
    claim = ClaimFactory(story=story, actor=reporter)

    response = client.post(
        f"/api/v1/claims/{claim.pk}/status",
        json.dumps({"status": "confirmed", "rationale": "x"}),
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
        **bearer(reporter),
    )

    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNVERIFIED


def test_write_needs_if_match_and_refuses_stale(client, editor, story):
    claim = ClaimFactory(story=story, actor=editor)
    auth = bearer(editor)
    body = json.dumps({"text": "Six people died."})

    missing = client.patch(f"/api/v1/claims/{claim.pk}", body, "application/json", **auth)
    fresh = client.patch(
        f"/api/v1/claims/{claim.pk}", body, "application/json", HTTP_IF_MATCH='"1"', **auth
    )
    stale = client.patch(
        f"/api/v1/claims/{claim.pk}", body, "application/json", HTTP_IF_MATCH='"1"', **auth
    )

    assert missing.status_code == 428
    assert fresh.status_code == 200 and fresh["ETag"] == '"2"'
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2
    assert stale.json()["changed_by"] == "eddie"
    assert Revision.objects.filter(claim=claim).count() == 2


def test_get_claim_has_etag_and_missing_is_problem(client, reporter, story):
    claim = ClaimFactory(story=story, actor=reporter)

    found = client.get(f"/api/v1/claims/{claim.pk}", **bearer(reporter, "read"))
    missing = client.get("/api/v1/claims/999999", **bearer(reporter, "read"))

    assert found["ETag"] == '"1"'
    assert found.json()["text"] == claim.text
    assert missing.status_code == 404 and missing["Content-Type"] == PROBLEM


@pytest.mark.django_db
def test_docs_page_loads_local_assets(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert b"cdn" not in response.content.lower()
    assert b"/static/ninja/swagger-ui-bundle.js" in response.content

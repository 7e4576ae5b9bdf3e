"""Requests per token per minute, counted in Redis: the one over the limit gets 429 with
Retry-After as problem+json, another token goes on; without Redis there is no limit."""

from types import SimpleNamespace

import pytest

from claims.models import Claim
from claims.services.api_tokens import api_token_create

LIMIT = 3
# Thirty seconds into a minute: the whole test runs inside one counting window.
NOW = 1_800_000_030.0


@pytest.fixture
def frozen_clock(monkeypatch):
    monkeypatch.setattr("claims.api.ratelimit.time", SimpleNamespace(time=lambda: NOW))


@pytest.fixture
def low_limit(settings):
    settings.CLAIMDESK_API_RATE_LIMIT = LIMIT


def bearer(user, name="cms", scope="read"):
    _, token = api_token_create(user=user, name=name, scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.mark.redis
def test_request_over_the_limit_is_refused_until_the_window_ends(
    client, reporter, frozen_clock, low_limit
):
    first, other = bearer(reporter, "cms"), bearer(reporter, "live blog")

    answers = [client.get("/api/v1/claims", **first) for _ in range(LIMIT + 1)]
    neighbour = client.get("/api/v1/stories", **other)

    assert [a.status_code for a in answers] == [200] * LIMIT + [429]
    refused = answers[-1]
    assert refused["Content-Type"] == "application/problem+json"
    assert refused["Retry-After"] == "30"
    assert refused.json()["status"] == 429 and refused.json()["title"] == "Too many requests"
    assert neighbour.status_code == 200


@pytest.mark.redis
def test_refused_write_over_the_limit_changes_nothing(
    client, reporter, story, frozen_clock, low_limit
):
    auth = bearer(reporter, scope="write")
    for _ in range(LIMIT):
        assert client.get("/api/v1/stories", **auth).status_code == 200

    response = client.post(
        "/api/v1/claims",
        {"story": story.slug, "text": "Ukraine says 11 of its citizens died."},
        content_type="application/json",
        **auth,
    )

    assert response.status_code == 429
    assert Claim.objects.count() == 0


@pytest.mark.redis
def test_the_count_is_per_window(client, reporter, monkeypatch, low_limit):
    auth = bearer(reporter)
    clock = SimpleNamespace(time=lambda: NOW)
    monkeypatch.setattr("claims.api.ratelimit.time", clock)
    for _ in range(LIMIT):
        client.get("/api/v1/claims", **auth)
    assert client.get("/api/v1/claims", **auth).status_code == 429

    clock.time = lambda: NOW + 60  # the next minute

    assert client.get("/api/v1/claims", **auth).status_code == 200


def test_without_redis_there_is_no_limit(client, reporter, settings, frozen_clock, low_limit):
    settings.REDIS_URL = ""
    auth = bearer(reporter)

    answers = [client.get("/api/v1/claims", **auth).status_code for _ in range(LIMIT * 4)]

    assert answers == [200] * (LIMIT * 4)

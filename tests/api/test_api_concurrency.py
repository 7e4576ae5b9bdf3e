"""50 API writers at once with the same If-Match, through a real gunicorn on loopback: exactly
one ruling applies, the 49 others get 412 with the version to start from and who made it."""

import json
import urllib.error
import urllib.request

import pytest

from claims.models import Claim, OutboxEvent, Revision
from claims.services.api_tokens import api_token_create
from tests.hardening.conftest import run_in_threads
from tests.hardening.server import gunicorn, live_database_url
from tests.support.factories import ClaimFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.postgres

WRITERS = 50
EDITORS = 5


@pytest.fixture
def server(transactional_db):
    with gunicorn({"DATABASE_URL": live_database_url()}) as base:
        yield base


def _post(base: str, path: str, token: str, body: dict, if_match: str) -> tuple[int, dict, dict]:
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "If-Match": if_match,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), dict(error.headers)


def test_fifty_writers_with_one_if_match_apply_once(server):
    editors = [UserFactory(username=f"api-editor-{i}", role="editor") for i in range(EDITORS)]
    tokens = [api_token_create(user=u, name="cms", scope="write")[1] for u in editors]
    story = StoryFactory(actor=editors[0])
    claim = ClaimFactory(story=story, actor=editors[0], text="176 people died on PS752.")
    path = f"/api/v1/claims/{claim.pk}/status"
    body = {"status": "in_review", "rationale": "Checking the manifest."}

    results, errors, hung = run_in_threads(
        WRITERS,
        lambda i: (i, *_post(server, path, tokens[i % EDITORS], body, '"1"')),
        timeout=120,
    )

    assert (hung, errors) == (0, [])
    statuses = sorted(status for _, status, _, _ in results)
    assert statuses == [200] + [412] * (WRITERS - 1)
    winner = next(i for i, status, _, _ in results if status == 200)
    for _, status, answer, headers in results:
        if status == 412:
            assert headers["Content-Type"] == "application/problem+json"
            assert answer["current_version"] == 2 and headers["ETag"] == '"2"'
            assert answer["changed_by"] == f"api-editor-{winner % EDITORS}"
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("in_review", 2)
    revisions = Revision.objects.filter(claim=claim).order_by("number")
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[1].actor.username == f"api-editor-{winner % EDITORS}"
    assert OutboxEvent.objects.filter(claim=claim).count() == 1
    assert Claim.objects.get(pk=claim.pk).rationale == "Checking the manifest."

"""Every API operation × every caller answers with the status declared here.

The operations come from the NinjaAPI's routers, so an endpoint added without an entry in
EXPECTED fails the test. Writes send a valid JSON body and the claim's current ``If-Match``,
so what decides the answer is who calls, never validation or the precondition.

Callers, in CALLERS order: anonymous, a reporter's, an editor's and a moderator's write token,
and an editor's read-only token. Each cell runs in a savepoint that is rolled back, so cells
never see each other's writes; a refused write must leave the claim's revisions, the outbox
and the row counts as they were.
"""

import json

import pytest
from django.db import transaction
from django.test import Client

from claims.api.app import api
from claims.models import Claim, OutboxEvent, Revision, Story
from claims.services import claim_hide
from claims.services.api_tokens import api_token_create
from sources.models import Source
from tests.support.factories import ClaimFactory, SourceFactory, StoryFactory, UserFactory

CALLERS = ("anonymous", "reporter", "editor", "moderator", "read")
PUBLIC = "200 200 200 200 200"
READ = "401 200 200 200 200"
DESK_WRITE = "401 {ok} {ok} 403 403"  # reporters and editors write; moderators moderate
EDITOR_WRITE = "401 403 {ok} 403 403"
HIDERS = "401 403 {ok} {ok} 403"  # editors and moderators hold claims.hide_claim
SOURCE_WRITE = "401 201 201 201 403"  # moderators keep the sources list too

# "METHOD /path" -> {variant: statuses}. The claim variants: in a public story, in a private
# story, hidden by moderation.
CLAIM_VARIANTS = ("public", "private", "hidden")
EXPECTED: dict[str, dict[str, str]] = {
    "GET /claims": {"": READ},
    "POST /claims": {"": DESK_WRITE.format(ok=201)},
    "GET /claims/{claim_id}": {"public": READ, "private": READ, "hidden": "401 404 200 200 200"},
    "PATCH /claims/{claim_id}": {
        "public": DESK_WRITE.format(ok=200),
        "private": DESK_WRITE.format(ok=200),
        "hidden": "401 404 200 403 403",
    },
    "POST /claims/{claim_id}/status": {
        "public": EDITOR_WRITE.format(ok=200),
        "private": EDITOR_WRITE.format(ok=200),
        "hidden": "401 404 200 403 403",
    },
    "POST /claims/{claim_id}/supersede": {
        "public": EDITOR_WRITE.format(ok=200),
        "private": EDITOR_WRITE.format(ok=200),
        "hidden": "401 404 200 403 403",
    },
    "POST /claims/{claim_id}/evidence": {
        "public": DESK_WRITE.format(ok=201),
        "private": DESK_WRITE.format(ok=201),
        "hidden": "401 404 201 403 403",
    },
    "POST /claims/{claim_id}/attributions": {
        "public": DESK_WRITE.format(ok=201),
        "private": DESK_WRITE.format(ok=201),
        "hidden": "401 404 201 403 403",
    },
    "POST /claims/{claim_id}/hide": {
        "public": HIDERS.format(ok=200),
        "private": HIDERS.format(ok=200),
    },
    "POST /claims/{claim_id}/unhide": {"hidden": "401 404 200 200 403"},
    "GET /claims/{claim_id}/revisions": {
        "public": READ,
        "private": READ,
        "hidden": "401 404 200 200 200",
    },
    "GET /stories": {"": READ},
    "POST /stories": {"": EDITOR_WRITE.format(ok=201)},
    "POST /stories/{slug}/public": {
        "public": EDITOR_WRITE.format(ok=200),
        "private": EDITOR_WRITE.format(ok=200),
    },
    "GET /sources": {"": READ},
    "POST /sources": {"": SOURCE_WRITE},
    "GET /sources/{source_id}": {"": READ},
    "GET /events": {"": PUBLIC},
    "GET /events/stream": {"": PUBLIC},
    "GET /claims:search": {"": PUBLIC},
}


def api_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation the API's routers declare, documented or not."""
    found = []
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                found.extend((method, path) for method in operation.methods)
    return found


def cells() -> list[tuple[str, str, str, str]]:
    return [
        (method, path, variant, caller)
        for method, path in api_operations()
        for variant in EXPECTED.get(f"{method} {path}", {"": ""})
        for caller in CALLERS
    ]


@pytest.fixture
def world(db):
    editor = UserFactory(username="az-editor", role="editor")
    users = {
        "reporter": UserFactory(username="az-reporter", role="reporter"),
        "editor": editor,
        "moderator": UserFactory(username="az-moderator", role="moderator"),
    }
    tokens = {
        name: api_token_create(user=u, name=name, scope="write")[1] for name, u in users.items()
    }
    tokens["read"] = api_token_create(user=editor, name="read", scope="read")[1]
    public = StoryFactory(actor=editor, title="Flight PS752", is_public=True)
    private = StoryFactory(actor=editor, title="Embargoed story", is_public=False)
    hidden = ClaimFactory(story=public, actor=editor, text="Hidden: 176 people died.")
    claim_hide(claim=hidden, actor=users["moderator"], note="duplicate")
    hidden.refresh_from_db()
    return {
        "tokens": tokens,
        "stories": {"public": public, "private": private, "": public},
        "claims": {
            "public": ClaimFactory(story=public, actor=editor, text="176 people died."),
            "private": ClaimFactory(story=private, actor=editor, text="The jet was a 737."),
            "hidden": hidden,
        },
        "replacements": {
            "public": ClaimFactory(story=public, actor=editor, text="176 people were killed."),
            "private": ClaimFactory(story=private, actor=editor, text="It was a 737-800."),
        },
        "source": SourceFactory(name="Canada's foreign minister"),
    }


def story_of(variant: str) -> str:
    return "private" if variant == "private" else "public"


def request_for(world, method: str, path: str, variant: str) -> tuple[str, dict | None, dict]:
    """The URL, a valid body and the headers (If-Match) for one operation on one object."""
    claim = world["claims"].get(variant) or world["claims"]["public"]
    story = world["stories"].get(variant) or world["stories"]["public"]
    url = "/api/v1" + path.format(claim_id=claim.pk, slug=story.slug, source_id=world["source"].pk)
    bodies = {
        "POST /claims": {"story": story.slug, "text": "Ukraine says 11 of its citizens died."},
        "PATCH /claims/{claim_id}": {"text": "177 people died.", "note": "recount"},
        "POST /claims/{claim_id}/status": {"status": "in_review", "rationale": ""},
        "POST /claims/{claim_id}/supersede": {
            "by": world["replacements"][story_of(variant)].pk,
            "note": "reworded",
        },
        "POST /claims/{claim_id}/evidence": {
            "url": "https://example.org/manifest",
            "stance": "supports",
            "excerpt": "The manifest lists 176 people.",
        },
        "POST /claims/{claim_id}/attributions": {
            "source_id": world["source"].pk,
            "quote": "176 people died.",
        },
        "POST /claims/{claim_id}/hide": {"note": "duplicate"},
        "POST /claims/{claim_id}/unhide": {"note": "not a duplicate"},
        "POST /stories": {"title": "Tehran airport closure"},
        "POST /stories/{slug}/public": {"is_public": not story.is_public},
        "POST /sources": {"name": "Iran's civil aviation body", "kind": "organisation"},
    }
    return url, bodies.get(f"{method} {path}"), {"HTTP_IF_MATCH": f'"{claim.version}"'}


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Claim, Revision, OutboxEvent, Story, Source))


def call(client: Client, world, method, path, variant, caller):
    url, body, headers = request_for(world, method, path, variant)
    if caller != "anonymous":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {world['tokens'][caller]}"
    data = json.dumps(body) if body is not None else None
    kwargs = {"content_type": "application/json"} if data is not None else {}
    # (Not closed here: closing sends request_finished, which would close the connection
    # that holds the test's transaction. The event stream's generator is never started.)
    return getattr(client, method.lower())(url, data, **kwargs, **headers)


def test_every_operation_has_an_entry():
    declared = {f"{m} {p}" for m, p in api_operations()}
    assert declared - set(EXPECTED) == set(), "add these operations to EXPECTED"
    assert set(EXPECTED) - declared == set(), "these operations are gone"


def test_every_caller_gets_the_declared_status_and_refusals_change_nothing(world):
    client = Client()
    observed: dict[str, dict[str, list[str]]] = {}
    wrong = []
    for method, path, variant, caller in cells():
        key = f"{method} {path}"
        expected = EXPECTED.get(key, {}).get(variant, "").split()
        with transaction.atomic():
            before = counts()
            response = call(client, world, method, path, variant, caller)
            status = response.status_code
            if status >= 400:
                assert response["Content-Type"] == "application/problem+json", (key, caller)
                assert counts() == before, f"{key} [{variant}] refused to {caller} wrote rows"
            transaction.set_rollback(True)
        observed.setdefault(key, {}).setdefault(variant, []).append(str(status))
        if expected and str(status) != expected[CALLERS.index(caller)]:
            wrong.append(f"{key} [{variant}] as {caller}: {status}, expected {expected}")
    table = "\n".join(
        f"    {key!r}: {dict((v, ' '.join(s)) for v, s in variants.items())!r},"
        for key, variants in observed.items()
    )
    assert wrong == [], "\n".join(wrong) + "\nobserved:\n" + table


def test_refused_ruling_writes_no_revision_and_no_event(world, client):
    claim = world["claims"]["public"]
    before = Revision.objects.filter(claim=claim).count(), OutboxEvent.objects.count()

    for caller in ("reporter", "moderator", "read"):
        response = call(client, world, "POST", "/claims/{claim_id}/status", "public", caller)
        assert response.status_code == 403

    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNVERIFIED and claim.version == 1
    assert (Revision.objects.filter(claim=claim).count(), OutboxEvent.objects.count()) == before


def test_allowed_ruling_writes_one_revision_by_the_tokens_user(world, client):
    claim = world["claims"]["public"]

    response = call(client, world, "POST", "/claims/{claim_id}/status", "public", "editor")

    assert response.status_code == 200 and response["ETag"] == '"2"'
    revision = Revision.objects.filter(claim=claim).latest("number")
    assert (revision.number, revision.actor.username) == (2, "az-editor")
    assert response.json()["status"] == "in_review"


def test_reporter_cannot_hide_and_the_claim_stays_visible(world, client):
    claim = world["claims"]["public"]

    response = call(client, world, "POST", "/claims/{claim_id}/hide", "public", "reporter")

    assert response.status_code == 403
    claim.refresh_from_db()
    assert not claim.is_hidden and Revision.objects.filter(claim=claim).count() == 1


def test_read_token_cannot_create_a_story(world, client):
    before = Story.objects.count()

    response = call(client, world, "POST", "/stories", "", "read")

    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    assert Story.objects.count() == before

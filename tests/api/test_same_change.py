"""The desk, the admin and the API make the same change the same way: one ruling and one edit
on three identical claims, one per door, leave the same revisions and the same outbox rows.

The desk's door is its htmx form post, the admin's its "Set status" action (the admin offers no
edit of a claim's words), the API's its JSON endpoints with If-Match. What may differ is only
what names the row: ids, times, and the claim's own id inside payloads and links.
"""

import json
import re

import pytest

from claims import services
from claims.models import Claim, OutboxEvent, Revision
from claims.services.api_tokens import api_token_create
from tests.support.factories import ClaimFactory, StoryFactory, UserFactory

TEXT = "Canada says 63 of its citizens died on flight PS752."
EDITED = "Canada says 57 of its citizens died on flight PS752."
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")


@pytest.fixture
def desk_editor(db):
    """An editor with admin access, so the same person goes through every door."""
    user = UserFactory(username="same-editor", role="editor")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def claims(desk_editor):
    story = StoryFactory(actor=desk_editor, title="Flight PS752", is_public=True)
    made = {door: ClaimFactory(story=story, actor=desk_editor, text=TEXT) for door in DOORS}
    for claim in made.values():  # a verdict rests on evidence
        services.evidence_add(
            claim=claim, url="https://example.org/manifest", stance="refutes",
            actor=desk_editor, capture=False,
        )  # fmt: skip
    return made


def _desk_status(client, claim, status, rationale):
    return client.post(
        f"/claims/{claim.pk}/status/",
        {"status": status, "rationale": rationale, "version": claim.version},
        HTTP_HX_REQUEST="true",
    )


def _desk_edit(client, claim, text, note):
    return client.post(
        f"/claims/{claim.pk}/edit/",
        {"text": text, "note": note, "version": claim.version, "figure": "", "value": ""},
        HTTP_HX_REQUEST="true",
    )


def _admin_status(client, claim, status, rationale):
    return client.post(
        "/admin/claims/claim/",
        {"action": "set_status", "_selected_action": [claim.pk], "status": status,
         "note": rationale, "index": 0},
    )  # fmt: skip


def _api(client, token, claim, path, body, method="post"):
    return getattr(client, method)(
        f"/api/v1/claims/{claim.pk}{path}",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IF_MATCH=f'"{claim.version}"',
    )


def _api_status(client, token, claim, status, rationale):
    return _api(client, token, claim, "/status", {"status": status, "rationale": rationale})


def _api_edit(client, token, claim, text, note):
    return _api(client, token, claim, "", {"text": text, "note": note}, method="patch")


DOORS = ("desk", "admin", "api")


def _normal(value, claim: Claim, revision_ids: dict[int, int], key: str = ""):
    """A row's JSON with what names this claim (its id, revision ids, times) replaced."""
    if isinstance(value, dict):
        return {k: _normal(v, claim, revision_ids, k) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [_normal(v, claim, revision_ids, key) for v in value]
    if isinstance(value, str):
        if TIME.match(value):
            return "<time>"
        return re.sub(rf"/{claim.pk}(?!\d)", "/<claim>", value)
    if key in {"id", "claim", "claim_id"} and value == claim.pk:
        return "<claim>"
    if key in {"revision_id"} and value in revision_ids:
        return f"<revision {revision_ids[value]}>"
    if key == "evidence_id":
        return "<evidence>"
    return value


def trail(claim: Claim) -> tuple[list, list]:
    revisions = list(
        Revision.objects.filter(claim=claim).select_related("actor").order_by("number")
    )
    numbers = {r.pk: r.number for r in revisions}
    rows = [
        (r.number, r.kind, r.actor.username, _normal(r.before, claim, numbers),
         _normal(r.after, claim, numbers), r.note)
        for r in revisions
    ]  # fmt: skip
    events = [
        (e.kind, numbers.get(e.revision_id), e.story_id, _normal(e.payload, claim, numbers))
        for e in OutboxEvent.objects.filter(claim=claim).order_by("id")
    ]
    return rows, events


def test_one_ruling_and_one_edit_leave_the_same_trail_through_every_door(
    client, desk_editor, claims
):
    client.force_login(desk_editor)
    token = api_token_create(user=desk_editor, name="cms", scope="write")[1]
    steps = [
        ("status", "in_review", ""),
        ("status", "false", "The manifest lists 57 Canadians."),
    ]
    for door, claim in claims.items():
        for _, status, rationale in steps:
            claim.refresh_from_db()
            if door == "desk":
                response = _desk_status(client, claim, status, rationale)
            elif door == "admin":
                response = _admin_status(client, claim, status, rationale)
            else:
                response = _api_status(client, token, claim, status, rationale)
            assert response.status_code in (200, 302), (door, status, response.status_code)
            claim.refresh_from_db()
            assert claim.status == status, (door, status)

    trails = {door: trail(claim) for door, claim in claims.items()}

    assert trails["admin"] == trails["desk"]
    assert trails["api"] == trails["desk"]
    revisions, events = trails["desk"]
    assert [r[1] for r in revisions][-2:] == ["status", "status"]
    assert events, "a ruling is announced through the outbox"


def test_an_edit_of_the_words_leaves_the_same_trail_on_the_desk_and_the_api(
    client, desk_editor, claims
):
    """The admin shows a claim's words read-only: there, an edit is not offered at all."""
    client.force_login(desk_editor)
    token = api_token_create(user=desk_editor, name="cms", scope="write")[1]
    desk, api = claims["desk"], claims["api"]
    desk.refresh_from_db()
    api.refresh_from_db()

    answers = [
        _desk_edit(client, desk, EDITED, "recount"),
        _api_edit(client, token, api, EDITED, "recount"),
    ]

    assert [a.status_code for a in answers] == [200, 200]
    desk.refresh_from_db()
    api.refresh_from_db()
    assert desk.text == api.text == EDITED
    assert trail(api) == trail(desk)
    admin_page = client.get(f"/admin/claims/claim/{claims['admin'].pk}/change/")
    assert admin_page.status_code == 200
    assert b'name="text"' not in admin_page.content

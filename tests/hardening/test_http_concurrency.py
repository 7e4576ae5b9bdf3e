"""Concurrent rulings over HTTP, through a real gunicorn on loopback, on the desk's status
endpoint (``/claims/<id>/status/``) as htmx posts it: 200 with the new fragments, or 409 with
who changed the claim since the editor loaded it."""

import itertools

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from claims.models import Claim, OutboxEvent, Revision
from tests.hardening.conftest import run_in_threads
from tests.hardening.server import Browser, gunicorn, live_database_url
from tests.support.factories import PASSWORD, ClaimFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.postgres

WRITERS = 20
EDITORS = 20
ROUNDS = 4
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _passwords_the_server_can_check(settings):
    """The suite's MD5 shortcut is unknown to the server; cheap PBKDF2 hashes are not."""
    settings.PASSWORD_HASHERS = ["tests.hardening.test_http_concurrency.QuickPBKDF2"]


class QuickPBKDF2(PBKDF2PasswordHasher):
    iterations = 1000


@pytest.fixture
def server(transactional_db):
    with gunicorn({"DATABASE_URL": live_database_url()}) as base:
        yield base


def _editor_tabs(base: str, count: int) -> list[Browser]:
    """``count`` htmx tabs shared by two logged-in editors (a login costs a full hash)."""
    browsers = []
    for i in range(2):
        user = UserFactory(username=f"desk-editor-{i}", role="editor")
        browser = Browser(base, HTMX)
        browser.desk_login(user.username, PASSWORD)
        browsers.append(browser)
    return [browsers[i % 2].new_tab() for i in range(count)]


def _rule(browser: Browser, claim_id: int, status: str, version: int) -> int:
    code, _, _ = browser.request(
        f"/claims/{claim_id}/status/", {"status": status, "rationale": "", "version": version}
    )
    return code


def test_concurrent_rulings_over_http_on_one_claim_apply_once(server):
    tabs = _editor_tabs(server, WRITERS)
    claim = ClaimFactory(text="Canada says 63 of its citizens died on flight PS752.")

    results, errors, hung = run_in_threads(
        WRITERS, lambda i: _rule(tabs[i], claim.pk, "in_review", version=1)
    )

    assert (hung, errors) == (0, [])
    assert sorted(results) == [200] + [409] * (WRITERS - 1)
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("in_review", 2)
    assert list(Revision.objects.filter(claim=claim).values_list("number", flat=True)) == [1, 2]
    assert OutboxEvent.objects.filter(claim=claim).count() == 1


def test_editors_ruling_on_their_own_claims_over_http_keep_every_revision(server):
    tabs = _editor_tabs(server, EDITORS)
    stories = [StoryFactory(), StoryFactory()]
    claim_ids = [ClaimFactory(story=stories[i % 2]).pk for i in range(EDITORS)]

    def rule_back_and_forth(index: int) -> list[int]:
        statuses = itertools.cycle(["in_review", "unverified"])
        return [
            _rule(tabs[index], claim_ids[index], next(statuses), version=round_ + 1)
            for round_ in range(ROUNDS)
        ]

    results, errors, hung = run_in_threads(EDITORS, rule_back_and_forth, timeout=120)

    assert (hung, errors) == (0, [])
    assert set(itertools.chain.from_iterable(results)) == {200}
    for claim_id in claim_ids:
        numbers = list(Revision.objects.filter(claim_id=claim_id).values_list("number", flat=True))
        assert numbers == list(range(1, ROUNDS + 2))
        assert Claim.objects.get(pk=claim_id).status == "unverified"
        assert OutboxEvent.objects.filter(claim_id=claim_id).count() == ROUNDS

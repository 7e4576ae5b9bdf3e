"""Purges are recorded with the change, sent to Varnish after commit as one PURGE naming the
keys (``xkey-purge``), and kept for the sweep when the cache cannot be reached."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction

from claims import services, tasks
from claims.lib.purge import PurgeError, VarnishXkeyBackend
from claims.models import CachePurge
from claims.services import purges
from tests.support.factories import ClaimFactory
from tests.support.public import ruled_claim

pytestmark = pytest.mark.django_db


class _Cache(BaseHTTPRequestHandler):
    status = 200

    def do_PURGE(self):  # noqa: N802 - the method Varnish is sent
        self.server.seen.append((self.command, self.path, self.headers.get("xkey-purge")))
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def varnish():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Cache)
    server.seen, server.status = [], 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _url(server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/"


def test_varnish_backend_sends_one_purge_naming_the_keys(varnish):
    VarnishXkeyBackend(_url(varnish)).purge(["story-3", "claim-7", "feeds"])

    assert varnish.seen == [("PURGE", "/", "claim-7 feeds story-3")]


def test_varnish_backend_raises_when_the_cache_refuses(varnish):
    varnish.status = 403

    with pytest.raises(PurgeError):
        VarnishXkeyBackend(_url(varnish)).purge(["feeds"])


def test_recorded_purge_is_sent_after_commit(varnish, settings, story, editor, moderator):
    settings.CLAIMDESK_PURGE_URL = _url(varnish)
    claim = ClaimFactory(story=story, actor=editor)
    CachePurge.objects.all().delete()

    services.claim_hide(claim=claim, actor=moderator)
    row = CachePurge.objects.get()
    tasks.cache_purge(row.pk)

    row.refresh_from_db()
    assert row.purged_at is not None and row.attempts == 1
    assert varnish.seen[0][2].split() == sorted(row.keys)
    assert f"claim-{claim.pk}" in row.keys


def test_failed_purge_stays_for_the_sweep_and_is_sent_later(varnish, settings):
    settings.CLAIMDESK_PURGE_URL = _url(varnish)
    varnish.status = 503
    row = purges.record_purge(["claim-1", "feeds"])

    assert purges.purge_send(row.pk) == "failed"
    row.refresh_from_db()
    assert row.purged_at is None and "503" in row.last_error
    assert purges.unsent_purge_ids() == [row.pk]

    varnish.status = 200
    assert purges.purge_send(row.pk) == "purged"
    assert purges.unsent_purge_ids() == []


def test_unreachable_cache_leaves_the_row_unpurged(settings):
    settings.CLAIMDESK_PURGE_URL = "http://127.0.0.1:9/"
    row = purges.record_purge(["feeds"])

    assert purges.purge_send(row.pk) == "failed"

    row.refresh_from_db()
    assert row.purged_at is None and row.attempts == 1


def test_without_a_purge_url_nothing_is_sent(settings):
    settings.CLAIMDESK_PURGE_URL = None
    row = purges.record_purge(["feeds"])

    assert purges.purge_send(row.pk) == "no-cache"


@pytest.mark.django_db(transaction=True)
def test_rolled_back_change_records_no_purge(story, editor, moderator):
    claim = ruled_claim(story, editor)
    claim.refresh_from_db()
    CachePurge.objects.all().delete()

    with pytest.raises(RuntimeError), transaction.atomic():
        services.claim_hide(claim=claim, actor=moderator)
        raise RuntimeError("the request failed after the change")

    assert not CachePurge.objects.exists()


@pytest.mark.parametrize("change", ["hide", "unhide", "edit", "story-private", "story-rename"])
def test_each_public_change_records_a_purge(story, editor, moderator, superuser, change):
    claim = ruled_claim(story, editor, text="The bridge reopened in May.")
    claim.refresh_from_db()
    if change == "unhide":
        services.claim_hide(claim=claim, actor=moderator)
        claim.refresh_from_db()
    CachePurge.objects.all().delete()

    if change == "hide":
        services.claim_hide(claim=claim, actor=moderator)
    elif change == "unhide":
        services.claim_unhide(claim=claim, actor=moderator)
    elif change == "edit":
        services.claim_edit(claim=claim, actor=editor, text="The bridge reopened in June.",
                            expected_version=claim.version, note="The date was wrong.")  # fmt: skip
    elif change == "story-private":
        services.story_set_public(story=story, actor=superuser, is_public=False)
    else:
        services.story_update(story=story, actor=superuser, title="A new title",
                              description=story.description, is_public=True,
                              expected_version=story.version)  # fmt: skip

    keys = {key for row in CachePurge.objects.all() for key in row.keys}
    assert {f"story-{story.pk}", "feeds", "index"} <= keys
    if change in ("hide", "unhide", "edit"):
        assert f"claim-{claim.pk}" in keys


def test_purge_sweep_queues_unsent_rows(monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.outbox, "queue", lambda name, pk: queued.append((name, pk)))
    row = purges.record_purge(["feeds"])
    sent = purges.record_purge(["index"])
    sent.purged_at = sent.created_at
    sent.save()

    assert tasks.purge_sweep() == 1

    assert queued == [(tasks.outbox.PURGE, row.pk)]

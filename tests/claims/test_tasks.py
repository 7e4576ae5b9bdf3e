"""Evidence capture as a task: snapshots, recorded failures, sweeps and the polling fragment."""

import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import services, tasks
from claims.models import Evidence
from tests.support.factories import ClaimFactory

ARTICLE = (
    b"<!doctype html><html><head><title>Ottawa briefing on PS752</title></head><body><article>"
    b"<p>The foreign minister said the number of Canadian victims is 57, not 63 as was first "
    b"stated, and that families would be supported by an emergency task force.</p>"
    b"<p>Officials said consular staff were working with Ukrainian counterparts on the "
    b"repatriation of the victims and on the investigation.</p></article></body></html>"
)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):
        pass

    def do_GET(self):
        if self.path == "/article":
            self._send(200, ARTICLE, "text/html; charset=utf-8")
        elif self.path == "/broken":
            self._send(500, b"oops", "text/plain")
        elif self.path == "/slow":
            time.sleep(3)
            self._send(200, b"late", "text/plain")
        elif self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                for _ in range(50 * 16):  # 50 MB in 64 KB chunks, unless the client hangs up
                    self.wfile.write(b"x" * 65536)
            except OSError:
                pass

    def _send(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site(settings):
    settings.CLAIMDESK_CAPTURE_ALLOW_LOOPBACK = True
    settings.CLAIMDESK_CAPTURE_TIMEOUT = 1.0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def _evidence(story, reporter, url: str, django_capture_on_commit_callbacks) -> Evidence:
    claim = ClaimFactory(story=story, actor=reporter)
    with django_capture_on_commit_callbacks(execute=True):
        evidence = services.evidence_add(claim=claim, url=url, stance="supports", actor=reporter)
    evidence.refresh_from_db()
    return evidence


def test_added_evidence_is_captured_after_commit(
    story, reporter, site, eager_celery, django_capture_on_commit_callbacks
):
    evidence = _evidence(story, reporter, f"{site}/article", django_capture_on_commit_callbacks)

    assert evidence.capture_status == Evidence.Capture.CAPTURED
    assert evidence.capture_title == "Ottawa briefing on PS752"
    assert "57, not 63" in evidence.capture_text
    assert evidence.capture_http_status == 200
    assert len(evidence.capture_sha256) == 64
    assert evidence.captured_at is not None


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/broken", "HTTP 500"), ("/slow", "timeout"), ("/huge", "too large")],
)
def test_failed_fetches_are_recorded_not_raised(
    story, reporter, site, eager_celery, django_capture_on_commit_callbacks, path, reason
):
    evidence = _evidence(story, reporter, f"{site}{path}", django_capture_on_commit_callbacks)

    assert evidence.capture_status == Evidence.Capture.FAILED
    assert reason in evidence.capture_error


def test_loopback_is_blocked_unless_the_setting_allows_it(
    story, reporter, site, settings, eager_celery, django_capture_on_commit_callbacks
):
    settings.CLAIMDESK_CAPTURE_ALLOW_LOOPBACK = False

    evidence = _evidence(story, reporter, f"{site}/article", django_capture_on_commit_callbacks)

    assert evidence.capture_status == Evidence.Capture.BLOCKED
    assert "loopback" in evidence.capture_error


def test_a_second_run_does_not_fetch_again(
    story, reporter, site, eager_celery, django_capture_on_commit_callbacks
):
    evidence = _evidence(story, reporter, f"{site}/article", django_capture_on_commit_callbacks)

    again = tasks.evidence_capture(evidence.pk)

    assert again is None
    assert Evidence.objects.get(pk=evidence.pk).capture_status == Evidence.Capture.CAPTURED


def test_capture_sweep_requeues_lost_captures_and_gives_up_on_old_ones(
    story, reporter, site, eager_celery
):
    claim = ClaimFactory(story=story, actor=reporter)
    lost = services.evidence_add(
        claim=claim, url=f"{site}/article", stance="supports", actor=reporter
    )  # its on_commit never runs inside the test transaction
    ancient = services.evidence_add(
        claim=claim, url=f"{site}/article", stance="context", actor=reporter
    )
    Evidence.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    Evidence.objects.filter(pk=ancient.pk).update(created_at=timezone.now() - timedelta(hours=2))

    tasks.capture_sweep()

    assert Evidence.objects.get(pk=lost.pk).capture_status == Evidence.Capture.CAPTURED
    assert Evidence.objects.get(pk=ancient.pk).capture_status == Evidence.Capture.FAILED


def test_capture_fragment_polls_only_while_pending(client, story, reporter, site, eager_celery):
    claim = ClaimFactory(story=story, actor=reporter)
    evidence = services.evidence_add(
        claim=claim, url=f"{site}/article", stance="supports", actor=reporter
    )
    url = reverse("evidence_capture_state", args=[evidence.pk])
    client.force_login(reporter)

    pending = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    tasks.evidence_capture(evidence.pk)
    settled = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    page = client.get(url)

    assert 'hx-trigger="every 2s"' in pending and f'href="{url}"' in pending
    assert "hx-trigger" not in settled
    assert "Captured" in settled and "Ottawa briefing on PS752" in settled
    assert page.status_code == 200 and "<html" in page.content.decode()
    assert page["Vary"].count("HX-Request") == 1


def test_capture_fragment_of_a_hidden_claim_is_not_found_for_reporters(
    client, story, reporter, editor
):
    claim = ClaimFactory(story=story, actor=reporter)
    evidence = services.evidence_add(
        claim=claim, url="https://news.example/a", stance="supports", actor=reporter, capture=False
    )
    services.claim_hide(claim=claim, actor=editor, note="duplicate")
    client.force_login(reporter)

    response = client.get(reverse("evidence_capture_state", args=[evidence.pk]))

    assert response.status_code == 404

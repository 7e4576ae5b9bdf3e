"""Load-test the desk over HTTP: gunicorn with the production settings, wrk on loopback.

Runs after ``manage.py bench`` has generated its data. Each target gets a bounded wrk run
(16 connections, a fixed duration) and reports requests per second, p50/p95 latency and
errors, beside the same figures for the no-query health view.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.models import Claim

WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format('{"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, '
    .. '"errors": %d}\\n', summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, errors))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Command(BaseCommand):
    help = "Serve with gunicorn (production settings) and load it with wrk on 127.0.0.1."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=5)
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--seconds", type=int, default=15)
        parser.add_argument("--json", dest="json_path", default=None)

    def handle(self, *args, **opts):
        if not shutil.which("wrk"):
            raise CommandError("wrk is not installed (apt-get install wrk)")
        cookie = f"{settings.SESSION_COOKIE_NAME}={self._session()}"
        claim = Claim.objects.filter(is_hidden=False).order_by("-id").first()
        if claim is None:
            raise CommandError("No claims: run manage.py bench first.")
        port = free_port()
        server = self._gunicorn(port, opts["workers"])
        try:
            base = f"http://127.0.0.1:{port}"
            self._wait(base + "/healthz/")
            targets = {
                "noop_view": (base + "/healthz/", False),
                "queue": (base + "/review/", True),
                "claim_page": (base + f"/claims/{claim.pk}/", True),
                "feed": (base + "/feeds/status.rss", False),
            }
            for name, (url, login) in targets.items():
                self._check(name, url, cookie if login else "")
            results = {
                name: self._wrk(url, cookie if login else "", opts)
                for name, (url, login) in targets.items()
            }
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        self._print(results)
        if opts["json_path"]:
            with open(opts["json_path"], "w") as handle:
                json.dump(results, handle, indent=2)

    def _session(self) -> str:
        user = get_user_model().objects.get(username="bench-editor")
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        return session.session_key

    def _gunicorn(self, port: int, workers: int) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_ENV": "production",
            # The session cookie below is signed with this process's key.
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP on loopback: no proxy terminates TLS in front of this run.
            "SECURE_SSL_REDIRECT": "0",
        }
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=env,
            check=True,
            cwd=settings.BASE_DIR,
        )
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=settings.BASE_DIR,
        )

    def _wait(self, url: str) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise CommandError("gunicorn did not answer within 30 s")

    def _check(self, name: str, url: str, cookie: str) -> None:
        """Each target must answer 200 itself: a redirect to the login page is no measurement."""

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
        try:
            with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            raise CommandError(f"{name} answered {status} instead of 200")

    def _wrk(self, url: str, cookie: str, opts) -> dict:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_REPORT)
        command = [
            "wrk",
            "-t2",
            f"-c{opts['connections']}",
            f"-d{opts['seconds']}s",
            "--timeout",
            "5s",
            "-s",
            script.name,
            url,
        ]
        if cookie:
            command[1:1] = ["-H", f"Cookie: {cookie}"]
        output = subprocess.run(
            command, capture_output=True, text=True, check=True, timeout=opts["seconds"] + 60
        ).stdout
        os.unlink(script.name)
        report = json.loads(output.strip().splitlines()[-1])
        report["rps"] = round(report["requests"] / report["seconds"], 1)
        return report

    def _print(self, results: dict) -> None:
        self.stdout.write(f"{'target':<14}{'req/s':>10}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
        for name, r in results.items():
            self.stdout.write(
                f"{name:<14}{r['rps']:>10.1f}{r['p50_ms']:>9.2f}{r['p95_ms']:>9.2f}{r['errors']:>8}"
            )

"""A real gunicorn on loopback, and a small cookie-keeping HTTP client to drive it."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def live_database_url() -> str:
    """The pytest database, so the server sees what the test committed."""
    conf = connection.settings_dict
    user = urllib.parse.quote(conf.get("USER") or "")
    password = urllib.parse.quote(conf.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else f"{user}@"
    return f"postgres://{auth}{conf['HOST']}:{conf['PORT'] or 5432}/{conf['NAME']}"


@contextmanager
def gunicorn(env: dict[str, str], *, timeout: float = 30) -> Iterator[str]:
    """Serve config.wsgi on a free loopback port; yield its base URL; stop it afterwards."""
    port = free_port()
    full_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ENV", "DEBUG"}
    }
    full_env.update({"ALLOWED_HOSTS": "127.0.0.1", "PYTHONPATH": str(ROOT), **env})
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi",
        "--bind", f"127.0.0.1:{port}",
        "--worker-class", "gthread", "--workers", "2", "--threads", "8",
        "--timeout", "60", "--graceful-timeout", "5", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=full_env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, timeout)
        yield base
    finally:
        process.send_signal(signal.SIGINT)  # quick shutdown: no wait for idle keep-alives
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(base: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), 0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start in time")


class Browser:
    """One user agent with its own cookies (its own session)."""

    def __init__(self, base: str, headers: dict[str, str] | None = None):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.headers = headers or {}

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        headers = dict(self.headers)
        if data is not None:
            headers["X-CSRFToken"] = self.cookie("csrftoken")
        req = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), dict(error.headers)

    def new_tab(self) -> "Browser":
        """The same session in another tab: shared login, its own flash-message cookie."""
        tab = Browser(self.base, self.headers)
        for cookie in self.jar:
            if cookie.name in {"sessionid", "csrftoken"}:
                tab.jar.set_cookie(cookie)
        return tab

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")

    def desk_login(self, username: str, password: str) -> None:
        self.request("/login/")
        status, _, _ = self.request(
            "/login/?next=/review/",
            {"username": username, "password": password, "next": "/review/"},
        )
        if status != 200 or not self.cookie("sessionid"):
            raise AssertionError(f"{username} could not log in to the desk ({status})")

    def admin_login(self, username: str, password: str) -> None:
        self.request("/admin/login/")
        status, page, _ = self.request(
            "/admin/login/?next=/admin/",
            {"username": username, "password": password, "next": "/admin/"},
        )
        if status != 200 or "Log out" not in page:
            raise AssertionError(f"{username} could not log in to the admin ({status})")


def messages_in(page: str) -> list[tuple[str, str]]:
    """The admin's flash messages on a page, as (level, text)."""
    return re.findall(r'<li class="(success|error|warning|info)">(.*?)</li>', page, re.S)

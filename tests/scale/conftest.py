"""The scale stack's tests: HTTP to the running servers (scale/up.sh), SQL to the databases.

Collected only with CLAIMDESK_SCALE=1 (``make scale-test`` sets it after bringing the stack
up), so a plain ``make test`` neither runs nor skips them. They use the scale database of
scale/env.sh, never pytest-django's test database.
"""

import os
import re
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest

if os.environ.get("CLAIMDESK_SCALE") != "1":
    collect_ignore_glob = ["test_*.py"]

ROOT = Path(__file__).resolve().parents[2]
VARNISH = os.environ.get("SCALE_VARNISH_URL", "http://127.0.0.1:6081")
APP_A, APP_B = os.environ.get(
    "SCALE_APP_URLS", "http://127.0.0.1:8001 http://127.0.0.1:8002"
).split()
PRIMARY_URL = os.environ.get(
    "SCALE_PRIMARY_URL", "postgres://postgres@127.0.0.1:5432/claimdesk_scale"
)
REPLICA_URL = os.environ.get(
    "SCALE_REPLICA_URL", "postgres://postgres@127.0.0.1:5433/claimdesk_scale"
)
SCALE_DIR = Path(os.environ.get("SCALE_DIR", "/tmp/claimdesk-scale"))
RESULTS = ROOT / "bench-results"
VERDICT = re.compile(r'Our verdict: <span class="badge ([a-z_]+)"')


def scale_manage(*args: str) -> str:
    """A manage.py command with the app servers' environment (scale/env.sh)."""
    command = ". scale/env.sh && exec .venv/bin/python manage.py " + " ".join(args)
    done = subprocess.run(
        ["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def sql(url: str, query: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url, autocommit=True, connect_timeout=3) as connection:
        cursor = connection.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def verdict_of(html: str) -> str | None:
    match = VERDICT.search(html)
    return match.group(1) if match else None


def wait_for(check, *, seconds: float = 5.0, every: float = 0.02):
    """``check()``'s first truthy answer within ``seconds``, else its last answer."""
    deadline = time.monotonic() + seconds
    while True:
        answer = check()
        if answer or time.monotonic() > deadline:
            return answer
        time.sleep(every)


def replica_has(query: str, params: tuple) -> bool:
    return bool(sql(REPLICA_URL, query, params))


@dataclass
class PublicClaim:
    id: int
    version: int
    path: str  # /c/<id>/<slug>/
    story: str  # slug
    story_id: int


class Desk:
    """The JSON API as an editor with a write token, on one app server."""

    def __init__(self, base: str, token: str) -> None:
        self.base = base
        self.client = httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=10
        )

    def post(self, path: str, body: dict, *, version: int | None = None) -> dict:
        headers = {"If-Match": f'"{version}"'} if version is not None else {}
        response = self.client.post(f"/api/v1{path}", json=body, headers=headers)
        assert response.status_code in (200, 201), response.text
        return response.json()

    def get(self, path: str) -> httpx.Response:
        return self.client.get(path)

    def new_public_claim(self, text: str) -> PublicClaim:
        """A public story with one claim that has evidence, ready for a verdict."""
        tag = uuid.uuid4().hex[:8]
        story = self.post(
            "/stories", {"title": f"Scale {tag}", "slug": f"scale-{tag}", "is_public": True}
        )
        claim = self.post("/claims", {"story": story["slug"], "text": f"{text} ({tag})"})
        # A loopback URL: evidence capture refuses it, so nothing leaves this machine.
        claim = self.post(
            f"/claims/{claim['id']}/evidence",
            {"url": f"http://127.0.0.1:9/{tag}", "stance": "refutes", "excerpt": "counted"},
            version=claim["version"],
        )
        page = httpx.get(f"{self.base}/c/{claim['id']}/", follow_redirects=False)
        assert page.status_code == 301, page.status_code
        story_id = sql(PRIMARY_URL, "SELECT id FROM claims_story WHERE slug = %s", (story["slug"],))
        return PublicClaim(
            claim["id"], claim["version"], page.headers["Location"], story["slug"], story_id[0][0]
        )

    def rule(self, claim: PublicClaim, status: str) -> dict:
        body = self.post(
            f"/claims/{claim.id}/status",
            {"status": status, "rationale": "Scale test ruling."},
            version=claim.version,
        )
        claim.version = body["version"]
        return body

    def close(self) -> None:
        self.client.close()


@pytest.fixture(scope="session")
def token() -> str:
    return scale_manage(
        "api_token_create", "--user", "editor", "--name", f"scale-{uuid.uuid4().hex[:6]}",
        "--scope", "write",
    )  # fmt: skip


@pytest.fixture
def desk_a(token):
    desk = Desk(APP_A, token)
    yield desk
    desk.close()


@pytest.fixture
def desk_b(token):
    desk = Desk(APP_B, token)
    yield desk
    desk.close()


def replicated(claim: PublicClaim, *, version: int | None = None) -> bool:
    """Whether the replica has replayed the claim at ``version`` (default: its current one)."""
    return wait_for(
        lambda: replica_has(
            "SELECT 1 FROM claims_claim WHERE id = %s AND version >= %s",
            (claim.id, version or claim.version),
        ),
        seconds=10,
    )

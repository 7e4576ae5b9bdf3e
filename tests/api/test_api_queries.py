"""The queries each GET endpoint runs do not grow with the rows it answers with: N rows and
2N rows cost the same count. The counts are printed as a table and written to
bench-results/api-queries.json (per database), for the note."""

import json
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.services.api_tokens import api_token_create
from tests.support.factories import ClaimFactory, SourceFactory, StoryFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench-results" / "api-queries.json"


class World:
    def __init__(self):
        self.editor = UserFactory(username="q-editor", role="editor")
        self.token = api_token_create(user=self.editor, name="cms", scope="read")[1]
        self.story = StoryFactory(actor=self.editor, title="Flight PS752", is_public=True)
        self.source = SourceFactory(name="Canada's foreign minister")
        self.figure = services.figure_create(
            story=self.story, subject="Canadians killed", actor=self.editor
        )
        self.claim = services.claim_create(
            story=self.story, text="63 Canadians died.", actor=self.editor,
            figure=self.figure, value=63,
        )  # fmt: skip
        self.made = 0

    def next(self) -> int:
        self.made += 1
        return self.made

    def claims(self, n):
        for _ in range(n):
            ClaimFactory(story=self.story, actor=self.editor, text=f"Claim {self.next()}.")

    def detail(self, n):
        for _ in range(n):
            i = self.next()
            services.attribution_add(
                claim=self.claim, source=SourceFactory(name=f"Minister {i}"),
                quote=f"{i} died.", actor=self.editor,
            )  # fmt: skip
            services.evidence_add(
                claim=self.claim, url=f"https://example.org/{i}", stance="supports",
                actor=self.editor, capture=False,
            )  # fmt: skip

    def revisions(self, n):
        for _ in range(n):
            self.claim.refresh_from_db()
            services.claim_edit(
                claim=self.claim, actor=self.editor, expected_version=self.claim.version,
                text=f"63 Canadians died ({self.next()}).", note="wording",
            )  # fmt: skip

    def stories(self, n):
        for _ in range(n):
            StoryFactory(actor=self.editor, title=f"Story {self.next()}")

    def sources(self, n):
        for _ in range(n):
            SourceFactory(name=f"Spokesperson {self.next()}")

    def rulings(self, n):
        """Public rulings, with evidence and a source: events, and Fact Check results."""
        for _ in range(n):
            i = self.next()
            claim = ClaimFactory(story=self.story, actor=self.editor, text=f"Ruled claim {i}.")
            services.attribution_add(
                claim=claim, source=self.source, quote=f"Ruled claim {i}.", actor=self.editor
            )
            services.evidence_add(
                claim=claim, url=f"https://example.org/r{i}", stance="refutes",
                actor=self.editor, capture=False,
            )  # fmt: skip
            claim.refresh_from_db()
            services.claim_set_status(
                claim=claim, status="false", rationale="The manifest says otherwise.",
                actor=self.editor, expected_version=claim.version,
            )  # fmt: skip


# endpoint label -> (path, how to add rows, N, whether it needs the token)
ENDPOINTS = {
    "GET /claims": (lambda w: "/api/v1/claims", World.claims, 20, True),
    "GET /claims/{id}": (lambda w: f"/api/v1/claims/{w.claim.pk}", World.detail, 5, True),
    "GET /claims/{id}/revisions": (
        lambda w: f"/api/v1/claims/{w.claim.pk}/revisions",
        World.revisions,
        5,
        True,
    ),
    "GET /stories": (lambda w: "/api/v1/stories", World.stories, 5, True),
    "GET /sources": (lambda w: "/api/v1/sources", World.sources, 10, True),
    "GET /sources/{id}": (lambda w: f"/api/v1/sources/{w.source.pk}", World.sources, 5, True),
    "GET /events": (lambda w: "/api/v1/events", World.rulings, 5, False),
    "GET /claims:search": (
        lambda w: "/api/v1/claims:search?query=claim&pageSize=100",
        World.rulings,
        5,
        False,
    ),
}


def count_queries(client, world: World, path: str, token: bool) -> tuple[int, int]:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.token}"} if token else {}
    client.get(path, **headers)  # the token's last-use stamp is written once a minute
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return len(queries), len(response.content)


def test_get_endpoints_do_not_query_per_row(client, db, capsys):
    world = World()
    table, grew = {}, []
    for label, (path_of, grow, n, token) in ENDPOINTS.items():
        grow(world, n)
        small, small_bytes = count_queries(client, world, path_of(world), token)
        grow(world, n)
        large, large_bytes = count_queries(client, world, path_of(world), token)
        table[label] = {"rows": n, "queries_n": small, "queries_2n": large}
        if large != small:
            grew.append(f"{label}: {small} queries with N={n}, {large} with 2N")
        if label not in {"GET /sources/{id}"}:
            assert large_bytes > small_bytes, f"{label}: the added rows are not in the answer"

    lines = [f"{'endpoint':<28} {'N':>3} {'queries(N)':>10} {'queries(2N)':>11}"]
    lines += [
        f"{label:<28} {row['rows']:>3} {row['queries_n']:>10} {row['queries_2n']:>11}"
        for label, row in table.items()
    ]
    with capsys.disabled():
        print(f"\nAPI query counts ({connection.vendor}):\n" + "\n".join(lines))
    _record(connection.vendor, table)
    assert grew == []


def _record(vendor: str, table: dict) -> None:
    """bench-results/ is not in git: the numbers are for the note, per database."""
    try:
        RESULTS.parent.mkdir(exist_ok=True)
        known = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        known[vendor] = table
        RESULTS.write_text(json.dumps(known, indent=2, sort_keys=True) + "\n")
    except (OSError, ValueError):
        pass  # a read-only checkout still runs the assertion

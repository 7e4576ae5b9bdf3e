"""Measure the desk at scale: generate (or reuse) N claims and time every hot path.

Each case is run warm, at least ``--iterations`` times, on Django's test client in this
process; the query count comes from one extra captured run. Beside them: the default Django
admin changelist on the same data, the queue's own SQL run directly with psycopg (the
database floor) and a view that runs no query (the framework floor).

Then extraction on 2 MB of the text that drives it hardest (``claims.lib.extraction.stress``),
the figure the ingest task's time limits are set from; ``--extraction-only`` runs just that,
with no database.
"""

import json
import statistics
import time
from dataclasses import asdict, dataclass

import psycopg
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.access import ensure_roles
from claims.lib.extraction import MAX_BYTES, extract
from claims.lib.extraction.stress import BLOCK_BYTES, adversarial_text
from claims.management.bench import data as benchdata
from claims.models import Claim, Figure, Story
from claims.selectors.queue import PAGE_SIZE

PAGE_DEPTH = 10_000
FEED_STATUS_URL = "/feeds/status.rss?status=%s"
QUEUE_CASES = ("queue_first", "queue_deep", "queue_status", "search_selective", "search_common")
# Every query of these is explained: the feed's reads must stay index walks at any size.
FEED_CASES = ("feed_full", "feed_304", "feed_status", "feed_status_none")


@dataclass
class Result:
    p50_ms: float
    p95_ms: float
    queries: int


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Benchmark the queue, search, claim page, feeds and status changes at scale."

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, default=1_000_000)
        parser.add_argument("--revisions-per-claim", type=int, default=5)
        parser.add_argument("--iterations", type=int, default=200)
        parser.add_argument("--warmup", type=int, default=10, help="Untimed runs per case.")
        parser.add_argument("--json", dest="json_path", default=None)
        parser.add_argument("--regenerate", action="store_true", help="Rebuild the data.")
        parser.add_argument("--no-explain", action="store_true", help="Skip EXPLAIN ANALYZE.")
        parser.add_argument("--extraction-bytes", type=int, default=MAX_BYTES)
        parser.add_argument("--extraction-runs", type=int, default=3)
        parser.add_argument(
            "--extraction-only", action="store_true", help="Time extraction alone (no database)."
        )

    def handle(self, *args, **opts):
        if opts["extraction_only"]:
            payload = {"extraction": self._extraction(opts)}
            self._write(payload, opts["json_path"])
            return
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
        if benchdata.foreign_data_present():
            raise CommandError(
                "This database holds stories that are not benchmark data; run the benchmark "
                "against a database of its own (it replaces all claims)."
            )
        users = self._users()
        self.stdout.write(f"Generating {opts['claims']:,} claims…")
        report = benchdata.generate(
            claims=opts["claims"],
            revisions_per_claim=opts["revisions_per_claim"],
            users={"editor": users["editor"].pk, "reporter": users["reporter"].pk},
            log=self.stdout.write,
            force=opts["regenerate"],
        )
        reused = " (reused)" if report.reused else ""
        self.stdout.write(
            f"Data: {report.claims:,} claims, {report.revisions:,} revisions, "
            f"{report.seconds:.1f} s{reused}"
        )
        self.warmup = opts["warmup"]
        results, plans = self._measure(users, opts["iterations"], explain=not opts["no_explain"])
        self._print(results)
        for name, plan in plans.items():
            self.stdout.write(f"\nEXPLAIN ANALYZE {name}:\n{plan}")
        payload = {
            "claims": report.claims,
            "revisions": report.revisions,
            "seed_seconds": round(report.seconds, 1),
            "reused": report.reused,
            "iterations": opts["iterations"],
            "queue_deep_page": self.depth + 1,
            "cases": {name: asdict(result) for name, result in results.items()},
            "seq_scans": [name for name, plan in plans.items() if _seq_scan(plan)],
            "plans": plans,
            "extraction": self._extraction(opts),
        }
        self._write(payload, opts["json_path"])

    def _write(self, payload: dict, path: str | None) -> None:
        if path:
            with open(path, "w") as handle:
                json.dump(payload, handle, indent=2)
            self.stdout.write(f"\nWrote {path}")

    def _extraction(self, opts) -> dict:
        """Seconds to extract the adversarial text, over a few runs after a warm-up."""
        text = adversarial_text(opts["extraction_bytes"])
        extract(text[:BLOCK_BYTES])  # compiles pysbd's and the extractor's patterns
        samples = []
        for _ in range(max(opts["extraction_runs"], 1)):
            started = time.perf_counter()
            result = extract(text)
            samples.append(time.perf_counter() - started)
        size = len(text.encode())
        figures = {
            "bytes": size,
            "runs": len(samples),
            "median_s": round(statistics.median(samples), 2),
            "max_s": round(max(samples), 2),
            "mb_per_s": round(size / 2**20 / statistics.median(samples), 3),
            "candidates": len(result["candidates"]),
            "conflicts": len(result["conflicts"]),
        }
        self.stdout.write(
            f"\nextraction of {size / 2**20:.2f} MB adversarial text: median "
            f"{figures['median_s']:.2f} s, max {figures['max_s']:.2f} s over {len(samples)} "
            f"runs ({figures['mb_per_s']:.3f} MB/s), {figures['candidates']:,} candidates"
        )
        return figures

    def _users(self) -> dict:
        ensure_roles()
        User = get_user_model()
        editor, _ = User.objects.get_or_create(username="bench-editor")
        editor.groups.add(*ensure_group("editor"))
        reporter, _ = User.objects.get_or_create(username="bench-reporter")
        reporter.groups.add(*ensure_group("reporter"))
        superuser, _ = User.objects.get_or_create(
            username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
        )
        return {"editor": editor, "reporter": reporter, "admin": superuser}

    def _measure(self, users, iterations: int, *, explain: bool):
        desk, staff, anonymous = Client(), Client(), Client()
        desk.force_login(users["editor"])
        staff.force_login(users["admin"])
        long_claim = self._claim_with_revisions(users)
        long_claim = Claim.objects.select_related("figure__story", "story").get(pk=long_claim.pk)
        public_claim, public_story = long_claim.get_public_url(), f"/s/{long_claim.story.slug}/"
        ruling_claim = self._claim_to_rule(users)
        deep = self._deep_cursor()
        cases = {
            "queue_first": lambda: desk.get("/review/"),
            "queue_deep": lambda: desk.get("/review/", {"after": deep}),
            "queue_status": lambda: desk.get("/review/", {"status": "false"}),
            "search_selective": lambda: desk.get("/review/", {"q": "Shahlai"}),
            "search_common": lambda: desk.get("/review/", {"q": "missile"}),
            "claim_page": lambda: desk.get(f"/claims/{long_claim.pk}/"),
            # The figure the long claim reports: its series, table and chart.
            "figure_page": lambda: desk.get(long_claim.figure.get_absolute_url()),
            "public_figure": lambda: (
                cache.clear(),
                anonymous.get(long_claim.figure.get_public_url()),
            )[1],
            # The public claim and story pages a reader gets: rendered (cache emptied), and
            # from the page cache, where each is kept once per version of what it shows.
            "public_claim": lambda: (cache.clear(), anonymous.get(public_claim))[1],
            "public_claim_cached": lambda: anonymous.get(public_claim),
            "public_story": lambda: (cache.clear(), anonymous.get(public_story))[1],
            "public_story_cached": lambda: anonymous.get(public_story),
            "feed_full": lambda: (cache.clear(), anonymous.get("/feeds/status.rss"))[1],
            "feed_cached": lambda: anonymous.get("/feeds/status.rss"),
            # A common verdict, and a ruling the generated claims never get (none is
            # superseded): the walk that finds nothing.
            "feed_status": lambda: (cache.clear(), anonymous.get(FEED_STATUS_URL % "false"))[1],
            "feed_status_none": lambda: (
                cache.clear(),
                anonymous.get(FEED_STATUS_URL % "superseded"),
            )[1],
            "admin_changelist": lambda: staff.get("/admin/claims/claim/"),
            "admin_changelist_default": self._default_admin(users["admin"]),
            "noop_view": lambda: anonymous.get("/healthz/"),
        }
        etag = anonymous.get("/feeds/status.rss").headers.get("ETag", "")
        cases["feed_304"] = lambda: anonymous.get("/feeds/status.rss", HTTP_IF_NONE_MATCH=etag)
        results, plans = {}, {}
        for name, call in cases.items():
            results[name], sql = self._time(name, call, iterations)
            if explain and name in QUEUE_CASES and sql:
                plans[name] = _explain(sql)
            if explain and name in FEED_CASES:
                for number, query in enumerate(self.last_queries, 1):
                    plans[f"{name} query {number}"] = _explain(query["sql"])
        results["status_change"] = self._time_status_changes(users, ruling_claim, iterations)
        results["queue_sql_floor"] = self._time_sql_floor(iterations)
        return results, plans

    def _time(self, name: str, call, iterations: int) -> tuple[Result, str]:
        for _ in range(max(self.warmup, 1)):
            response = call()
        status = getattr(response, "status_code", 200)
        if status not in (200, 304):
            raise CommandError(f"{name} answered {status}")
        with CaptureQueriesContext(connection) as captured:
            call()
        # Read the capture now: the timed requests below reset the connection's query log.
        queries = self.last_queries = list(captured.captured_queries)
        samples = []
        for _ in range(iterations):
            started = time.perf_counter()
            call()
            samples.append((time.perf_counter() - started) * 1000)
        claims_sql = [
            q["sql"]
            for q in queries
            if 'FROM "claims_claim"' in q["sql"] and "COUNT(" not in q["sql"]
        ]
        result = Result(
            round(statistics.median(samples), 2),
            round(percentile(samples, 0.95), 2),
            len(queries),
        )
        return result, (claims_sql[0] if claims_sql else "")

    def _default_admin(self, superuser):
        """The stock ModelAdmin on the same data, as a desk without its own queue would use."""
        site = admin.AdminSite(name="bench_default_admin")
        model_admin = admin.ModelAdmin(Claim, site)
        factory = RequestFactory()

        def call():
            request = factory.get("/admin/claims/claim/")
            request.user = superuser
            response = model_admin.changelist_view(request)
            response.render()
            return response

        return call

    def _claim_with_revisions(self, users) -> Claim:
        story = Story.objects.get(slug=f"{benchdata.BENCH_PREFIX}1")
        marker = "Benchmark claim with twenty revisions"
        claim = Claim.objects.filter(text__startswith=marker).first()
        if claim:
            return claim
        figure = Figure.objects.filter(story=story, merged_into__isnull=True).first()
        claim = services.claim_create(
            story=story,
            text=f"{marker}: the toll stands at 1.",
            actor=users["editor"],
            figure=figure,
            value=1,
        )
        for n in range(2, 21):
            claim = services.claim_edit(
                claim=claim,
                actor=users["editor"],
                expected_version=claim.version,
                text=f"{marker}: the toll stands at {n}.",
                value=n,
                note="The desk's own typo in the toll.",
            )
        return claim

    def _claim_to_rule(self, users) -> Claim:
        claim = (
            Claim.objects.filter(evidence_count__gt=0, is_hidden=False)
            .filter(status__in=["in_review", "confirmed"])
            .order_by("id")
            .first()
        )
        if claim is None:
            raise CommandError("No claim with evidence to rule on; regenerate the data.")
        return claim

    def _deep_cursor(self) -> str:

        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM claims_claim WHERE NOT is_hidden")
            pages = cursor.fetchone()[0] // PAGE_SIZE
            self.depth = min(PAGE_DEPTH, max(pages - 1, 0))
            # Finding the row once by OFFSET is setup; the timed requests use the cursor.
            cursor.execute(
                "SELECT changed_at, id FROM claims_claim WHERE NOT is_hidden "
                "ORDER BY changed_at DESC, id DESC OFFSET %s LIMIT 1",
                [self.depth * PAGE_SIZE],
            )
            changed_at, claim_id = cursor.fetchone()
        return f"{changed_at.isoformat()}_{claim_id}"

    def _time_status_changes(self, users, claim: Claim, iterations: int) -> Result:
        samples, queries = [], 0
        editor = users["editor"]
        for n in range(iterations + 1):
            claim.refresh_from_db()
            status = "confirmed" if claim.status == "in_review" else "in_review"
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                services.claim_set_status(
                    claim=claim,
                    status=status,
                    rationale=f"Benchmark ruling {n}.",
                    actor=editor,
                    expected_version=claim.version,
                )
            elapsed = (time.perf_counter() - started) * 1000
            if n:  # the first call warms the path
                samples.append(elapsed)
            queries = len(captured.captured_queries)
        return Result(
            round(statistics.median(samples), 2), round(percentile(samples, 0.95), 2), queries
        )

    def _time_sql_floor(self, iterations: int) -> Result:

        sql = (
            "SELECT id, story_id, text, status, figure_id, value, approximation, value_high, "
            "assignee_id, changed_at FROM claims_claim WHERE NOT is_hidden "
            f"ORDER BY changed_at DESC, id DESC LIMIT {PAGE_SIZE + 1}"
        )
        db = settings.DATABASES["default"]
        with psycopg.connect(
            dbname=db["NAME"],
            user=db["USER"],
            password=db["PASSWORD"],
            host=db["HOST"],
            port=db["PORT"] or 5432,
        ) as conn:
            if settings.CLAIMDESK_PGBOUNCER:  # its statements live on one server connection
                conn.prepare_threshold = None
            for _ in range(10):
                conn.execute(sql).fetchall()
            samples = []
            for _ in range(iterations):
                started = time.perf_counter()
                conn.execute(sql).fetchall()
                samples.append((time.perf_counter() - started) * 1000)
        return Result(round(statistics.median(samples), 2), round(percentile(samples, 0.95), 2), 1)

    def _print(self, results: dict[str, Result]) -> None:
        floor = results["queue_sql_floor"].p95_ms
        noop = results["noop_view"].p95_ms
        self.stdout.write(f"\n{'case':<26}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}")
        for name, result in results.items():
            self.stdout.write(
                f"{name:<26}{result.p50_ms:>9.2f}{result.p95_ms:>9.2f}{result.queries:>9}"
            )
        queue = results["queue_first"].p95_ms
        self.stdout.write(
            f"\nqueue_first p95 = {queue / floor:.1f}× the SQL floor, {queue - noop:.2f} ms over "
            f"the no-query view; default admin / queue = "
            f"{results['admin_changelist_default'].p95_ms / queue:.1f}×; tuned admin / queue = "
            f"{results['admin_changelist'].p95_ms / queue:.1f}×"
        )


def ensure_group(name: str):
    from django.contrib.auth.models import Group

    return [Group.objects.get(name=name)]


def _explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def _seq_scan(plan: str) -> bool:
    return "Seq Scan on claims_claim" in plan or "Seq Scan on claims_revision" in plan

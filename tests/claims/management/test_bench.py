"""The benchmark runs end to end on a small database, so it cannot rot between runs at scale."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from claims.lib.extraction import subject_key
from claims.lib.extraction.stress import BLOCK_BYTES
from claims.management.commands.bench import Command as Bench
from claims.models import Claim, Figure, FigureRevision, Revision, Story
from claims.selectors.figures import desk_story_figures

CASES = {
    "queue_first",
    "queue_deep",
    "queue_status",
    "search_selective",
    "search_common",
    "claim_page",
    "figure_page",
    "public_figure",
    "feed_full",
    "feed_304",
    "status_change",
    "admin_changelist",
    "queue_sql_floor",
    "noop_view",
}
# The benchmark's extraction case on a little of the adversarial text, to keep these short.
SMALL_EXTRACTION = {"extraction_bytes": 2 * BLOCK_BYTES, "extraction_runs": 1}


def _indexes_and_constraints() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'index', indexname FROM pg_indexes WHERE tablename LIKE 'claims_%' "
            "UNION SELECT 'constraint ' || contype::text, conname FROM pg_constraint c "
            "JOIN pg_class t ON t.oid = c.conrelid WHERE t.relname LIKE 'claims_%'"
        )
        return set(cursor.fetchall())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_bench_generates_data_and_reports_every_case(tmp_path):
    report = tmp_path / "bench.json"
    schema = _indexes_and_constraints()

    call_command(
        "bench",
        claims=3000,
        revisions_per_claim=5,
        iterations=3,
        json_path=str(report),
        stdout=open(tmp_path / "out.txt", "w"),
        **SMALL_EXTRACTION,
    )

    result = json.loads(report.read_text())
    assert result["claims"] == 3000
    assert CASES <= set(result["cases"])
    assert result["cases"]["feed_304"]["queries"] <= 1
    assert result["cases"]["noop_view"]["queries"] == 0
    assert result["cases"]["queue_first"]["queries"] > 0
    assert {"queue_first", "queue_deep", "search_common"} <= set(result["plans"])
    assert Claim.objects.filter(story__slug__startswith="bench-").count() >= 3000
    assert Revision.objects.filter(claim__text__startswith="Benchmark claim").count() == 20
    out = (tmp_path / "out.txt").read_text()
    assert "EXPLAIN ANALYZE queue_first" in out
    # The load drops indexes and the revisions' unique constraint; every one is back.
    assert _indexes_and_constraints() == schema
    assert ("constraint u", "revision_number_unique") in schema
    assert result["extraction"]["bytes"] <= 2 * BLOCK_BYTES
    _assert_figures_and_reports()


def _assert_figures_and_reports() -> None:
    """A figure per story with its first revision; one claim in a hundred reports its value."""
    stories = Story.objects.filter(slug__startswith="bench-")
    figures = Figure.objects.filter(story__in=stories)
    assert figures.count() == stories.count()
    assert FigureRevision.objects.filter(figure__in=figures, kind="created").count() == len(figures)
    assert all(f.subject_key == subject_key(f.subject) for f in figures)
    reports = Claim.objects.filter(story__in=stories, figure__isnull=False)
    assert reports.filter(figure__story_id=F("story_id"), approximation="exact").count() == (
        reports.count()
    )
    assert reports.filter(value__isnull=True).count() == 0
    generated = reports.exclude(text__startswith="Benchmark claim")
    assert generated.count() >= Claim.objects.filter(story__in=stories).count() // 101
    # Spread over the stories: the first reports each go to a figure of their own.
    assert generated.values("figure").distinct().count() == min(generated.count(), len(figures))
    first = reports.order_by("pk").first()
    assert str(int(first.value)) in first.text
    summaries = [
        summary
        for story in stories.filter(figures__reports__isnull=False).distinct()[:20]
        for summary in desk_story_figures(story, Claim.objects.all())
    ]
    assert [len(s.reports) for s in summaries] == [s.figure.reports.count() for s in summaries]
    assert "current" in {s.state.kind for s in summaries}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_second_run_reuses_the_data_it_made(tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    quiet = open(tmp_path / "out.txt", "w")
    options = {"claims": 1000, "iterations": 1, "warmup": 1, "no_explain": True, "stdout": quiet}
    options.update(SMALL_EXTRACTION)

    call_command("bench", json_path=str(first), **options)
    call_command("bench", json_path=str(second), **options)

    assert json.loads(first.read_text())["reused"] is False
    assert json.loads(second.read_text())["reused"] is True
    assert Claim.objects.filter(pk__lte=1000).count() == 1000


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_bench_refuses_a_database_holding_the_desks_own_stories(editor, tmp_path):
    from django.core.management.base import CommandError

    from tests.support.factories import StoryFactory

    StoryFactory(actor=editor, title="A real story")

    with pytest.raises(CommandError, match="database of its own"):
        call_command("bench", claims=100, iterations=1)

    assert Story.objects.filter(title="A real story").exists()


def test_bench_times_extraction_of_the_adversarial_text_without_a_database(tmp_path):
    report = tmp_path / "bench.json"
    out = tmp_path / "out.txt"

    call_command(
        "bench", extraction_only=True, json_path=str(report), stdout=open(out, "w"),
        **SMALL_EXTRACTION,
    )  # fmt: skip

    figures = json.loads(report.read_text())["extraction"]
    assert 2 * BLOCK_BYTES - 1024 < figures["bytes"] <= 2 * BLOCK_BYTES
    assert figures["runs"] == 1
    assert figures["candidates"] > 0
    assert {"median_s", "max_s", "mb_per_s", "conflicts"} <= set(figures)
    assert "extraction of 0.12 MB adversarial text" in out.read_text()


def test_bench_help_lists_its_options():
    text = Bench().create_parser("manage.py", "bench").format_help()

    assert "--claims" in text and "--extraction-only" in text

"""Reports, replacements and merges of one figure at once against PostgreSQL: no report lands
on a merged figure, one replacement wins, a refused one leaves no claim behind, no deadlock."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from claims import services
from claims.models import Attribution, Claim, Figure, Revision
from tests.hardening.conftest import run_in_threads
from tests.support.factories import (
    FigureFactory,
    ReportFactory,
    SourceFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.postgres

WRITERS = 20


def _file(figure: Figure, actor, value: int, **replacing) -> Claim:
    return services.figure_report(
        figure=figure, value=value, text=f"Officials now say {value} Canadians died.",
        source=SourceFactory(name=f"Official {value}"), said_at=None, quote="", actor=actor,
        **replacing,
    )  # fmt: skip


def test_reports_racing_a_merge_land_on_the_figure_that_stays(transactional_db):
    editor = UserFactory(username="merging-editor", role="editor")
    reporter_ids = [UserFactory(username=f"rep{i}", role="reporter").pk for i in range(WRITERS)]
    story = StoryFactory(actor=editor)
    stays = FigureFactory(story=story, subject="Canadian victims", actor=editor)
    merged = FigureFactory(story=story, subject="Canadians killed", actor=editor)
    opened = Figure.objects.get(pk=merged.pk)  # every reporter's form was opened before

    def write(index: int) -> str:
        if index == 0:
            services.figure_merge(figure=opened, into=stays, actor=editor, expected_version=1)
            return "merged"
        actor = get_user_model().objects.get(pk=reporter_ids[index])
        _file(opened, actor, 100 + index)
        return "reported"

    results, errors, hung = run_in_threads(WRITERS, write)

    assert hung == 0
    assert "merged" in results
    assert all(isinstance(e, ValidationError) and "merged into" in str(e) for e in errors), errors
    assert results.count("reported") + len(errors) == WRITERS - 1
    assert not Claim.objects.filter(figure=merged).exists()
    assert Claim.objects.filter(figure=stays).count() == results.count("reported")
    assert Attribution.objects.count() == results.count("reported")


def test_many_new_values_replacing_one_report_leave_one_replacement(transactional_db):
    editor_ids = [UserFactory(username=f"ed{i}", role="editor").pk for i in range(WRITERS)]
    figure = FigureFactory(story=StoryFactory(), subject="Canadian victims")
    old = ReportFactory(figure=figure, value=63)

    def write(index: int) -> int:
        actor = get_user_model().objects.get(pk=editor_ids[index])
        stale = Claim.objects.get(pk=old.pk)
        return _file(figure, actor, 200 + index, supersedes=stale,
                     supersedes_version=old.version).pk  # fmt: skip

    results, errors, hung = run_in_threads(WRITERS, write)

    assert hung == 0
    assert len(results) == 1
    allowed = (ValidationError, PermissionDenied, services.ConflictError)
    assert all(isinstance(error, allowed) for error in errors), errors
    replaced = Claim.objects.get(pk=old.pk)
    assert (replaced.status, replaced.superseded_by_id) == ("superseded", results[0])
    assert set(figure.reports.values_list("pk", flat=True)) == {old.pk, results[0]}
    assert Revision.objects.filter(kind="superseded", claim=old).count() == 1

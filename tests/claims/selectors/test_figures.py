"""What a figure stands at, derived from its reports: the newest confirmed report, else the
newest standing one, unless sources disagree; and a story's figures read in fixed queries."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from claims import services
from claims.access import visible_claims
from claims.selectors.figures import (
    ReportRow,
    desk_figure,
    desk_story_figures,
    figure_state,
    public_figure,
    public_story_figures,
)
from tests.support.factories import FigureFactory, ReportFactory, SourceFactory
from tests.support.public import rule

JAN_8 = datetime(2020, 1, 8, 20, tzinfo=UTC)
CANADA, CHAMPAGNE, REUTERS, AP, US_OFFICIAL = 1, 2, 3, 4, 5


def row(pk, value, source, *, day=0, status="unverified", hidden=False, approx="exact",
        high=None) -> ReportRow:  # fmt: skip
    return ReportRow(
        claim_id=pk, text=f"{value}", status=status, value=Decimal(value), approximation=approx,
        value_high=None if high is None else Decimal(high), source_id=source, source_name="",
        said_at=JAN_8 + timedelta(days=day), superseded_by_id=None, hidden=hidden,
    )  # fmt: skip


CASES = {
    "63 superseded by 57, confirmed": (
        [row(1, 63, CANADA, status="superseded"), row(2, 57, CHAMPAGNE, day=2, status="confirmed")],
        "current", 2, set(),
    ),
    "176 from several sources that agree": (
        [row(1, 176, REUTERS), row(2, 176, AP, day=1), row(3, 176, CANADA, day=1)],
        "current", 3, set(),
    ),
    "2 from one anonymous source, unproven": (
        [row(1, 2, US_OFFICIAL, status="unproven")], "current", 1, set(),
    ),
    "63 and 57 from two sources, both unverified": (
        [row(1, 63, CANADA), row(2, 57, CHAMPAGNE, day=2)], "disagree", None, {1, 2},
    ),
    "the desk rules 63 disputed: 57 stands": (
        [row(1, 63, CANADA, status="disputed"), row(2, 57, CHAMPAGNE, day=2)],
        "current", 2, set(),
    ),
    "the desk rules 57 false: 63 stands": (
        [row(1, 63, CANADA), row(2, 57, CHAMPAGNE, day=2, status="false")], "current", 1, set(),
    ),
    "a confirmed report outranks a newer unverified one": (
        [row(1, 57, CHAMPAGNE, status="confirmed"), row(2, 63, CANADA, day=3)],
        "current", 1, set(),
    ),
    "the newest of two confirmed reports of one source": (
        [row(1, 63, CANADA, status="confirmed"), row(2, 57, CANADA, day=1, status="confirmed")],
        "current", 2, set(),
    ),
    "two confirmed reports of two sources that differ": (
        [row(1, 63, CANADA, status="confirmed"),
         row(2, 57, CHAMPAGNE, day=1, status="confirmed")],
        "disagree", None, {1, 2},
    ),
    "a source's later word replaces its earlier one without a ruling": (
        [row(1, 63, CANADA), row(2, 57, CANADA, day=2)], "current", 2, set(),
    ),
    "a hidden confirmed report does not count": (
        [row(1, 63, CANADA), row(2, 57, CHAMPAGNE, day=2, status="confirmed", hidden=True)],
        "current", 1, set(),
    ),
    "a hidden report does not disagree": (
        [row(1, 63, CANADA), row(2, 57, CHAMPAGNE, day=2, hidden=True)], "current", 1, set(),
    ),
    "about 57 is not 57": (
        [row(1, 57, CANADA), row(2, 57, CHAMPAGNE, day=1, approx="about")],
        "disagree", None, {1, 2},
    ),
    "the same range from two sources agrees": (
        [row(1, 40, REUTERS, approx="range", high=50),
         row(2, 40, AP, day=1, approx="range", high=50)],
        "current", 2, set(),
    ),
    "newest by when it was said, not when it was filed": (
        [row(1, 57, CANADA, day=5), row(2, 63, CANADA, day=1)], "current", 1, set(),
    ),
    "every report fallen": (
        [row(1, 63, CANADA, status="superseded"), row(2, 57, CHAMPAGNE, status="misleading")],
        "none", None, set(),
    ),
    "no reports": ([], "none", None, set()),
}  # fmt: skip


@pytest.mark.parametrize(("reports", "kind", "current", "disagreeing"), CASES.values(), ids=CASES)
def test_figure_state(reports, kind, current, disagreeing):
    state = figure_state(reports)

    assert state.kind == kind
    assert (state.current.claim_id if state.current else None) == current
    assert {r.claim_id for r in state.disagreeing} == disagreeing
    assert state.disagree == (kind == "disagree")


def test_the_order_reports_come_in_does_not_matter():
    reports = [row(1, 63, CANADA), row(2, 57, CHAMPAGNE, day=2, status="confirmed"),
               row(3, 57, AP, day=1)]  # fmt: skip

    assert {figure_state(reports).current, figure_state(reports[::-1]).current} == {reports[1]}


# Read from the database --------------------------------------------------------------------------


def story_with_reports(story, editor, reports: int):
    """Two figures of the story, ``reports`` reports between them, from several sources, one
    superseded, one hidden."""
    victims = FigureFactory(story=story, subject="Canadian victims", actor=editor)
    aboard = FigureFactory(story=story, subject="People aboard", actor=editor)
    filed = []
    for n in range(reports):
        figure = victims if n % 2 else aboard
        filed.append(
            ReportFactory(figure=figure, value=50 + n, actor=editor,
                          source=SourceFactory(name=f"Source {n % 3}"))
        )  # fmt: skip
    services.claim_supersede(claim=filed[0], by=filed[2], actor=editor, expected_version=2)
    rule(filed[1], "confirmed", editor)
    services.claim_hide(claim=filed[3], actor=editor)
    return victims, aboard


def read_everything(summaries) -> list:
    return [
        (s.figure.subject, s.figure.get_absolute_url(), s.state.kind,
         [(r.shown, r.source_name, r.standing) for r in s.newest_first])
        for s in summaries
    ]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("reports", [4, 20])
def test_a_storys_figures_are_read_in_two_queries_however_many_reports(
    django_assert_num_queries, story, editor, reports
):
    story_with_reports(story, editor, reports)
    claims = visible_claims(editor)

    with django_assert_num_queries(2):
        desk = read_everything(desk_story_figures(story, claims))
    with django_assert_num_queries(2):
        public = read_everything(public_story_figures(story))

    assert sum(len(rows) for *_, rows in desk) == reports
    assert sum(len(rows) for *_, rows in public) == reports - 1  # the hidden one is not public


@pytest.mark.django_db
@pytest.mark.parametrize("reports", [4, 20])
def test_one_figure_is_read_in_one_query(django_assert_num_queries, story, editor, reports):
    victims, _ = story_with_reports(story, editor, reports)
    claims = visible_claims(editor)

    with django_assert_num_queries(1):
        desk = read_everything([desk_figure(victims, claims)])
    with django_assert_num_queries(1):
        public = read_everything([public_figure(victims)])

    assert len(desk[0][3]) == reports // 2
    assert len(public[0][3]) == reports // 2 - 1


@pytest.mark.django_db
def test_the_desk_reads_each_report_with_its_source_and_the_public_leaves_hidden_ones_out(
    story, editor, reporter
):
    victims = FigureFactory(story=story, subject="Canadian victims", actor=reporter)
    canada = SourceFactory(name="Government of Canada")
    first = ReportFactory(figure=victims, value=63, source=canada, said_at=JAN_8, actor=reporter)
    later = ReportFactory(
        figure=victims, value=57, source=SourceFactory(name="Champagne"),
        said_at=JAN_8 + timedelta(days=2), actor=editor, supersedes=first,
        supersedes_version=first.version,
    )  # fmt: skip
    services.claim_hide(claim=later, actor=editor)

    desk = desk_figure(victims, visible_claims(editor))
    reporters_view = desk_figure(victims, visible_claims(reporter))
    public = public_figure(victims)

    assert [(r.claim_id, r.shown, r.source_name, r.said_at) for r in desk.reports] == [
        (first.pk, "63 people", "Government of Canada", JAN_8),
        (later.pk, "57 people", "Champagne", JAN_8 + timedelta(days=2)),
    ]
    assert [r.hidden for r in desk.reports] == [False, True]
    assert desk.reports[0].superseded_by_id == later.pk and desk.reports[0].superseded
    assert desk.state.kind == "none"
    assert [r.claim_id for r in reporters_view.reports] == [first.pk]
    assert [r.claim_id for r in public.reports] == [first.pk]

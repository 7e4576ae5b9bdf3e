"""Editors rename, merge and split figures from the figure page: what the database holds after
each, what a stale or bad form gets, and where the page sends the user."""

import pytest

from claims.models import Claim, Figure, FigureRevision, Revision
from tests.claims.desk.figure_helpers import HTMX, JAN_10, figure_url, report, toll
from tests.support.factories import StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def figure(story, editor):
    return toll(story, editor)


@pytest.fixture
def reports(figure, editor):
    first = report(figure, editor, 63, "Government of Canada")
    second = report(figure, editor, 138, "Air Canada manifest", said_at=JAN_10)
    return first, second


def rename(**overrides) -> dict:
    return {"version": 1, "subject": "Canadians killed on PS752", "kind": "count",
            "unit": "people", "note": "Shorter", **overrides}  # fmt: skip


def test_rename_saves_the_subject_with_a_revision_and_redirects(client, editor, figure):
    client.force_login(editor)

    response = client.post(figure_url(figure, "update"), rename())

    assert response.status_code == 302 and response["Location"] == figure_url(figure)
    figure.refresh_from_db()
    assert (figure.subject, figure.version) == ("Canadians killed on PS752", 2)
    revision = figure.revisions.get(kind=FigureRevision.Kind.RENAMED)
    assert revision.before == {"subject": "Canadian citizens killed on PS752"}
    assert revision.note == "Shorter"
    history = client.get(figure_url(figure)).content.decode().split('id="figure-history"')[1]
    assert "<dt>Subject</dt><dd><del>Canadian citizens killed on PS752</del>" in history
    assert "<ins>Canadians killed on PS752</ins>" in history


def test_rename_with_htmx_answers_the_form_and_the_refreshed_state(client, editor, figure):
    client.force_login(editor)

    response = client.post(figure_url(figure, "update"), rename(), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<form id="form-update"')
    assert 'value="2" id="update-version"' in html or 'id="update-version" value="2"' in html
    assert "Canadians killed on PS752</h1>" in html
    assert "Figure renamed." in html


def test_a_unit_that_does_not_fit_the_kind_is_refused_and_changes_nothing(client, editor, figure):
    client.force_login(editor)

    response = client.post(figure_url(figure, "update"), rename(kind="distance", unit="people"))

    assert response.status_code == 422
    assert "A distance is in m, km, mi, ft or nmi." in response.content.decode()
    figure.refresh_from_db()
    assert (figure.kind, figure.unit, figure.version) == ("count", "people", 1)
    assert not figure.revisions.filter(kind=FigureRevision.Kind.RENAMED).exists()


def test_a_stale_rename_is_a_conflict_that_keeps_the_input(client, editor, figure):
    client.force_login(editor)
    client.post(figure_url(figure, "update"), rename(subject="Canadians aboard PS752"))

    response = client.post(figure_url(figure, "update"), rename(subject="My own name"), **HTMX)

    html = response.content.decode()
    assert response.status_code == 409
    assert "This figure was changed since you opened it" in html
    assert 'value="My own name"' in html
    assert 'name="version" value="2"' in html
    assert Figure.objects.get(pk=figure.pk).subject == "Canadians aboard PS752"


def test_merge_moves_the_reports_and_the_old_page_points_to_the_figure_that_stays(
    client, editor, story, figure, reports
):
    other = toll(story, editor, subject="Canadians who died on flight PS752")
    client.force_login(editor)

    response = client.post(
        figure_url(figure, "merge"), {"version": 1, "into": other.pk, "note": "Same count"}
    )

    assert response.status_code == 302 and response["Location"] == figure_url(other)
    figure.refresh_from_db()
    assert figure.merged_into == other
    assert set(other.reports.values_list("pk", flat=True)) == {c.pk for c in reports}
    assert Revision.objects.filter(claim__in=reports, kind="refiled").count() == 2
    old_page = client.get(figure_url(figure))
    assert old_page.status_code == 302 and old_page["Location"] == figure_url(other)
    assert "merged into" in client.get(figure_url(other)).content.decode()


def test_merge_with_htmx_sends_the_browser_to_the_figure_that_stays(
    client, editor, story, figure, reports
):
    other = toll(story, editor, subject="Canadians who died on flight PS752")
    client.force_login(editor)

    response = client.post(figure_url(figure, "merge"), {"version": 1, "into": other.pk}, **HTMX)

    assert response.status_code == 200 and response["HX-Redirect"] == figure_url(other)


def test_merge_into_a_figure_of_another_story_is_an_invalid_choice(client, editor, figure, reports):
    elsewhere = toll(StoryFactory(actor=editor, title="Elsewhere"), editor, subject="Elsewhere")
    client.force_login(editor)

    response = client.post(figure_url(figure, "merge"), {"version": 1, "into": elsewhere.pk})

    assert response.status_code == 422
    assert "Choose another figure of this story." in response.content.decode()
    assert Figure.objects.get(pk=figure.pk).merged_into_id is None


def test_posting_to_a_merged_figure_changes_nothing_and_points_to_the_other(
    client, editor, story, figure, reports
):
    other = toll(story, editor, subject="Canadians who died on flight PS752")
    client.force_login(editor)
    client.post(figure_url(figure, "merge"), {"version": 1, "into": other.pk})

    response = client.post(figure_url(figure, "update"), rename(version=2), follow=True)

    assert response.redirect_chain[-1][0] == figure_url(other)
    assert "was merged into" in response.content.decode()
    assert Figure.objects.get(pk=figure.pk).subject == "Canadian citizens killed on PS752"


def test_split_moves_the_chosen_reports_to_a_new_figure(client, editor, story, figure, reports):
    first, second = reports
    client.force_login(editor)

    response = client.post(
        figure_url(figure, "split"),
        {"version": 1, "reports": [second.pk], "subject": "People aboard PS752"},
    )

    assert response.status_code == 302 and response["Location"] == figure_url(figure)
    new = Figure.objects.get(story=story, subject="People aboard PS752")
    assert list(new.reports.all()) == [Claim.objects.get(pk=second.pk)]
    assert Claim.objects.get(pk=first.pk).figure_id == figure.pk
    assert figure.revisions.filter(kind="split_off").exists()
    html = client.get(figure_url(figure)).content.decode()
    assert f"1 report (#{second.pk}) moved to a new figure:" in html
    assert f'<a href="{figure_url(new)}">People aboard PS752</a>' in html


def test_split_that_would_separate_a_report_from_its_replacement_is_refused(client, editor, figure):
    first = report(figure, editor, 63, "Government of Canada")
    second = report(figure, editor, 57, "Government of Canada", said_at=JAN_10,
                    supersedes=first, supersedes_version=first.version)  # fmt: skip
    report(figure, editor, 138, "Air Canada manifest", said_at=JAN_10)
    client.force_login(editor)

    response = client.post(
        figure_url(figure, "split"), {"version": 1, "reports": [second.pk], "subject": "Other"}
    )

    assert response.status_code == 422
    assert "and the report that replaced it must stay together" in response.content.decode()
    assert not Figure.objects.filter(subject="Other").exists()


def test_a_refiled_reports_timeline_says_where_it_moved(client, editor, story, figure, reports):
    other = toll(story, editor, subject="Canadians who died on flight PS752")
    client.force_login(editor)
    client.post(figure_url(figure, "merge"), {"version": 1, "into": other.pk})

    html = client.get(reports[0].get_absolute_url()).content.decode()

    timeline = html.split('id="timeline-heading"')[1]
    assert "<strong>Moved to another figure</strong>" in timeline
    assert f'Now a report of <a href="{figure_url(other)}">another figure</a>' in timeline
    assert f'(it was in <a href="{figure_url(figure)}">this one</a>)' in timeline


def test_a_quantity_the_migration_turned_into_a_report_reads_as_it_was(client, editor, figure):
    claim = report(figure, editor, 63, "Government of Canada")
    claim.refresh_from_db()
    # What the figures migration wrote for a claim that carried a quantity: no service
    # writes this revision any more, so it is recorded here as the migration did.
    Revision.objects.create(
        claim=claim, number=claim.version + 1, kind="refiled", created_at=claim.changed_at,
        before={"quantity_subject": "Canadian victims", "quantity_value": 63,
                "quantity_unit": "people"},
        after={"figure": figure.pk, "value": 63, "approximation": "exact"},
        note="The claim's quantity became a report of the figure.",
    )  # fmt: skip
    Claim.objects.filter(pk=claim.pk).update(version=claim.version + 1)
    client.force_login(editor)

    html = client.get(claim.get_absolute_url()).content.decode()

    assert "Recorded before figures existed as “Canadian victims: 63 people”" in html
    assert f'now a report of <a href="{figure_url(figure)}">its figure</a>' in html

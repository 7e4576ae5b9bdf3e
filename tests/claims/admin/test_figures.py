"""Moderators read figures and their history in the admin; nobody changes them there."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Figure, FigureRevision
from tests.support.factories import FigureFactory, ReportFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:claims_figure_changelist")


@pytest.fixture
def figures(story, editor):
    victims = FigureFactory(story=story, subject="Canadian victims", actor=editor)
    dup = FigureFactory(story=story, subject="Canadians killed", actor=editor)
    ReportFactory(figure=victims, value=63)
    ReportFactory(figure=dup, value=57)
    services.figure_merge(figure=dup, into=victims, actor=editor, expected_version=1)
    turnout = FigureFactory(
        story=StoryFactory(title="Election"), subject="Turnout", kind="percentage", unit="%"
    )
    return {"victims": victims, "dup": dup, "turnout": turnout}


def test_a_moderator_sees_each_figure_with_its_reports_and_what_it_was_merged_into(
    client, moderator, figures
):
    client.force_login(moderator)

    page = client.get(CHANGELIST).text

    assert "Canadian victims" in page and "Canadians killed" in page and "Turnout" in page
    rows = page.split("<tr")
    victims_row = next(r for r in rows if ">Canadian victims<" in r)
    dup_row = next(r for r in rows if ">Canadians killed<" in r)
    assert '<td class="field-report_count">2</td>' in victims_row
    assert '<td class="field-report_count">0</td>' in dup_row
    assert "Canadian victims" in dup_row.split("field-merged_into")[1]


def test_the_changelist_searches_subjects_and_filters_by_story_and_kind(
    client, moderator, story, figures
):
    client.force_login(moderator)

    searched = client.get(CHANGELIST, {"q": "turnout"}).text
    by_story = client.get(CHANGELIST, {"story__id__exact": story.pk}).text
    by_kind = client.get(CHANGELIST, {"kind__exact": "percentage"}).text

    assert "Turnout" in searched and ">Canadian victims<" not in searched
    assert ">Canadian victims<" in by_story and "Turnout" not in by_story
    assert "Turnout" in by_kind and ">Canadian victims<" not in by_kind


def test_a_moderator_reads_a_figures_history_but_cannot_change_add_or_delete(
    client, moderator, figures
):
    victims = figures["victims"]
    client.force_login(moderator)
    change = reverse("admin:claims_figure_change", args=[victims.pk])

    page = client.get(change).text
    posted = client.post(change, {"subject": "Renamed", "kind": "count", "unit": ""})
    added = client.get(reverse("admin:claims_figure_add"))
    deleted = client.post(reverse("admin:claims_figure_delete", args=[victims.pk]), {"post": "yes"})

    assert "Took in another figure" in page
    assert 'name="_save"' not in page
    assert posted.status_code == 403
    assert added.status_code == 403
    assert deleted.status_code == 403
    figure = Figure.objects.get(pk=victims.pk)
    assert (figure.subject, figure.version) == ("Canadian victims", 2)


def test_figure_revisions_are_read_only_in_the_admin(client, moderator, figures):
    revision = FigureRevision.objects.filter(figure=figures["dup"]).order_by("number").last()
    client.force_login(moderator)

    listed = client.get(reverse("admin:claims_figurerevision_changelist")).text
    change = reverse("admin:claims_figurerevision_change", args=[revision.pk])
    shown = client.get(change).text
    posted = client.post(change, {"note": "rewritten"})
    deleted = client.post(
        reverse("admin:claims_figurerevision_delete", args=[revision.pk]), {"post": "yes"}
    )

    assert "Merged into another figure" in listed
    assert 'name="_save"' not in shown
    assert (posted.status_code, deleted.status_code) == (403, 403)
    assert FigureRevision.objects.get(pk=revision.pk).note == ""


def test_an_editor_without_staff_access_cannot_reach_the_figures_admin(client, editor, figures):
    client.force_login(editor)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_reporter_given_staff_access_still_sees_no_figures(client, figures):
    reporter = UserFactory(username="staff-reporter", role="reporter")
    reporter.is_staff = True
    reporter.save(update_fields=["is_staff"])
    client.force_login(reporter)

    assert client.get(CHANGELIST).status_code == 403

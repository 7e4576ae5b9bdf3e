"""The story services: a time zone that exists, a revision for every change written in the
same transaction, stale versions refused, closed stories taking no claims, and a history the
database keeps append-only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from claims import services
from claims.models import Story, StoryRevision
from tests.support.factories import ClaimFactory, StoryFactory

pytestmark = pytest.mark.django_db


def test_a_story_starts_in_the_newsrooms_zone_unless_given_one(editor, settings):
    plain = services.story_create(title="Plain", actor=editor)
    tehran = services.story_create(title="Tehran", actor=editor, time_zone=" Asia/Tehran ")

    assert plain.time_zone == settings.TIME_ZONE
    assert tehran.time_zone == "Asia/Tehran"
    assert str(tehran.zone) == "Asia/Tehran"


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "../etc/passwd", "Asia/Tehran\x00", 7])
def test_a_time_zone_that_is_not_a_zone_is_refused(editor, name):
    with pytest.raises(ValidationError) as refused:
        services.story_create(title="Somewhere", actor=editor, time_zone=name)

    assert "time_zone" in refused.value.message_dict
    assert not Story.objects.exists() and not StoryRevision.objects.exists()


def test_the_model_validates_its_time_zone_too(editor):
    story = StoryFactory(actor=editor)
    story.time_zone = "Europe/Atlantis"

    with pytest.raises(ValidationError) as refused:
        story.full_clean()

    assert "Europe/Atlantis is not a time zone name" in str(refused.value)


def test_each_kind_of_change_is_its_own_revision_with_before_and_after(editor, story):
    services.story_update(
        story=story,
        actor=editor,
        title="PS752",
        description="Shot down.",
        time_zone="Asia/Tehran",
        is_public=False,
        expected_version=1,
    )

    rows = list(
        StoryRevision.objects.filter(story=story).values_list("number", "kind", "before", "after")
    )
    story.refresh_from_db()
    assert story.version == 4
    assert rows[1:] == [
        (
            2,
            "edited",
            {"title": rows[0][3]["title"], "description": ""},
            {"title": "PS752", "description": "Shot down."},
        ),
        (3, "time_zone", {"time_zone": "UTC"}, {"time_zone": "Asia/Tehran"}),
        (4, "unpublished", {"is_public": True}, {"is_public": False}),
    ]


def test_a_stale_version_changes_nothing(editor, story):
    services.story_close(story=story, actor=editor, expected_version=1)

    with pytest.raises(services.StoryConflictError, match="by eddie \\(closed\\)"):
        services.story_update(
            story=story, actor=editor, title="Late", description="", expected_version=1
        )
    with pytest.raises(services.StoryConflictError):
        services.story_set_public(story=story, is_public=False, actor=editor, expected_version=1)

    story.refresh_from_db()
    assert story.title != "Late" and story.is_public and story.version == 2


def test_publishing_twice_writes_one_revision(editor):
    story = StoryFactory(actor=editor, is_public=False)

    services.story_set_public(story=story, is_public=True, actor=editor)
    services.story_set_public(story=story, is_public=True, actor=editor)

    kinds = list(StoryRevision.objects.filter(story=story).values_list("kind", flat=True))
    assert kinds == ["created", "published"]


def test_closing_twice_or_reopening_an_open_story_is_refused(editor, story):
    services.story_close(story=story, actor=editor)

    with pytest.raises(ValidationError, match="already closed"):
        services.story_close(story=story, actor=editor)
    services.story_reopen(story=story, actor=editor)
    with pytest.raises(ValidationError, match="open already"):
        services.story_reopen(story=story, actor=editor)


def test_a_closed_story_takes_no_claims_from_any_caller(editor, reporter, story):
    services.story_close(story=story, actor=editor)
    story.refresh_from_db()

    with pytest.raises(ValidationError, match="This story is closed"):
        ClaimFactory(story=story, actor=reporter)

    assert not story.claims.exists()


@pytest.mark.parametrize("role", ["reporter", "moderator"])
def test_only_editors_run_stories(request, role, story):
    actor = request.getfixturevalue(role)

    for change in (
        lambda: services.story_create(title="Mine", actor=actor),
        lambda: services.story_update(story=story, actor=actor, title="X", description=""),
        lambda: services.story_set_public(story=story, is_public=False, actor=actor),
        lambda: services.story_close(story=story, actor=actor),
        lambda: services.story_reopen(story=story, actor=actor),
    ):
        with pytest.raises(PermissionDenied, match="manage stories"):
            change()

    assert StoryRevision.objects.count() == 1


def test_the_database_refuses_to_rewrite_or_delete_story_history(editor, story):
    for statement in (
        "UPDATE claims_storyrevision SET kind = 'closed' WHERE story_id = %s",
        "DELETE FROM claims_storyrevision WHERE story_id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement, [story.pk])

    assert StoryRevision.objects.get(story=story).kind == "created"


def test_the_reserved_address_new_is_refused(editor):
    with pytest.raises(ValidationError, match="taken by the desk"):
        services.story_create(title="New", actor=editor)


def test_renaming_from_an_old_copy_leaves_the_public_switch_as_it_is_now(editor, story):
    old_copy = Story.objects.get(pk=story.pk)
    services.story_set_public(story=story, is_public=False, actor=editor)

    services.story_update(story=old_copy, actor=editor, title="Renamed", description="")

    story.refresh_from_db()
    assert story.title == "Renamed" and not story.is_public

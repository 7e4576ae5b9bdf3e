"""Stories and sources saved in the admin go through their services."""

import pytest

from claims.models import StatusCount, Story
from sources.models import Source

pytestmark = pytest.mark.django_db


def test_a_story_added_in_the_admin_is_created_by_the_story_service(client, superuser):
    client.force_login(superuser)

    response = client.post(
        "/admin/claims/story/add/",
        {"title": "Flight PS752", "slug": "ps752", "description": "", "is_public": "on"},
    )

    assert response.status_code == 302
    story = Story.objects.get(slug="ps752")
    assert story.is_public
    # Only the service opens a story's status counts, one per status.
    assert StatusCount.objects.filter(story=story).count() == len(story.claims.model.Status)


def test_a_story_changed_in_the_admin_keeps_its_address(client, superuser, story):
    client.force_login(superuser)
    address = story.slug

    response = client.post(
        f"/admin/claims/story/{story.pk}/change/",
        {"title": "PS752: the investigation", "slug": "moved", "description": "Updated."},
    )

    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.title, story.slug, story.description) == (
        "PS752: the investigation",
        address,
        "Updated.",
    )
    assert not story.is_public


def test_a_moderator_cannot_change_a_story_in_the_admin(client, moderator, story):
    client.force_login(moderator)

    response = client.post(
        f"/admin/claims/story/{story.pk}/change/", {"title": "Renamed", "description": ""}
    )

    assert response.status_code == 403
    assert Story.objects.get(pk=story.pk).title == story.title


def test_a_source_renamed_in_the_admin_is_saved_by_the_sources_service(client, moderator):
    source = Source.objects.create(name="Foreign minister", kind="person")
    client.force_login(moderator)

    response = client.post(
        f"/admin/sources/source/{source.pk}/change/",
        {
            "name": "  François-Philippe Champagne ",
            "kind": "person",
            "description": "",
            "homepage": "",
        },
    )

    assert response.status_code == 302
    assert Source.objects.get(pk=source.pk).name == "François-Philippe Champagne"


def test_a_source_cannot_take_another_sources_name_in_any_case(client, moderator):
    Source.objects.create(name="Reuters", kind="agency")
    other = Source.objects.create(name="AP", kind="agency")
    client.force_login(moderator)

    response = client.post(
        f"/admin/sources/source/{other.pk}/change/",
        {"name": "reuters", "kind": "agency", "description": "", "homepage": ""},
    )

    assert response.status_code == 200
    assert "A source named “reuters” already exists." in response.text
    assert Source.objects.get(pk=other.pk).name == "AP"


def test_a_homepage_the_sources_service_refuses_is_a_form_error_not_a_crash(client, moderator):
    source = Source.objects.create(name="Tasnim", kind="agency")
    client.force_login(moderator)

    response = client.post(
        f"/admin/sources/source/{source.pk}/change/",
        {
            "name": "Tasnim",
            "kind": "agency",
            "description": "",
            "homepage": "ftp://tasnim.example/",
        },
    )

    assert response.status_code == 200
    assert "Enter a valid http:// or https:// link." in response.text
    assert Source.objects.get(pk=source.pk).homepage == ""


def test_a_new_story_whose_address_is_taken_in_another_case_is_a_form_error(
    client, superuser, story
):
    client.force_login(superuser)

    response = client.post(
        "/admin/claims/story/add/",
        {"title": "Another PS752", "slug": story.slug.upper(), "description": ""},
    )

    assert response.status_code == 200
    assert f"A story at /{story.slug}/ already exists." in response.text
    assert Story.objects.count() == 1


def test_renaming_a_source_shows_in_the_history_of_the_claims_it_made(
    client, moderator, editor, story
):
    from claims import services
    from tests.support.factories import ClaimFactory

    source = Source.objects.create(name="Foreign minister", kind="person")
    claim = ClaimFactory(story=story, actor=editor)
    services.attribution_add(claim=claim, source=source, actor=editor, quote="57")
    client.force_login(moderator)

    client.post(
        f"/admin/sources/source/{source.pk}/change/",
        {
            "name": "François-Philippe Champagne",
            "kind": "person",
            "description": "",
            "homepage": "",
        },
    )

    history = source.revisions.order_by("number").last()
    assert (history.before, history.after, history.actor) == (
        {"name": "Foreign minister"},
        {"name": "François-Philippe Champagne"},
        moderator,
    )
    client.force_login(editor)
    page = client.get(f"/claims/{claim.pk}/").text
    assert (
        "Source renamed</strong> from “Foreign minister” to “François-Philippe Champagne”" in page
    )

"""Starting a story from the desk and running it from its settings page: renaming,
describing, its time zone, public or private, closed or open; each change is a story
revision, a stale form is refused, and reporters and moderators are turned away."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Story, StoryRevision
from tests.support.factories import ClaimFactory, StoryFactory

pytestmark = pytest.mark.django_db

NEW = {
    "title": "Ukrainian airliner PS752 downed near Tehran",
    "slug": "",
    "description": "Flight PS752 crashed after take-off from Tehran.",
    "time_zone": "Asia/Tehran",
    "is_public": "on",
}


def settings_form(story, **changes) -> dict:
    return {
        "title": story.title,
        "description": story.description,
        "time_zone": story.time_zone,
        "version": story.version,
        **changes,
    }


def test_an_editor_starts_a_story_with_its_time_zone_and_public_switch(client, editor):
    client.force_login(editor)

    page = client.get(reverse("story_new"))
    response = client.post(reverse("story_new"), NEW)

    html = page.content.decode()
    assert 'name="time_zone"' in html and 'value="UTC"' in html
    assert '<option value="Asia/Tehran">' in html
    story = Story.objects.get(title=NEW["title"])
    assert response.status_code == 302 and response["Location"] == f"/stories/{story.slug}/"
    assert story.slug == "ukrainian-airliner-ps752-downed-near-tehran"
    assert (story.time_zone, story.is_public, story.version) == ("Asia/Tehran", True, 1)
    revision = StoryRevision.objects.get(story=story)
    assert (revision.number, revision.kind, revision.actor) == (1, "created", editor)
    assert revision.after["time_zone"] == "Asia/Tehran" and revision.after["is_public"] is True
    assert story.status_counts.count() == 8
    followed = client.get(response["Location"]).content.decode()
    assert "Story started." in followed and "Story settings" in followed


def test_a_new_story_with_an_unknown_zone_or_a_taken_address_is_refused(client, editor, story):
    client.force_login(editor)

    bad_zone = client.post(reverse("story_new"), NEW | {"time_zone": "Mars/Olympus_Mons"})
    taken = client.post(reverse("story_new"), NEW | {"slug": story.slug})
    reserved = client.post(reverse("story_new"), NEW | {"slug": "new"})

    assert bad_zone.status_code == taken.status_code == reserved.status_code == 422
    assert "Mars/Olympus_Mons is not a time zone name" in bad_zone.content.decode()
    assert f"A story at /{story.slug}/ already exists." in taken.content.decode()
    assert "/new/ is taken by the desk" in reserved.content.decode()
    assert 'value="Mars/Olympus_Mons"' in bad_zone.content.decode()  # input kept
    assert Story.objects.count() == 1


@pytest.mark.parametrize("role", ["reporter", "moderator"])
def test_reporters_and_moderators_cannot_start_or_change_stories(client, role, request, story):
    client.force_login(request.getfixturevalue(role))
    settings_url = reverse("story_settings", args=[story.slug])

    refusals = [
        client.get(reverse("story_new")),
        client.post(reverse("story_new"), NEW),
        client.get(settings_url),
        client.post(settings_url, settings_form(story, title="Hijacked")),
        client.post(reverse("story_public", args=[story.slug]), {"is_public": "0"}),
        client.post(reverse("story_close", args=[story.slug]), {"closed": "1", "version": 1}),
    ]
    queue = client.get(reverse("review_queue")).content.decode()
    page = client.get(reverse("story_detail", args=[story.slug])).content.decode()

    assert [response.status_code for response in refusals] == [403] * 6
    story.refresh_from_db()
    assert (story.title, story.is_public, story.closed_at, story.version) == (
        story.title,
        True,
        None,
        1,
    )
    assert Story.objects.count() == 1 and StoryRevision.objects.count() == 1
    assert "New story" not in queue and "Story settings" not in page


def test_anonymous_readers_are_sent_to_log_in(client, story):
    response = client.get(reverse("story_settings", args=[story.slug]))

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_settings_rename_describe_and_move_the_story_with_a_revision_each(client, editor, story):
    client.force_login(editor)
    url = reverse("story_settings", args=[story.slug])

    response = client.post(
        url,
        settings_form(
            story, title="PS752: the downing", description="Shot down.", time_zone="Asia/Tehran"
        ),
    )
    page = client.get(url).content.decode()

    assert response.status_code == 302 and response["Location"] == url
    story.refresh_from_db()
    assert (story.title, story.description, story.time_zone) == (
        "PS752: the downing",
        "Shot down.",
        "Asia/Tehran",
    )
    assert story.version == 3
    edited, moved = StoryRevision.objects.filter(story=story, number__gt=1).order_by("number")
    assert (edited.kind, edited.actor, moved.kind) == ("edited", editor, "time_zone")
    assert edited.after == {"title": "PS752: the downing", "description": "Shot down."}
    assert moved.before == {"time_zone": "UTC"} and moved.after == {"time_zone": "Asia/Tehran"}
    assert "Story settings saved." in page
    assert "Time zone changed" in page and "UTC → Asia/Tehran" in page
    assert "title “" in page and "” → “PS752: the downing”" in page


def test_saving_unchanged_settings_writes_nothing(client, editor, story):
    client.force_login(editor)

    client.post(reverse("story_settings", args=[story.slug]), settings_form(story))

    story.refresh_from_db()
    assert story.version == 1 and StoryRevision.objects.filter(story=story).count() == 1


def test_a_stale_settings_form_is_refused_and_keeps_what_was_typed(client, editor, story):
    services.story_update(
        story=story,
        actor=editor,
        title="Renamed by a colleague",
        description="",
        expected_version=1,
    )
    client.force_login(editor)

    response = client.post(
        reverse("story_settings", args=[story.slug]),
        settings_form(story, title="My own title", version=1),
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "This story changed while you were working on it." in html
    assert "You started from version 1; it is now at version 2." in html
    assert "<strong>eddie</strong> renamed or described" in html
    assert 'value="My own title"' in html and 'name="version" value="2"' in html
    story.refresh_from_db()
    assert story.title == "Renamed by a colleague" and story.version == 2


def test_settings_make_the_story_private_and_public_again(client, editor, story):
    client.force_login(editor)
    public_url = reverse("story_public", args=[story.slug])

    private = client.post(public_url, {"is_public": "0", "version": 1})
    page = client.get(reverse("story_settings", args=[story.slug])).content.decode()
    client.post(public_url, {"is_public": "1", "version": 2})

    assert private["Location"] == reverse("story_settings", args=[story.slug])
    assert "not public yet" in page and "Make public" in page
    kinds = list(StoryRevision.objects.filter(story=story).values_list("kind", flat=True))
    assert kinds == ["created", "unpublished", "published"]
    story.refresh_from_db()
    assert story.is_public and story.version == 3


def test_a_stale_public_switch_is_refused(client, editor, story):
    services.story_set_public(story=story, is_public=False, actor=editor)
    client.force_login(editor)

    response = client.post(
        reverse("story_public", args=[story.slug]), {"is_public": "1", "version": 1}
    )

    assert response.status_code == 409
    assert "it is now at version 2" in response.content.decode()
    story.refresh_from_db()
    assert not story.is_public


def test_the_story_page_button_still_publishes_without_a_version(client, editor):
    story = StoryFactory(actor=editor, is_public=False)
    client.force_login(editor)

    response = client.post(reverse("story_public", args=[story.slug]), {"is_public": "1"})

    assert response["Location"] == story.get_absolute_url()
    story.refresh_from_db()
    assert story.is_public


def test_closing_a_story_stops_new_claims_and_reopening_restores_them(
    client, editor, reporter, story
):
    client.force_login(editor)
    close_url = reverse("story_close", args=[story.slug])

    closed = client.post(close_url, {"closed": "1", "version": 1})
    settings_page = client.get(reverse("story_settings", args=[story.slug])).content.decode()
    client.force_login(reporter)
    story_page = client.get(story.get_absolute_url()).content.decode()
    new_claim = client.get(reverse("claim_new", args=[story.slug]))
    posted = client.post(reverse("claim_new", args=[story.slug]), {"text": "Iran denies it."})
    client.force_login(editor)
    client.post(close_url, {"closed": "0", "version": 2})

    assert closed["Location"] == reverse("story_settings", args=[story.slug])
    assert "Story closed" in settings_page and "Reopen the story" in settings_page
    assert "This story takes no new claims" in story_page and "New claim</a>" not in story_page
    assert new_claim.status_code == 302
    assert posted.status_code == 422
    assert "This story is closed: reopen it to add claims." in posted.content.decode()
    assert not story.claims.exists()
    kinds = list(StoryRevision.objects.filter(story=story).values_list("kind", flat=True))
    assert kinds == ["created", "closed", "reopened"]
    story.refresh_from_db()
    assert story.closed_at is None and story.version == 3
    ClaimFactory(story=story, actor=reporter)  # open again


def test_a_stale_close_is_refused(client, editor, story):
    services.story_update(story=story, actor=editor, title="Renamed", description="")
    client.force_login(editor)

    response = client.post(reverse("story_close", args=[story.slug]), {"closed": "1", "version": 1})

    assert response.status_code == 409
    story.refresh_from_db()
    assert story.closed_at is None


def test_the_desk_links_stories_and_claims_to_their_public_pages_and_feeds(
    client, editor, reporter
):
    public = StoryFactory(actor=editor, title="Public story")
    private = StoryFactory(actor=editor, title="Embargoed story", is_public=False)
    shown = ClaimFactory(story=public, actor=reporter, text="Canada says 63 died.")
    unseen = ClaimFactory(story=private, actor=reporter, text="Iran plans to keep the box.")
    client.force_login(reporter)

    public_page = client.get(public.get_absolute_url()).content.decode()
    private_page = client.get(private.get_absolute_url()).content.decode()
    shown_page = client.get(shown.get_absolute_url()).content.decode()
    unseen_page = client.get(unseen.get_absolute_url()).content.decode()
    queue = client.get(reverse("review_queue"), {"story": public.slug}).content.decode()

    assert f'href="/s/{public.slug}/">Public page</a>' in public_page
    assert f'href="/stories/{public.slug}/feed.rss">RSS</a>' in public_page
    assert f'href="/stories/{public.slug}/feed.json">JSON Feed</a>' in public_page
    assert "not public yet" in private_page and f"/s/{private.slug}/" not in private_page
    assert f'href="{shown.get_public_url()}">Public page</a>' in shown_page
    assert f'href="/claims/{shown.pk}/feed.atom">Atom</a>' in shown_page
    assert "not public yet (the story is on the desk only)" in unseen_page
    assert f'href="/s/{public.slug}/">Public page</a>' in queue


def test_the_story_page_shows_who_holds_what(client, editor, reporter, story):
    held = [ClaimFactory(story=story, actor=reporter, text=f"Claim {n} held.") for n in range(3)]
    ClaimFactory(story=story, actor=reporter, text="Nobody holds this one.")
    for claim in held[:2]:
        services.claim_assign(claim=claim, assignee=reporter, actor=reporter)
    services.claim_assign(claim=held[2], assignee=editor, actor=editor)
    client.force_login(editor)

    html = client.get(story.get_absolute_url()).content.decode()

    section = html.split('id="holders-heading"')[1].split("</section>")[0]
    rita, eddie = section.split("<h3>")[1:]
    assert rita.startswith('rita <span class="muted">· 2 claims</span>')
    assert "Claim 0 held." in rita and "Claim 1 held." in rita
    assert eddie.startswith('eddie <span class="muted">· 1 claim</span>')
    assert "Claim 2 held." in eddie and "Nobody holds this one." not in section


def test_who_holds_what_lists_a_few_and_links_to_the_rest(client, editor, reporter, story):
    for n in range(10):
        claim = ClaimFactory(story=story, actor=reporter, text=f"Held claim {n}.")
        services.claim_assign(claim=claim, assignee=reporter, actor=reporter)
    client.force_login(editor)

    html = client.get(story.get_absolute_url()).content.decode()

    section = html.split('id="holders-heading"')[1].split("</section>")[0]
    assert section.count('<li><span class="badge') == 8
    assert f"?story={story.slug}&amp;assignee={reporter.pk}" in section
    assert "2 more in the queue" in section


@pytest.mark.parametrize("rows", [1, 20])
def test_new_story_and_settings_pages_run_a_fixed_number_of_queries(
    client, editor, story, rows, django_assert_max_num_queries
):
    for n in range(rows):
        services.story_update(story=story, actor=editor, title=f"Title {n}", description="")
    client.force_login(editor)
    client.get(reverse("story_new"))  # the session and permissions are read once per request

    # Session, user, two permission lookups; the settings page adds the story and its history.
    with django_assert_max_num_queries(4):
        new = client.get(reverse("story_new"))
    with django_assert_max_num_queries(6):
        settings = client.get(reverse("story_settings", args=[story.slug]))

    assert new.status_code == settings.status_code == 200
    assert settings.content.decode().count("<strong>Renamed or described</strong>") == rows


def test_a_close_form_that_is_neither_button_is_refused(client, editor, story):
    client.force_login(editor)

    response = client.post(reverse("story_close", args=[story.slug]), {"closed": "yes"})

    assert response.status_code == 400
    story.refresh_from_db()
    assert story.closed_at is None and story.version == 1

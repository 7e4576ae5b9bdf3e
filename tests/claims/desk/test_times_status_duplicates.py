"""Time fields in the story's zone, the status form of a superseded claim, and the new-claim
page's duplicate check without JavaScript."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.models import Attribution, Claim
from claims.services.ruled import status_moves
from tests.support.factories import ClaimFactory, FigureFactory, StoryFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def tehran_story(editor):
    return StoryFactory(actor=editor, title="PS752", time_zone="Asia/Tehran")


@pytest.fixture
def claim(tehran_story, reporter):
    return ClaimFactory(story=tehran_story, actor=reporter, text="PS752 was hit by a missile.")


def attribute(client, claim, when: str):
    return client.post(
        reverse("claim_attribution_add", args=[claim.pk]),
        {"source": "Hassan Rouhani", "said_at": when, "version": claim.version},
        **HTMX,
    )


def test_every_time_field_names_the_story_zone(client, editor, claim, tehran_story, reporter):
    figure = FigureFactory(story=tehran_story, actor=reporter, subject="Victims", unit="people")
    client.force_login(editor)

    claim_page = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    figure_page = client.get(figure.get_absolute_url()).content.decode()

    assert "In Asia/Tehran (UTC+03:30); a date alone is that day." in claim_page
    assert "In Asia/Tehran (UTC+03:30); a date alone is that day." in figure_page
    assert 'type="datetime-local"' not in claim_page + figure_page


def test_a_time_typed_is_read_in_the_story_zone_and_a_local_now_is_not_the_future(
    client, editor, claim
):
    client.force_login(editor)
    tehran_now = timezone.localtime(timezone.now(), timezone.get_fixed_timezone(210))

    response = attribute(client, claim, tehran_now.strftime("%Y-%m-%d %H:%M"))

    assert response.status_code == 200, response.content.decode()
    said = Attribution.objects.get(claim=claim).said_at
    assert abs(said - timezone.now()) < timedelta(minutes=2)


def test_a_date_alone_is_the_start_of_that_day_in_the_story_zone(client, editor, claim):
    client.force_login(editor)

    response = attribute(client, claim, "2020-01-08")

    assert response.status_code == 200
    # Midnight in Tehran is 20:30 the evening before in UTC.
    assert Attribution.objects.get(claim=claim).said_at == datetime(2020, 1, 7, 20, 30, tzinfo=UTC)


def test_a_time_that_is_no_date_is_refused_in_the_form(client, editor, claim):
    client.force_login(editor)

    response = attribute(client, claim, "yesterday-ish")

    assert response.status_code == 422
    assert "Give a date (2020-01-08) or a date and time (2020-01-08 14:30)." in (
        response.content.decode()
    )
    assert not Attribution.objects.filter(claim=claim).exists()


def test_a_superseded_claim_shows_its_status_and_offers_no_move(client, editor, claim, reporter):
    newer = ClaimFactory(story=claim.story, actor=reporter, text="PS752 was hit by two missiles.")
    services.claim_supersede(claim=claim, by=newer, actor=editor, expected_version=claim.version)
    client.force_login(editor)

    html = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()

    status_form = html[html.index('id="form-status"') :]
    status_form = status_form[: status_form.index("</form>")]
    assert '<option value="superseded" selected>Superseded</option>' in status_form
    assert status_form.count("<option") == 1
    assert "rule on the claim that replaced it" in status_form
    assert "Change status" not in status_form


def test_an_open_claim_offers_its_status_and_only_the_moves_from_it(client, editor, claim):
    services.claim_set_status(
        claim=claim, status="in_review", rationale="", actor=editor, expected_version=claim.version
    )
    claim.refresh_from_db()
    client.force_login(editor)

    html = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()

    status_form = html[html.index('id="form-status"') :]
    status_form = status_form[: status_form.index("</form>")]
    assert '<option value="in_review" selected>In review</option>' in status_form
    assert '<option value="unverified">' in status_form  # reopened only from review
    assert '<option value="superseded"' not in status_form
    assert status_moves("confirmed") == [
        s for s in Claim.Status.values if s not in ("confirmed", "superseded", "unverified")
    ]


def test_check_for_duplicates_without_javascript_lists_them_and_keeps_the_input(
    client, editor, claim, tehran_story
):
    client.force_login(editor)
    url = reverse("claim_new", args=[tehran_story.slug])
    assert "Check for duplicates" in client.get(url).content.decode()

    response = client.post(
        url, {"text": "A missile hit PS752", "note": "From the wires", "check_duplicates": "1"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f"#{claim.pk}: PS752 was hit by a missile." in html
    assert ">A missile hit PS752</textarea>" in html
    assert 'value="From the wires"' in html
    assert Claim.objects.count() == 1

"""The source page: what a source claimed and how those claims were ruled."""

import pytest
from django.urls import reverse

from claims import services
from tests.support.factories import ClaimFactory, EvidenceFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trudeau(db):
    return SourceFactory(name="Justin Trudeau")


def attribute(claim, source, actor, quote=""):
    services.attribution_add(claim=claim, source=source, actor=actor, quote=quote)


def test_source_page_lists_its_claims_and_their_rulings(client, editor, reporter, story, trudeau):
    missile = ClaimFactory(story=story, actor=reporter, text="A missile likely downed PS752.")
    attribute(missile, trudeau, reporter, quote="likely brought down by an Iranian missile")
    EvidenceFactory(claim=missile, actor=reporter)
    missile.refresh_from_db()
    services.claim_set_status(
        claim=missile,
        status="unproven",
        rationale="No data yet.",
        actor=editor,
        expected_version=missile.version,
    )
    ClaimFactory(story=story, actor=reporter, text="Someone else's claim.")
    client.force_login(reporter)

    response = client.get(reverse("source_detail", args=[trudeau.pk]))

    html = response.content.decode()
    assert "A missile likely downed PS752." in html
    assert "“likely brought down by an Iranian missile”" in html
    assert 'class="badge unproven">Unproven <span class="count">1</span>' in html
    assert "Someone else" not in html


def test_hidden_claims_are_left_off_the_source_page(client, editor, reporter, story, trudeau):
    claim = ClaimFactory(story=story, actor=reporter, text="An abusive claim.")
    attribute(claim, trudeau, reporter)
    services.claim_hide(claim=claim, actor=editor)
    client.force_login(reporter)

    html = client.get(reverse("source_detail", args=[trudeau.pk])).content.decode()

    assert "An abusive claim." not in html


def test_unknown_source_is_404_and_anonymous_goes_to_login(client, reporter):
    anonymous = client.get(reverse("source_detail", args=[1]))
    client.force_login(reporter)

    assert anonymous.status_code == 302
    assert client.get(reverse("source_detail", args=[987654])).status_code == 404


@pytest.mark.parametrize("rows", [5, 50])
def test_source_page_runs_a_constant_number_of_queries(
    client, editor, reporter, story, trudeau, rows, django_assert_max_num_queries
):
    for n in range(rows):
        attribute(ClaimFactory(story=story, actor=reporter), trudeau, reporter, quote=f"q{n}")
    client.force_login(editor)

    with django_assert_max_num_queries(7):
        response = client.get(reverse("source_detail", args=[trudeau.pk]))

    assert response.content.decode().count("<blockquote>") == rows

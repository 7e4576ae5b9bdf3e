import json
from datetime import UTC, datetime
from io import StringIO

import extruct
import pytest
from django.core.management import CommandError, call_command

from claims import services
from claims.public.jsonld import dumps_for_script
from sources.models import Source
from tests.support.factories import ClaimFactory, SourceFactory, StoryFactory
from tests.support.public import (
    attribute,
    jsonld_blocks,
    rule,
    ruled_claim,
    ruled_report,
    toll_figure,
    toll_pair,
)

pytestmark = pytest.mark.django_db


def claim_reviews(client, claim) -> list[dict]:
    response = client.get(claim.get_public_url())
    assert response.status_code == 200
    html = response.content.decode()
    found = extruct.extract(html, base_url="http://127.0.0.1:8000/", syntaxes=["json-ld"])
    reviews = [d for d in found["json-ld"] if d.get("@type") == "ClaimReview"]
    assert [b for b in jsonld_blocks(html) if b["@type"] == "ClaimReview"] == reviews
    return reviews


@pytest.mark.parametrize(
    ("status", "rating", "name"),
    [
        ("confirmed", 5, "Confirmed"),
        ("false", 1, "False"),
        ("misleading", 2, "Misleading"),
        ("unproven", 3, "Unproven"),
        ("disputed", 3, "Disputed"),
    ],
)
def test_claim_with_a_verdict_carries_exactly_one_claim_review(
    client, story, editor, status, rating, name
):
    claim = ruled_claim(story, editor, status=status, text="Iran fired two missiles.")

    (review,) = claim_reviews(client, claim)

    assert review["@context"] == "https://schema.org"
    assert review["claimReviewed"] == "Iran fired two missiles."
    assert review["url"] == f"http://127.0.0.1:8000{claim.get_public_url()}"
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": rating,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": name,
    }
    assert review["author"] == {
        "@type": "Organization",
        "name": "Claimdesk Newsroom",
        "url": "https://claimdesk.example",
    }
    assert review["reviewBody"] == f"Ruled {status} on the record."
    assert datetime.fromisoformat(review["datePublished"]) <= datetime.fromisoformat(
        review["dateModified"]
    )


@pytest.mark.parametrize("status", ["unverified", "in_review"])
def test_claim_without_a_verdict_carries_no_claim_review(client, story, editor, status):
    claim = ClaimFactory(story=story, actor=editor)
    if status == "in_review":
        rule(claim, "in_review", editor)

    assert claim_reviews(client, claim) == []


def test_superseded_claim_carries_none_and_its_replacement_carries_one(client, story, editor):
    old, new = toll_pair(story, editor)

    assert claim_reviews(client, old) == []
    assert len(claim_reviews(client, new)) == 1


def test_item_reviewed_names_who_said_it_where_and_when(client, story, editor):
    claim = ClaimFactory(story=story, actor=editor, text="PS752 was hit by a missile.")
    attribute(
        claim,
        editor,
        source=SourceFactory(name="Reuters", kind=Source.Kind.AGENCY),
        url="https://www.reuters.com/world/ps752-later",
        said_at=datetime(2020, 1, 9, 18, tzinfo=UTC),
    )
    attribute(
        claim,
        editor,
        source=SourceFactory(name="Justin Trudeau", kind=Source.Kind.PERSON),
        url="https://pm.gc.ca/ps752-first",
        said_at=datetime(2020, 1, 9, 17, tzinfo=UTC),
    )
    rule(claim, "unproven", editor)

    (review,) = claim_reviews(client, claim)

    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "Justin Trudeau"}
    assert item["datePublished"] == "2020-01-09T17:00:00+00:00"
    assert item["firstAppearance"] == {
        "@type": "CreativeWork",
        "url": "https://pm.gc.ca/ps752-first",
    }
    assert [a["url"] for a in item["appearance"]] == [
        "https://pm.gc.ca/ps752-first",
        "https://www.reuters.com/world/ps752-later",
    ]


def test_organisation_source_is_an_organization_author(client, story, editor):
    claim = ClaimFactory(story=story, actor=editor)
    attribute(claim, editor, source=SourceFactory(name="Government of Canada", kind="government"))
    rule(claim, "confirmed", editor)

    (review,) = claim_reviews(client, claim)

    assert review["itemReviewed"]["author"]["@type"] == "Organization"


def test_script_end_tag_in_claim_text_cannot_break_out_of_the_json_ld(client, story, editor):
    text = 'Says </script><script>alert("x")</script><!-- & \u2028 done'
    claim = ruled_claim(story, editor, text=text)

    html = client.get(claim.get_public_url()).content.decode()
    (review,) = claim_reviews(client, claim)

    assert review["claimReviewed"] == text
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block)["claimReviewed"] == text
    assert '<script>alert("x")' not in html


def test_dumps_for_script_escapes_markup_characters():
    text = dumps_for_script({"a": "</script> <!-- x & y >"})

    assert text == '{"a":"\\u003c/script\\u003e \\u003c!-- x \\u0026 y \\u003e"}'
    assert json.loads(text) == {"a": "</script> <!-- x & y >"}


# Export -----------------------------------------------------------------------------------


def test_export_writes_the_storys_claim_reviews_as_a_json_array(story, editor, moderator):
    confirmed = ruled_claim(story, editor, text="Ruled true.")
    ruled_claim(story, editor, text="Ruled false.", status="false")
    ClaimFactory(story=story, actor=editor, text="Not ruled yet.")
    hidden = ruled_claim(story, editor, text="Ruled then hidden.")
    services.claim_hide(claim=hidden, actor=moderator)
    services.note_add(claim=confirmed, body="INTERNAL note", actor=editor)
    out = StringIO()

    call_command("export_claimreview", story=story.slug, stdout=out)

    reviews = json.loads(out.getvalue())
    assert [r["claimReviewed"] for r in reviews] == ["Ruled true.", "Ruled false."]
    assert {r["@type"] for r in reviews} == {"ClaimReview"}
    assert "INTERNAL" not in out.getvalue()
    assert editor.username not in out.getvalue()


def test_export_matches_the_pages_claim_review(client, story, editor):
    claim = ruled_claim(story, editor, text="Same review everywhere.")
    out = StringIO()

    call_command("export_claimreview", story=story.slug, stdout=out)

    assert json.loads(out.getvalue()) == claim_reviews(client, claim)


def test_export_of_a_private_or_missing_story_fails_clearly(editor, tmp_path):
    private = StoryFactory(actor=editor, is_public=False)

    for slug in (private.slug, "no-such-story"):
        with pytest.raises(CommandError, match="No public story"):
            call_command("export_claimreview", story=slug, output=str(tmp_path / "x.json"))
    assert not (tmp_path / "x.json").exists()


def test_export_to_a_file(story, editor, tmp_path):
    ruled_claim(story, editor, text="Written to a file.")
    target = tmp_path / "reviews.json"

    call_command("export_claimreview", story=story.slug, output=str(target), stderr=StringIO())

    assert json.loads(target.read_text())[0]["claimReviewed"] == "Written to a file."


def test_a_report_of_a_figure_is_reviewed_by_its_text(client, story, editor):
    figure = toll_figure(story, editor)
    report = ruled_report(figure, editor, value=57, text="Champagne says 57 Canadians died.")

    (review,) = claim_reviews(client, report)

    assert review["claimReviewed"] == "Champagne says 57 Canadians died."
    assert review["reviewRating"]["alternateName"] == "Confirmed"
    assert review["itemReviewed"]["author"]["name"] == report.attributions.get().source.name

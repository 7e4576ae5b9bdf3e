"""Invariant 7: a published ruling always rates the words it was given on.

Hypothesis plays random sequences of edits, value typo fixes, rulings, evidence, attributions,
hides and unhides by random roles on one public claim that reports a figure's value. After
every step, when the public page carries a ClaimReview, its rating is the claim's latest
verdict, every change of the claim's words since that verdict was an editor's minor edit that
kept it, the value is the one ruled on, and the review names those words.
"""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from claims import services
from claims.models import VERDICTS, Claim, Figure, Revision
from tests.hardening.hostile import hostile_settings
from tests.support.factories import ClaimFactory, FigureFactory, SourceFactory, UserFactory
from tests.support.public import jsonld_blocks

pytestmark = pytest.mark.django_db

ROLES = ["reporter", "editor", "moderator"]
WORDS = [
    "63 Canadians died.",
    "63 Canadians died",
    "63 Canadians have died.",
    "57 Canadians died.",
    "Nobody died on flight PS752.",
    "",
]
WORD_CHANGES = {Revision.Kind.EDITED, Revision.Kind.MINOR_EDIT, Revision.Kind.VALUE_FIXED}
steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("edit"),
            st.sampled_from(ROLES),
            st.sampled_from(WORDS),
            st.booleans(),
            st.booleans(),
        ),
        st.tuples(
            st.just("figure"), st.sampled_from(ROLES), st.sampled_from([63, 57]), st.booleans()
        ),
        st.tuples(
            st.just("rule"), st.sampled_from(ROLES), st.sampled_from([*VERDICTS, "in_review"])
        ),
        st.tuples(st.just("evidence"), st.sampled_from(ROLES)),
        st.tuples(st.just("attribute"), st.sampled_from(ROLES)),
        st.tuples(st.just("hide"), st.sampled_from(["moderator", "editor"]), st.booleans()),
    ),
    min_size=1,
    max_size=8,
)


@pytest.fixture
def people(db) -> dict:
    return {
        "reporter": UserFactory(username="rhea", role="reporter"),
        "editor": UserFactory(username="ed", role="editor"),
        "moderator": UserFactory(username="mo", role="moderator"),
    }


def act(claim: Claim, step: tuple, people: dict) -> None:
    claim = Claim.objects.get(pk=claim.pk)
    kind, role, *rest = step
    actor, version = people[role], claim.version
    if kind == "edit":
        text, minor, mismatch = rest
        services.claim_edit(
            claim=claim,
            actor=actor,
            expected_version=version,
            text=text,
            note="Because." if text else "",
            keep_ruling=minor,
            confirm_mismatch=mismatch,
        )
    elif kind == "figure":
        value, minor = rest
        services.claim_edit(
            claim=claim,
            actor=actor,
            expected_version=version,
            value=value,
            note="Typo in the count.",
            keep_ruling=minor,
            confirm_mismatch=True,
        )
    elif kind == "rule":
        services.claim_set_status(
            claim=claim,
            status=rest[0],
            rationale="On the record.",
            actor=actor,
            expected_version=version,
        )
    elif kind == "evidence":
        services.evidence_add(
            claim=claim, url="https://news.example/list", stance="supports", actor=actor,
            capture=False, expected_version=version,
        )  # fmt: skip
    elif kind == "attribute":
        services.attribution_add(
            claim=claim, source=SourceFactory(name="Global Affairs Canada"), actor=actor,
            quote="57", expected_version=version,
        )  # fmt: skip
    elif rest[0]:
        services.claim_hide(claim=claim, actor=actor, expected_version=version)
    else:
        services.claim_unhide(claim=claim, actor=actor, expected_version=version)


def review_on_the_public_page(claim: Claim) -> dict | None:
    page = Client().get(claim.get_public_url(), follow=True)
    if page.status_code == 404:
        return None
    reviews = [b for b in jsonld_blocks(page.text) if b.get("@type") == "ClaimReview"]
    return reviews[0] if reviews else None


def words_at(revisions: list[Revision], number: int) -> dict:
    """The claim's text and reported value as they stood at revision ``number``."""
    words = {"text": "", "value": None}
    for revision in revisions:
        if revision.number > number:
            break
        for field in words:
            if field in revision.after and revision.kind in {"created", *WORD_CHANGES}:
                words[field] = revision.after[field]
    return words


def assert_the_rating_rates_these_words(claim: Claim) -> None:
    claim = Claim.objects.get(pk=claim.pk)
    review = review_on_the_public_page(claim)
    if review is None:
        return
    revisions = list(claim.revisions.order_by("number"))
    verdict = [r for r in revisions if r.kind == "status" and r.after["status"] in VERDICTS][-1]
    since = [r for r in revisions if r.number > verdict.number]
    assert claim.status == verdict.after["status"]
    assert all(r.kind == Revision.Kind.MINOR_EDIT for r in since if r.kind in WORD_CHANGES)
    # What was ruled on, replayed from the history: a minor edit left its numbers alone.
    ruled_words = words_at(revisions, verdict.number)
    assert re.findall(r"\d+", claim.text) == re.findall(r"\d+", ruled_words["text"])
    assert claim.value == ruled_words["value"]
    assert review["claimReviewed"] == claim.text
    assert review["reviewRating"]["alternateName"] == Claim.Status(claim.status).label


@hostile_settings
@given(sequence=steps)
def test_no_sequence_of_actions_pairs_new_words_with_an_old_rating(people, story, sequence):
    victims = FigureFactory(story=story, subject=f"Canadian victims {Figure.objects.count()}")
    claim = ClaimFactory(
        story=story, actor=people["reporter"], text="63 Canadians died.", figure=victims, value=63
    )

    for step in sequence:
        try:
            act(claim, step, people)
        except (ValidationError, PermissionDenied, services.ConflictError):
            pass
        assert_the_rating_rates_these_words(claim)

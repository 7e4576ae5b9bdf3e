"""Acting on many claims of the queue at once: each claim through its own service call,
with its own revision and version check, and every refusal listed by claim."""

import pytest
from django.test import Client
from django.urls import reverse

from claims import services
from claims.models import Claim, Revision
from tests.support.factories import ClaimFactory, EvidenceFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
BULK = reverse("queue_bulk")
QUEUE = reverse("review_queue")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows(*claims) -> list[str]:
    """The ticked rows as the queue posts them: each claim with the version its row showed."""
    return [f"{claim.pk}:{claim.version}" for claim in claims]


def fresh(claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


@pytest.fixture
def three(story, reporter):
    """Three open claims; the first two have evidence, the third has none."""
    claims = [ClaimFactory(story=story, actor=reporter) for _ in range(3)]
    for claim in claims[:2]:
        EvidenceFactory(claim=claim, actor=reporter)
    return [fresh(claim) for claim in claims]


def test_the_queue_offers_editors_checkboxes_carrying_each_rows_version(editor, three):
    page = logged_in(editor).get(QUEUE).text

    assert 'id="bulk-form"' in page and 'action="/review/bulk/"' in page
    for claim in three:
        assert (
            f'<input type="checkbox" form="bulk-form" name="claims" value="{claim.pk}:'
            f'{claim.version}"'
        ) in page
    assert 'name="action" value="rule"' in page and 'name="action" value="assign"' in page


def test_reporters_and_moderators_get_no_checkboxes(reporter, moderator, three):
    for person in (reporter, moderator):
        page = logged_in(person).get(QUEUE).text
        assert 'id="claim-row-' in page
        assert "bulk-form" not in page and 'type="checkbox" form=' not in page


def test_ruling_three_claims_rules_two_and_lists_the_one_refused(editor, three):
    first, second, bare = three

    response = logged_in(editor).post(
        BULK,
        {
            "claims": rows(*three),
            "action": "rule",
            "ruling": "confirmed",
            "rationale": "The manifest lists them.",
        },
        **HTMX,
    )

    assert response.status_code == 200
    text = response.text
    assert "2 done, 1 refused." in text
    assert f"#{first.pk}</a>: status set to Confirmed." in text
    assert f"#{second.pk}</a>: status set to Confirmed." in text
    assert f"#{bare.pk}</a>: A verdict needs at least one piece of evidence." in text
    for claim in (first, second):
        claim = fresh(claim)
        assert (claim.status, claim.rationale) == ("confirmed", "The manifest lists them.")
        revision = Revision.objects.get(claim=claim, number=claim.version)
        assert revision.kind == Revision.Kind.STATUS and revision.actor == editor
        assert revision.after == {"status": "confirmed", "rationale": "The manifest lists them."}
    assert fresh(bare).status == "unverified"
    assert Revision.objects.filter(claim=bare).count() == 1


def test_a_claim_changed_since_the_queue_was_loaded_is_refused_and_named(editor, three):
    first, second, _ = three
    other = UserFactory(username="olga", role="editor")
    services.claim_set_status(
        claim=second, status="in_review", rationale="", actor=other, expected_version=2
    )

    response = logged_in(editor).post(
        BULK, {"claims": rows(first, second), "action": "review"}, **HTMX
    )

    assert f"#{second.pk}</a>: changed by olga since you loaded the queue." in response.text
    assert f"#{first.pk}</a>: status set to In review." in response.text
    assert fresh(first).status == "in_review"
    assert Revision.objects.filter(claim=second, actor=editor).count() == 0
    # The rows come back as they are now, their checkboxes carrying the new versions.
    assert "<template>" in response.text
    assert f'<tr id="claim-row-{second.pk}" hx-swap-oob="true">' in response.text
    assert f'value="{second.pk}:{fresh(second).version}"' in response.text
    assert f'value="{first.pk}:{fresh(first).version}"' in response.text


def test_moving_to_in_review_keeps_each_claims_rationale(editor, three):
    first = three[0]
    services.claim_set_status(
        claim=first, status="confirmed", rationale="Two sources agree.", actor=editor,
        expected_version=first.version,
    )  # fmt: skip
    first = fresh(first)

    logged_in(editor).post(BULK, {"claims": rows(first), "action": "review"})

    assert (fresh(first).status, fresh(first).rationale) == ("in_review", "Two sources agree.")


def test_assigning_in_bulk_writes_a_revision_per_claim(editor, reporter, three):
    response = logged_in(editor).post(
        BULK, {"claims": rows(*three), "action": "assign", "assignee": reporter.pk}, **HTMX
    )

    assert "3 done." in response.text
    for claim in three:
        assert fresh(claim).assignee == reporter
        revision = Revision.objects.get(claim=claim, number=claim.version + 1)
        assert revision.kind == Revision.Kind.ASSIGNED and revision.after == {"assignee": "rita"}


def test_without_javascript_the_outcome_is_a_page_leading_back_to_the_same_queue(editor, three):
    response = logged_in(editor).post(
        BULK,
        {"claims": rows(three[2]), "action": "rule", "ruling": "false", "rationale": "No.",
         "next": "status=unverified"},
    )  # fmt: skip

    assert response.status_code == 200
    assert "<h1>Selected claims</h1>" in response.text
    assert "0 done, 1 refused." in response.text
    assert 'href="/review/?status=unverified"' in response.text


def test_a_claim_that_does_not_exist_is_refused_by_number(editor, three):
    response = logged_in(editor).post(
        BULK, {"claims": [*rows(three[0]), "999999:1"], "action": "review"}, **HTMX
    )

    assert "#999999</a>: there is no such claim." in response.text
    assert fresh(three[0]).status == "in_review"


def test_reporters_are_refused_bulk_ruling_and_nothing_changes(reporter, moderator, three):
    data = {"claims": rows(*three), "action": "rule", "ruling": "confirmed", "rationale": "Yes."}

    for person in (reporter, moderator):
        assert logged_in(person).post(BULK, data, **HTMX).status_code == 403

    assert [fresh(claim).status for claim in three] == ["unverified"] * 3
    assert Revision.objects.filter(kind=Revision.Kind.STATUS).count() == 0


@pytest.mark.parametrize(
    "data, error",
    [
        ({"action": "review"}, "Select at least one claim."),
        ({"claims": ["12;3"], "action": "review"}, "A selected row was not understood"),
        ({"claims": ["1:1"], "action": "rule"}, "Choose the status to rule the selected claims."),
        ({"claims": ["1:1"], "action": "assign"}, "Choose who should hold the selected claims."),
    ],
)
def test_an_incomplete_form_changes_nothing_and_says_why(editor, three, data, error):
    response = logged_in(editor).post(BULK, data, **HTMX)

    assert response.status_code == 422
    assert "Nothing was changed" in response.text and error in response.text
    assert Revision.objects.count() == 3 + 2  # three created, two with evidence


def _rule(client, claims):
    return client.post(
        BULK,
        {"claims": rows(*claims), "action": "rule", "ruling": "confirmed", "rationale": "Yes."},
        **HTMX,
    )


def test_bulk_ruling_runs_a_fixed_number_of_queries_per_claim(
    editor, story, reporter, django_assert_max_num_queries
):
    claims = [ClaimFactory(story=story, actor=reporter) for _ in range(6)]
    for claim in claims:
        EvidenceFactory(claim=claim, actor=reporter)
    claims = [fresh(claim) for claim in claims]
    client = logged_in(editor)

    # The session, the user, their permissions (two), the claims in one query, the rows
    # rendered again with their attributions (two); then each claim's own transaction:
    # savepoint, lock, save, revision, status counts (two), outbox event, release.
    with django_assert_max_num_queries(FIXED + 2 * PER_CLAIM):
        assert "2 done." in _rule(client, claims[:2]).text
    with django_assert_max_num_queries(FIXED + 4 * PER_CLAIM):
        assert "4 done." in _rule(client, claims[2:]).text


# PER_CLAIM includes the CachePurge row each ruling records (claims.services.purges).
FIXED, PER_CLAIM = 7, 9

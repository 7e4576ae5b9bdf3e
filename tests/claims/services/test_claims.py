from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import services
from claims.models import Claim, Evidence, Note, OutboxEvent, Revision, StatusCount
from tests.support.factories import (
    ClaimFactory,
    EvidenceFactory,
    FigureFactory,
    SourceFactory,
    StoryFactory,
)

pytestmark = pytest.mark.django_db


def counts(story) -> dict[str, int]:
    return dict(StatusCount.objects.filter(story=story, count__gt=0).values_list("status", "count"))


def with_evidence(claim, actor):
    EvidenceFactory(claim=claim, actor=actor)
    claim.refresh_from_db()
    return claim


# Creating ---------------------------------------------------------------------------------


def test_new_claim_starts_unverified_at_version_one_with_created_revision(story, reporter):
    victims = FigureFactory(story=story, subject="Canadian victims", unit="people")

    claim = services.claim_create(
        story=story,
        text="63 Canadians were among the victims of flight PS752.",
        actor=reporter,
        figure=victims,
        value=63,
    )

    claim.refresh_from_db()
    assert claim.status == "unverified"
    assert claim.version == 1
    assert (claim.figure, claim.value, claim.approximation) == (victims, Decimal("63"), "exact")
    revision = Revision.objects.get(claim=claim)
    assert (revision.number, revision.kind, revision.actor) == (1, "created", reporter)
    assert revision.after["value"] == 63
    assert counts(story) == {"unverified": 1}


def test_claim_text_is_stored_trimmed(story, reporter):
    claim = services.claim_create(story=story, text="  All 176 aboard died.  \n", actor=reporter)

    assert Claim.objects.get(pk=claim.pk).text == "All 176 aboard died."


# Editing ----------------------------------------------------------------------------------


def test_value_typo_fix_stores_json_numbers_and_bumps_version(story, reporter, editor):
    victims = FigureFactory(story=story, subject="Canadian victims", unit="people")
    claim = services.claim_create(
        story=story, text="Canadians died on PS752.", actor=reporter, figure=victims,
        value=63, confirm_mismatch=True,
    )  # fmt: skip

    edited = services.claim_edit(
        claim=claim,
        actor=editor,
        expected_version=1,
        value=57,
        confirm_mismatch=True,
        note="Typed 63 for the ministry's 57.",
    )

    assert edited.version == 2
    assert Claim.objects.get(pk=claim.pk).value == Decimal("57")
    revision = Revision.objects.get(claim=claim, number=2)
    assert revision.kind == "value_fixed"
    assert revision.before == {"value": 63}
    assert revision.after == {"value": 57, "mismatch_confirmed": True}
    assert revision.note == "Typed 63 for the ministry's 57."
    assert revision.actor == editor


def test_fractional_values_stay_json_numbers(story, reporter):
    distance = FigureFactory(story=story, subject="Crash site", kind="distance", unit="km")
    claim = services.claim_create(
        story=story, text="The plane fell 49.5 km north.", actor=reporter, figure=distance,
        value="49.5",
    )  # fmt: skip

    services.claim_edit(
        claim=claim, actor=reporter, expected_version=1, value="50.25",
        text="The plane fell 50.25 km north.", note="Map reading corrected.",
    )  # fmt: skip

    revision = Revision.objects.get(claim=claim, number=2)
    assert revision.before["value"] == 49.5
    assert revision.after["value"] == 50.25


def test_text_edit_records_old_and_new_text(story, reporter):
    claim = services.claim_create(story=story, text="The plane crashed.", actor=reporter)

    services.claim_edit(
        claim=claim, actor=reporter, expected_version=1, text="The plane was shot down."
    )

    revision = Revision.objects.get(claim=claim, number=2)
    assert revision.before == {"text": "The plane crashed."}
    assert revision.after == {"text": "The plane was shot down."}
    assert "shot down" in Claim.objects.get(pk=claim.pk).search_document


def test_edit_that_changes_nothing_is_refused(story, reporter):
    claim = services.claim_create(story=story, text="The plane crashed.", actor=reporter)

    with pytest.raises(ValidationError, match="Nothing changed"):
        services.claim_edit(
            claim=claim, actor=reporter, expected_version=1, text="The plane crashed."
        )

    assert Revision.objects.filter(claim=claim).count() == 1


# Conflicts --------------------------------------------------------------------------------


def test_stale_edit_is_refused_naming_version_and_who_changed_it(story, reporter, editor):
    claim = services.claim_create(story=story, text="Canadians died.", actor=reporter)
    stale = Claim.objects.get(pk=claim.pk)
    services.claim_edit(claim=claim, actor=editor, expected_version=1, text="57 Canadians died.")

    with pytest.raises(services.ConflictError) as conflict:
        services.claim_edit(
            claim=stale, actor=reporter, expected_version=1, text="63 Canadians died."
        )

    message = str(conflict.value)
    assert "eddie" in message
    assert "version 2" in message
    assert conflict.value.claim.text == "57 Canadians died."
    assert Claim.objects.get(pk=claim.pk).text == "57 Canadians died."
    assert Revision.objects.filter(claim=claim).count() == 2


def test_stale_status_change_writes_nothing(story, reporter, editor):
    claim = with_evidence(ClaimFactory(story=story, actor=reporter), reporter)
    services.claim_set_status(
        claim=claim, status="in_review", rationale="", actor=editor, expected_version=claim.version
    )

    with pytest.raises(services.ConflictError):
        services.claim_set_status(
            claim=claim,
            status="confirmed",
            rationale="Checked.",
            actor=editor,
            expected_version=claim.version,
        )

    assert Claim.objects.get(pk=claim.pk).status == "in_review"
    assert OutboxEvent.objects.filter(claim=claim).count() == 1


# Status -----------------------------------------------------------------------------------


def test_verdict_with_rationale_and_evidence_writes_revision_outbox_and_counts(
    story, reporter, editor
):
    claim = with_evidence(ClaimFactory(story=story, actor=reporter), reporter)

    ruled = services.claim_set_status(
        claim=claim,
        status="confirmed",
        rationale="Manifest lists 176 people.",
        actor=editor,
        expected_version=claim.version,
    )

    assert ruled.status == "confirmed"
    revision = Revision.objects.get(claim=claim, kind="status")
    assert revision.before == {"status": "unverified", "rationale": ""}
    assert revision.after == {"status": "confirmed", "rationale": "Manifest lists 176 people."}
    event = OutboxEvent.objects.get(claim=claim)
    assert event.revision == revision
    assert event.payload["new_status"] == "confirmed"
    assert event.payload["old_status"] == "unverified"
    assert counts(story) == {"confirmed": 1}


@pytest.mark.parametrize("verdict", ["confirmed", "false", "misleading", "unproven", "disputed"])
def test_verdict_without_rationale_is_refused(story, reporter, editor, verdict):
    claim = with_evidence(ClaimFactory(story=story, actor=reporter), reporter)

    with pytest.raises(ValidationError) as error:
        services.claim_set_status(
            claim=claim,
            status=verdict,
            rationale="   ",
            actor=editor,
            expected_version=claim.version,
        )

    assert "rationale" in error.value.message_dict
    assert Claim.objects.get(pk=claim.pk).status == "unverified"


@pytest.mark.parametrize("verdict", ["confirmed", "false", "misleading", "unproven", "disputed"])
def test_verdict_without_evidence_is_refused(story, reporter, editor, verdict):
    claim = ClaimFactory(story=story, actor=reporter)

    with pytest.raises(ValidationError, match="evidence"):
        services.claim_set_status(
            claim=claim,
            status=verdict,
            rationale="Looks right.",
            actor=editor,
            expected_version=claim.version,
        )

    assert Claim.objects.get(pk=claim.pk).status == "unverified"
    assert not OutboxEvent.objects.exists()


def test_unknown_status_is_refused(story, reporter, editor):
    claim = ClaimFactory(story=story, actor=reporter)

    with pytest.raises(ValidationError, match="not a status"):
        services.claim_set_status(
            claim=claim, status="probably", rationale="x", actor=editor, expected_version=1
        )


def test_superseded_cannot_be_set_directly(story, reporter, editor):
    claim = ClaimFactory(story=story, actor=reporter)

    with pytest.raises(ValidationError, match="replaces"):
        services.claim_set_status(
            claim=claim, status="superseded", rationale="x", actor=editor, expected_version=1
        )


def test_verdict_can_be_reopened_to_in_review(story, reporter, editor):
    claim = with_evidence(ClaimFactory(story=story, actor=reporter), reporter)
    claim = services.claim_set_status(
        claim=claim,
        status="false",
        rationale="No such missile.",
        actor=editor,
        expected_version=claim.version,
    )

    reopened = services.claim_set_status(
        claim=claim,
        status="in_review",
        rationale="New footage.",
        actor=editor,
        expected_version=claim.version,
    )

    assert reopened.status == "in_review"
    statuses = [r.after["status"] for r in Revision.objects.filter(claim=claim, kind="status")]
    assert statuses == ["false", "in_review"]
    assert counts(story) == {"in_review": 1}


def test_ruled_claim_cannot_jump_back_to_unverified(story, reporter, editor):
    claim = with_evidence(ClaimFactory(story=story, actor=reporter), reporter)
    claim = services.claim_set_status(
        claim=claim,
        status="disputed",
        rationale="Sources disagree.",
        actor=editor,
        expected_version=claim.version,
    )

    with pytest.raises(ValidationError, match="In review"):
        services.claim_set_status(
            claim=claim,
            status="unverified",
            rationale="",
            actor=editor,
            expected_version=claim.version,
        )


# Supersession and merging -----------------------------------------------------------------


def test_57_supersedes_63_on_both_claims_with_feed_outbox(story, reporter, editor):
    victims = FigureFactory(story=story, subject="Canadian victims", unit="people")
    old = ClaimFactory(story=story, actor=reporter, text="63 Canadians died.", figure=victims,
                       value=63)  # fmt: skip
    new = ClaimFactory(story=story, actor=reporter, text="57 Canadians died.", figure=victims,
                       value=57)  # fmt: skip

    services.claim_supersede(claim=old, by=new, actor=editor, expected_version=1, note="Revised")

    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == "superseded"
    assert old.superseded_by == new
    assert list(new.supersedes.all()) == [old]
    old_rev = Revision.objects.get(claim=old, kind="superseded")
    assert old_rev.after == {"status": "superseded", "superseded_by": new.pk}
    assert Revision.objects.get(claim=new, kind="superseded").after == {"replaces": old.pk}
    assert (old.version, new.version) == (2, 2)
    assert OutboxEvent.objects.get(claim=old).kind == "superseded"
    assert counts(story) == {"unverified": 1, "superseded": 1}


def test_claim_cannot_supersede_itself(story, reporter, editor):
    claim = ClaimFactory(story=story, actor=reporter)

    with pytest.raises(ValidationError, match="itself"):
        services.claim_supersede(claim=claim, by=claim, actor=editor, expected_version=1)

    assert Claim.objects.get(pk=claim.pk).status == "unverified"


def test_supersession_cycle_is_refused(story, reporter, editor):
    a = ClaimFactory(story=story, actor=reporter)
    b = ClaimFactory(story=story, actor=reporter)
    c = ClaimFactory(story=story, actor=reporter)
    services.claim_supersede(claim=a, by=b, actor=editor, expected_version=1)
    b.refresh_from_db()
    services.claim_supersede(claim=b, by=c, actor=editor, expected_version=b.version)
    c.refresh_from_db()

    with pytest.raises(ValidationError, match="cycle"):
        services.claim_supersede(claim=c, by=a, actor=editor, expected_version=c.version)

    assert Claim.objects.get(pk=c.pk).status == "unverified"


def test_merge_folds_duplicate_into_the_claim_that_stays(story, reporter, editor):
    keep = ClaimFactory(story=story, actor=reporter, text="Two missiles were launched.")
    dup = ClaimFactory(story=story, actor=reporter, text="Satellites saw two launches.")

    services.claim_merge(claim=dup, into=keep, actor=editor, expected_version=1)

    dup.refresh_from_db()
    assert (dup.status, dup.superseded_by_id) == ("superseded", keep.pk)
    assert Revision.objects.filter(claim=dup, kind="merged").count() == 1
    assert Revision.objects.filter(claim=keep, kind="merged").count() == 1


def test_superseded_claim_cannot_be_ruled_on(story, reporter, editor):
    old = with_evidence(ClaimFactory(story=story, actor=reporter), reporter)
    new = ClaimFactory(story=story, actor=reporter)
    old = services.claim_supersede(claim=old, by=new, actor=editor, expected_version=old.version)

    with pytest.raises(ValidationError, match="superseded"):
        services.claim_set_status(
            claim=old,
            status="confirmed",
            rationale="x",
            actor=editor,
            expected_version=old.version,
        )


# Hiding, assigning, notes ------------------------------------------------------------------


def test_hide_and_unhide_write_revisions_and_keep_counts(story, reporter, moderator):
    claim = ClaimFactory(story=story, actor=reporter)

    services.claim_hide(claim=claim, actor=moderator, note="Abusive wording")
    assert counts(story) == {}
    services.claim_unhide(claim=claim, actor=moderator)

    kinds = list(Revision.objects.filter(claim=claim).values_list("kind", flat=True))
    assert kinds == ["created", "hidden", "unhidden"]
    assert counts(story) == {"unverified": 1}
    assert Claim.objects.get(pk=claim.pk).is_hidden is False


def test_reporter_may_take_a_claim_but_not_assign_others(story, reporter, editor):
    claim = ClaimFactory(story=story, actor=reporter)

    services.claim_assign(claim=claim, assignee=reporter, actor=reporter)
    with pytest.raises(PermissionDenied):
        services.claim_assign(claim=claim, assignee=editor, actor=reporter)

    assert Claim.objects.get(pk=claim.pk).assignee == reporter


def test_notes_are_internal_and_leave_the_version_alone(story, reporter):
    claim = ClaimFactory(story=story, actor=reporter)

    services.note_add(claim=claim, body="Call the embassy press office.", actor=reporter)

    assert Note.objects.get(claim=claim).body == "Call the embassy press office."
    assert Claim.objects.get(pk=claim.pk).version == 1


# Evidence and attributions ------------------------------------------------------------------


def test_evidence_add_counts_and_revises(story, reporter):
    claim = ClaimFactory(story=story, actor=reporter)
    source = SourceFactory(name="Reuters", kind="agency")

    evidence = services.evidence_add(
        claim=claim,
        url="https://www.reuters.com/ps752",
        stance="supports",
        actor=reporter,
        excerpt="Satellites detected two launches.",
        source=source,
        capture=False,
    )

    claim.refresh_from_db()
    assert claim.evidence_count == 1
    assert evidence.capture_status == "skipped"
    revision = Revision.objects.get(claim=claim, kind="evidence")
    assert revision.after["url"] == "https://www.reuters.com/ps752"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "file:///etc/passwd",
        "ftp://x.org/a",
        "not a url",
        "",
        "http://",
    ],
)
def test_evidence_needs_an_http_link(story, reporter, url):
    claim = ClaimFactory(story=story, actor=reporter)

    with pytest.raises(ValidationError) as error:
        services.evidence_add(claim=claim, url=url, stance="supports", actor=reporter)

    assert "url" in error.value.message_dict
    assert not Evidence.objects.exists()
    assert Claim.objects.get(pk=claim.pk).version == 1


def test_evidence_needs_a_known_stance(story, reporter):
    claim = ClaimFactory(story=story, actor=reporter)

    with pytest.raises(ValidationError, match="supports, refutes or context"):
        services.evidence_add(
            claim=claim, url="https://x.example/a", stance="agrees", actor=reporter
        )


def test_attribution_adds_quote_and_source_to_search(story, reporter):
    claim = ClaimFactory(story=story, actor=reporter, text="A missile downed the plane.")
    source = SourceFactory(name="Justin Trudeau")

    services.attribution_add(
        claim=claim,
        source=source,
        actor=reporter,
        outlet="National Press Theatre",
        quote="likely brought down by an Iranian missile",
    )

    claim.refresh_from_db()
    assert claim.version == 2
    assert "Justin Trudeau" in claim.search_document
    assert "Iranian missile" in claim.search_document
    assert Revision.objects.get(claim=claim, kind="attribution").after["source"] == (
        "Justin Trudeau"
    )


def test_attribution_link_must_be_http(story, reporter):
    claim = ClaimFactory(story=story, actor=reporter)

    with pytest.raises(ValidationError):
        services.attribution_add(
            claim=claim, source=SourceFactory(), actor=reporter, url="javascript:alert(1)"
        )

    assert not claim.attributions.exists()


# Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "cannot be empty"),
        ("   \n\t ", "cannot be empty"),
        ("x" * 2001, "under 2000"),
        ("bad\x00byte", "NUL"),
    ],
)
def test_bad_claim_text_is_refused_and_nothing_written(story, reporter, text, message):
    with pytest.raises(ValidationError, match=message):
        services.claim_create(story=story, text=text, actor=reporter)

    assert not Claim.objects.exists()
    assert not Revision.objects.exists()


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-inf", "sixty", float("nan"), "1e400", True])
def test_a_reported_value_must_be_a_finite_number(story, reporter, value):
    victims = FigureFactory(story=story, subject="Canadian victims", unit="people")

    with pytest.raises(ValidationError) as error:
        services.claim_create(story=story, text="Toll", actor=reporter, figure=victims, value=value)

    assert "value" in error.value.message_dict
    assert not Claim.objects.exists()


def test_bad_edit_leaves_claim_untouched(story, reporter):
    victims = FigureFactory(story=story, subject="Canadian victims", unit="people")
    claim = services.claim_create(story=story, text="Valid claim.", actor=reporter)

    with pytest.raises(ValidationError):
        services.claim_edit(
            claim=claim, actor=reporter, expected_version=1, text="ok", figure=victims,
            value="NaN",
        )  # fmt: skip

    claim.refresh_from_db()
    assert (claim.text, claim.version, claim.figure_id) == ("Valid claim.", 1, None)


# Permissions ------------------------------------------------------------------------------


ROLE_ACTIONS = {
    # action: roles that may do it
    "create": {"reporter", "editor", "superuser"},
    "evidence": {"reporter", "editor", "superuser"},
    "attribution": {"reporter", "editor", "superuser"},
    "set_status": {"editor", "superuser"},
    "supersede": {"editor", "superuser"},
    "hide": {"editor", "moderator", "superuser"},
}


def _attempt(action: str, actor, story, author):
    claim = with_evidence(ClaimFactory(story=story, actor=author), author)
    other = ClaimFactory(story=story, actor=author)
    calls = {
        "create": lambda: services.claim_create(story=story, text="New claim", actor=actor),
        "evidence": lambda: services.evidence_add(
            claim=claim, url="https://x.example/e", stance="context", actor=actor, capture=False
        ),
        "attribution": lambda: services.attribution_add(
            claim=claim, source=SourceFactory(), actor=actor
        ),
        "set_status": lambda: services.claim_set_status(
            claim=claim,
            status="confirmed",
            rationale="Checked.",
            actor=actor,
            expected_version=claim.version,
        ),
        "supersede": lambda: services.claim_supersede(
            claim=claim, by=other, actor=actor, expected_version=claim.version
        ),
        "hide": lambda: services.claim_hide(claim=claim, actor=actor),
    }
    return calls[action]()


@pytest.mark.parametrize("role", ["anonymous", "reporter", "editor", "moderator", "superuser"])
@pytest.mark.parametrize("action", sorted(ROLE_ACTIONS))
def test_each_role_may_do_exactly_its_actions(role, action, reporter, request):
    from django.contrib.auth.models import AnonymousUser

    story = StoryFactory()
    actor = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    revisions_before = Revision.objects.count()

    if role in ROLE_ACTIONS[action]:
        _attempt(action, actor, story, reporter)
        assert Revision.objects.count() > revisions_before
    else:
        with pytest.raises(PermissionDenied):
            _attempt(action, actor, story, reporter)

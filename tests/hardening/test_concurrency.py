"""Many writers at once against PostgreSQL: no lost update, no gap, no deadlock."""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from claims import services
from claims.models import Claim, Evidence, OutboxEvent, Revision, StatusCount
from tests.hardening.conftest import run_in_threads
from tests.support.factories import ClaimFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.postgres

WRITERS = 50
EDITORS = 20
ROUNDS = 12


def _editors(count: int) -> list[int]:
    return [UserFactory(username=f"editor{i}", role="editor").pk for i in range(count)]


def test_fifty_writers_with_the_same_stale_version_leave_one_change(transactional_db):
    editor_ids = _editors(5)
    claim = ClaimFactory(text="Canada says 63 of its citizens died on flight PS752.")
    stale_version = claim.version

    def write(index: int) -> str:
        actor = get_user_model().objects.get(pk=editor_ids[index % len(editor_ids)])
        copy = Claim.objects.get(pk=claim.pk)
        copy.version = stale_version
        if index % 2:
            services.claim_edit(
                claim=copy,
                actor=actor,
                expected_version=stale_version,
                text=f"Canada says {57 + index} of its citizens died on flight PS752.",
            )
        else:
            services.claim_set_status(
                claim=copy,
                status="in_review",
                rationale="",
                actor=actor,
                expected_version=stale_version,
            )
        return "ok"

    results, errors, hung = run_in_threads(WRITERS, write)

    assert hung == 0
    assert results == ["ok"]
    assert len(errors) == WRITERS - 1
    assert all(isinstance(error, services.ConflictError) for error in errors), errors
    claim.refresh_from_db()
    assert claim.version == stale_version + 1
    assert list(Revision.objects.filter(claim=claim).values_list("number", flat=True)) == [1, 2]


def _one_round(claim_id: int, actor, round_no: int) -> str:
    """One change chosen by round: in review, edit, back to unverified, add evidence."""
    claim = Claim.objects.get(pk=claim_id)
    step = round_no % 4
    if step in (0, 2):
        status = "in_review" if claim.status == "unverified" else "unverified"
        services.claim_set_status(
            claim=claim, status=status, rationale="", actor=actor, expected_version=claim.version
        )
        return "status"
    if step == 1:
        services.claim_edit(
            claim=claim,
            actor=actor,
            expected_version=claim.version,
            text=f"{claim.text.split(' (')[0]} (round {round_no})",
        )
        return "edit"
    services.evidence_add(
        claim=claim,
        url=f"https://news.example/ps752/{claim_id}/{round_no}",
        stance=Evidence.Stance.CONTEXT,
        actor=actor,
        expected_version=claim.version,
        capture=False,
    )
    return "evidence"


def test_twenty_editors_on_twenty_claims_never_lose_or_skip_a_revision(transactional_db):
    editor_ids = _editors(EDITORS)
    # Two stories, so status moves in opposite directions share the same count rows.
    stories = [StoryFactory(), StoryFactory()]
    claim_ids = [ClaimFactory(story=stories[i % 2]).pk for i in range(EDITORS)]

    def edit_many(index: int) -> list[str]:
        actor = get_user_model().objects.get(pk=editor_ids[index])
        # Half the editors start two steps later, so one moves a claim into review while
        # another moves a claim of the same story out of it.
        offset = 2 * (index % 2)
        return [_one_round(claim_ids[index], actor, r + offset) for r in range(ROUNDS)]

    results, errors, hung = run_in_threads(EDITORS, edit_many, timeout=120)

    assert hung == 0
    assert errors == []
    assert len(results) == EDITORS
    kinds = list(itertools.chain.from_iterable(results))
    assert len(kinds) == EDITORS * ROUNDS
    for claim_id in claim_ids:
        numbers = list(
            Revision.objects.filter(claim_id=claim_id)
            .order_by("number")
            .values_list("number", flat=True)
        )
        assert numbers == list(range(1, ROUNDS + 2))
        assert Claim.objects.get(pk=claim_id).version == ROUNDS + 1
    assert Revision.objects.filter(kind="status").count() == kinds.count("status")
    # One event per ruling and one per edit (partners are told of new words too).
    assert OutboxEvent.objects.filter(kind="status_changed").count() == kinds.count("status")
    assert OutboxEvent.objects.filter(kind="edited").count() == kinds.count("edit")
    assert set(OutboxEvent.objects.values_list("revision__kind", flat=True)) == {"status", "edited"}
    assert Revision.objects.filter(kind="edited").count() == kinds.count("edit")
    assert Evidence.objects.count() == kinds.count("evidence")


def test_opposite_supersessions_of_the_same_pairs_never_deadlock(transactional_db):
    editor_ids = _editors(2)
    story = StoryFactory()
    pairs = [(ClaimFactory(story=story).pk, ClaimFactory(story=story).pk) for _ in range(10)]

    def supersede(index: int) -> str:
        actor = get_user_model().objects.get(pk=editor_ids[index % 2])
        first, second = pairs[index // 2]
        old_id, new_id = (first, second) if index % 2 else (second, first)
        claim = Claim.objects.get(pk=old_id)
        services.claim_supersede(
            claim=claim,
            by=Claim.objects.get(pk=new_id),
            actor=actor,
            expected_version=claim.version,
        )
        return "superseded"

    results, errors, hung = run_in_threads(2 * len(pairs), supersede)

    assert hung == 0
    assert len(results) >= len(pairs)
    assert all(isinstance(e, services.ConflictError | ValidationError) for e in errors), errors
    for first, second in pairs:
        statuses = sorted(
            Claim.objects.filter(pk__in=[first, second]).values_list("status", flat=True)
        )
        assert statuses == ["superseded", "unverified"]
    superseded = Claim.objects.filter(status="superseded").count()
    assert superseded == len(pairs) == len(results)
    assert StatusCount.objects.get(story=story, status="superseded").count == len(pairs)
    assert StatusCount.objects.get(story=story, status="unverified").count == len(pairs)

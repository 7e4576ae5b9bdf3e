import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from claims.models import Attribution, Claim, Evidence, Revision, StatusCount, Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(monkeypatch):
    monkeypatch.setenv("CLAIMDESK_DEMO_PASSWORD", "demo-pass-2020")
    call_command("seed_demo", verbosity=0)


def test_demo_story_tells_the_canadian_toll_63_then_57(seeded):
    claim = Claim.objects.get(text__startswith="Canadian citizens were among")

    edit = Revision.objects.get(claim=claim, kind="edited")
    assert (edit.before, edit.after) == ({"quantity_value": 63}, {"quantity_value": 57})
    speakers = set(Attribution.objects.filter(claim=claim).values_list("source__name", flat=True))
    assert speakers == {"Government of Canada", "Francois-Philippe Champagne"}
    assert claim.status == "confirmed"


def test_demo_has_a_superseded_pair_and_the_missile_cause_with_evidence(seeded):
    old = Claim.objects.get(text__startswith="Canada says 63")
    missile = Claim.objects.get(text__icontains="surface-to-air missile")

    assert old.status == "superseded"
    assert "57" in old.superseded_by.text
    stances = set(Evidence.objects.filter(claim=missile).values_list("stance", flat=True))
    assert stances == {"supports", "context"}
    assert Claim.objects.filter(quantity_value=176).exists()


def test_demo_covers_many_statuses_a_private_story_and_users(seeded):
    story = Story.objects.get(slug="ps752")
    statuses = set(Claim.objects.filter(story=story).values_list("status", flat=True))

    assert story.is_public and Claim.objects.filter(story=story).count() >= 10
    assert {
        "unverified",
        "in_review",
        "confirmed",
        "unproven",
        "disputed",
        "misleading",
        "superseded",
    } <= statuses
    assert Story.objects.get(slug="iraq-protests").is_public is False
    User = get_user_model()
    for username, group in [
        ("editor", "editor"),
        ("reporter", "reporter"),
        ("moderator", "moderator"),
    ]:
        user = User.objects.get(username=username)
        assert user.groups.filter(name=group).exists()
        assert user.check_password("demo-pass-2020")
    assert User.objects.get(username="admin").is_superuser


def test_seed_demo_is_idempotent(seeded):
    before = (Claim.objects.count(), Revision.objects.count(), get_user_model().objects.count())

    call_command("seed_demo", verbosity=0)

    after = (Claim.objects.count(), Revision.objects.count(), get_user_model().objects.count())
    assert after == before


def test_status_counts_match_the_claims(seeded):
    for story in Story.objects.all():
        kept = dict(
            StatusCount.objects.filter(story=story, count__gt=0).values_list("status", "count")
        )
        actual: dict[str, int] = {}
        for status in Claim.objects.filter(story=story, is_hidden=False).values_list(
            "status", flat=True
        ):
            actual[status] = actual.get(status, 0) + 1
        assert kept == actual


def test_random_password_is_printed_once_when_none_is_given(monkeypatch, capsys):
    monkeypatch.delenv("CLAIMDESK_DEMO_PASSWORD", raising=False)

    call_command("seed_demo")
    first = capsys.readouterr().out
    call_command("seed_demo")
    second = capsys.readouterr().out

    password = first.split("password: ")[1].split()[0]
    assert get_user_model().objects.get(username="editor").check_password(password)
    assert "password" not in second

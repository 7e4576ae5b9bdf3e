import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from claims.models import Attribution, Claim, Evidence, Figure, Revision, StatusCount, Story
from claims.selectors.figures import desk_figure, public_story_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(monkeypatch):
    monkeypatch.setenv("CLAIMDESK_DEMO_PASSWORD", "demo-pass-2020")
    call_command("seed_demo", verbosity=0)


def _series(subject: str):
    figure = Figure.objects.get(story__slug="ps752", subject=subject)
    return figure, desk_figure(figure, Claim.objects.all())


def test_demo_tells_the_canadian_toll_as_two_reports_63_replaced_by_57(seeded):
    figure, series = _series("Canadian citizens killed on PS752")

    assert (figure.kind, figure.unit) == ("count", "people")
    assert [(r.value, r.source_name, r.status, r.said_at.isoformat()) for r in series.reports] == [
        (63, "Government of Canada", "superseded", "2020-01-08T20:00:00+00:00"),
        (57, "Francois-Philippe Champagne", "confirmed", "2020-01-10T16:00:00+00:00"),
    ]
    first, revised = (Claim.objects.get(pk=r.claim_id) for r in series.reports)
    assert first.superseded_by == revised
    assert "57" in revised.text and "63" in first.text
    assert Evidence.objects.get(claim=revised).source.name == "Government of Canada"
    assert "counted people travelling on to Canada" in revised.rationale
    assert series.state.kind == "current"
    assert (series.state.current.claim_id, series.state.current.shown) == (revised.pk, "57 people")
    assert not Revision.objects.filter(claim__story=figure.story, kind="value_fixed").exists()


def test_demo_has_176_aboard_from_sources_who_agree(seeded):
    _, series = _series("People aboard PS752")

    sources = {r.source_name for r in series.reports}
    assert sources == {"Justin Trudeau", "US officials (anonymous)", "Reuters"}
    assert {r.value for r in series.reports} == {176}
    assert not series.state.disagree
    current = series.state.current
    assert (current.source_name, current.status, current.shown) == (
        "Justin Trudeau", "confirmed", "176 people"
    )  # fmt: skip
    aboard = Claim.objects.get(text__startswith="Everyone aboard flight PS752")
    assert aboard.pk == current.claim_id
    assert all(
        Attribution.objects.filter(claim_id=r.claim_id, said_at__isnull=False).exists()
        for r in series.reports
    )


def test_demo_has_two_missiles_from_one_anonymous_official_unproven(seeded):
    _, series = _series("Missiles launched at PS752")

    [report] = series.reports
    assert (report.value, report.source_name, report.status) == (
        2, "US officials (anonymous)", "unproven"
    )  # fmt: skip
    assert Claim.objects.get(pk=report.claim_id).text.startswith("US satellites saw two")
    assert (series.state.kind, series.state.current.shown) == ("current", "2 missiles")


def test_demo_figures_are_public_with_their_series(seeded):
    story = Story.objects.get(slug="ps752")

    shown = {s.figure.subject: len(s.reports) for s in public_story_figures(story)}

    assert shown == {
        "Canadian citizens killed on PS752": 2,
        "People aboard PS752": 3,
        "Missiles launched at PS752": 1,
    }


def test_demo_has_the_missile_cause_with_evidence(seeded):
    missile = Claim.objects.get(text__icontains="surface-to-air missile")

    stances = set(Evidence.objects.filter(claim=missile).values_list("stance", flat=True))
    assert stances == {"supports", "context"}
    assert missile.figure is None


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
    def counts():
        return (Claim.objects.count(), Revision.objects.count(), Figure.objects.count(),
                get_user_model().objects.count())  # fmt: skip

    before = counts()

    call_command("seed_demo", verbosity=0)

    assert counts() == before


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

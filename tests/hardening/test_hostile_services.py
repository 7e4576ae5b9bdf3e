"""Hostile input thrown at every service: only the desk's own errors, and never a partial write.

Each service gets arbitrary text, unicode oddities (RTL marks, zero-width characters, emoji,
NUL bytes, lone surrogates), huge values and wrong types in every argument a form or an API
can fill, from every role. It must either succeed or raise ValidationError, PermissionDenied
or ConflictError, and when it raises, the database is exactly as before.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from claims import services
from claims.models import (
    Attribution,
    Claim,
    Evidence,
    Figure,
    FigureRevision,
    Note,
    OutboxEvent,
    Revision,
    StatusCount,
    Story,
    Watch,
)
from claims.models.choices import Approximation
from sources.models import Source
from tests.hardening.hostile import (
    any_text,
    anything,
    hostile_settings,
    number_like,
    url_like,
    wrong_types,
)
from tests.support.factories import (
    ClaimFactory,
    EvidenceFactory,
    FigureFactory,
    SourceFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ALLOWED = (ValidationError, PermissionDenied, services.ConflictError)
ROLES = ["editor", "reporter", "moderator", "anonymous", "inactive", "nobody"]
roles = st.sampled_from(ROLES)
statuses = st.one_of(st.sampled_from([*Claim.Status.values, "IN_REVIEW", "confirmed "]), anything)
versions = st.one_of(st.just("current"), st.just("current"), anything)
stances = st.one_of(st.sampled_from([*Evidence.Stance.values, "Supports", ""]), anything)
kinds = st.one_of(st.sampled_from([*Source.Kind.values, "Person", ""]), anything)
moments = st.one_of(
    st.none(),
    st.datetimes(timezones=st.just(UTC)),
    st.datetimes(),  # naive
    st.dates(),
    st.just(datetime.now(UTC) + timedelta(days=365)),
    st.sampled_from(["2020-01-08", "yesterday", ""]),
    wrong_types,
)
TRACKED = [
    Story, Source, Claim, Attribution, Evidence, Revision, Note, StatusCount, OutboxEvent,
    Figure, FigureRevision,
]  # fmt: skip


def _state() -> dict:
    state = {m._meta.label_lower: list(m.objects.order_by("pk").values()) for m in TRACKED}
    state["watches"] = Watch.objects.count()
    return state


def _attempt(call) -> object | None:
    """Run one hostile call: an allowed refusal must leave the database untouched."""
    before = _state()
    try:
        return call()
    except ALLOWED:
        assert _state() == before, "a refused change wrote something"
        return None


@pytest.fixture
def people(editor, reporter, moderator) -> dict:
    inactive = UserFactory(username="gone", role="editor")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    return {
        "editor": editor,
        "reporter": reporter,
        "moderator": moderator,
        "anonymous": AnonymousUser(),
        "inactive": inactive,
        "nobody": None,
    }


@pytest.fixture
def claim(story, reporter) -> Claim:
    claim = ClaimFactory(story=story, actor=reporter)
    EvidenceFactory(claim=claim, actor=reporter)
    return Claim.objects.get(pk=claim.pk)


def _version(drawn, claim_id: int):
    return Claim.objects.get(pk=claim_id).version if drawn == "current" else drawn


def _changed_once(before: Claim, result) -> None:
    """A claim service that succeeded wrote exactly one revision and bumped the version once."""
    after = Claim.objects.get(pk=before.pk)
    assert after.version == before.version + 1
    assert Revision.objects.filter(claim=after).count() == after.version


@hostile_settings
@given(title=any_text, slug=anything, description=anything, is_public=anything, role=roles)
def test_story_create_survives_hostile_input(people, title, slug, description, is_public, role):
    _attempt(
        lambda: services.story_create(
            title=title, slug=slug, description=description, is_public=is_public,
            actor=people[role],
        )
    )  # fmt: skip


@pytest.fixture
def figures(story, reporter) -> dict:
    """A figure of the claim's story, one of another story, and what a form sends for none."""
    return {
        "own": FigureFactory(story=story, subject="Canadian victims", actor=reporter),
        "elsewhere": FigureFactory(story=StoryFactory(), subject="Crew", actor=reporter),
        "none": None,
    }


figure_choice = st.one_of(st.sampled_from(["own", "elsewhere", "none"]), st.just(""), wrong_types)
approximations = st.one_of(st.sampled_from([*Approximation.values, "", "Range"]), anything)


def _figure(drawn, figures: dict):
    return figures[drawn] if isinstance(drawn, str) and drawn in figures else drawn


@hostile_settings
@given(
    text=anything,
    figure=figure_choice,
    value=number_like,
    approximation=approximations,
    value_high=number_like,
    confirm=anything,
    note=anything,
    role=roles,
)
def test_claim_create_survives_hostile_input(
    people, story, figures, text, figure, value, approximation, value_high, confirm, note, role
):
    created = _attempt(
        lambda: services.claim_create(
            story=story, text=text, figure=_figure(figure, figures), value=value,
            approximation=approximation, value_high=value_high, confirm_mismatch=confirm,
            note=note, actor=people[role],
        )
    )  # fmt: skip

    if created is not None:
        assert Revision.objects.get(claim=created).number == 1
        assert created.figure_id in (None, figures["own"].pk)


edit_fields = st.fixed_dictionaries(
    {},
    optional={
        "text": anything,
        "figure": figure_choice,
        "value": number_like,
        "approximation": approximations,
        "value_high": number_like,
        "confirm_mismatch": anything,
        "note": anything,
    },
)


@hostile_settings
@given(fields=edit_fields, version=versions, role=roles)
def test_claim_edit_survives_hostile_input(people, claim, figures, fields, version, role):
    before = Claim.objects.get(pk=claim.pk)
    if "figure" in fields:
        fields["figure"] = _figure(fields["figure"], figures)

    result = _attempt(
        lambda: services.claim_edit(
            claim=before, actor=people[role], expected_version=_version(version, claim.pk),
            **fields,
        )
    )  # fmt: skip

    if result is not None:
        _changed_once(before, result)


@hostile_settings
@given(
    value=number_like,
    text=anything,
    quote=anything,
    said_at=moments,
    approximation=approximations,
    confirm=anything,
    role=roles,
    supersede=st.booleans(),
    use_source=st.booleans(),
)
def test_figure_report_survives_hostile_input(
    people, figures, value, text, quote, said_at, approximation, confirm, role, supersede,
    use_source,
):  # fmt: skip
    victims = figures["own"]
    standing = victims.reports.exclude(status="superseded").first()
    replaced = standing if supersede else None
    source = SourceFactory(name="Global Affairs Canada") if use_source else "Canada"

    filed = _attempt(
        lambda: services.figure_report(
            figure=victims, value=value, text=text, quote=quote, said_at=said_at,
            source=source, approximation=approximation, confirm_mismatch=confirm,
            actor=people[role], supersedes=replaced,
            supersedes_version=replaced.version if replaced else None,
        )
    )  # fmt: skip

    if filed is not None:
        assert filed.figure_id == victims.pk
        assert filed.attributions.count() == 1
        if replaced is not None:
            assert Claim.objects.get(pk=replaced.pk).superseded_by_id == filed.pk


@hostile_settings
@given(subject=anything, kind=anything, unit=anything, role=roles)
def test_figure_create_and_update_survive_hostile_input(
    people, story, figures, subject, kind, unit, role
):
    _attempt(
        lambda: services.figure_create(
            story=story, subject=subject, kind=kind, unit=unit, actor=people[role]
        )
    )
    victims = Figure.objects.get(pk=figures["own"].pk)
    _attempt(
        lambda: services.figure_update(
            figure=victims, subject=subject, kind=kind, unit=unit, actor=people[role],
            expected_version=victims.version,
        )
    )  # fmt: skip


@hostile_settings
@given(status=statuses, rationale=anything, version=versions, role=roles)
def test_claim_set_status_survives_hostile_input(people, claim, status, rationale, version, role):
    before = Claim.objects.get(pk=claim.pk)

    result = _attempt(
        lambda: services.claim_set_status(
            claim=before, status=status, rationale=rationale, actor=people[role],
            expected_version=_version(version, claim.pk),
        )
    )  # fmt: skip

    if result is not None:
        _changed_once(before, result)
        assert OutboxEvent.objects.filter(revision__claim=claim).count() >= 1


def _open_claim(story: Story | None, besides: Claim, people) -> Claim:
    """A claim not yet replaced, in ``story`` or (None) in another story."""
    if story is None:
        story = Story.objects.exclude(pk=besides.story_id).first() or StoryFactory()
    found = Claim.objects.filter(story=story).exclude(status="superseded").exclude(pk=besides.pk)
    return found.first() or ClaimFactory(story=story, actor=people["reporter"])


@hostile_settings
@given(note=anything, version=versions, role=roles, merge=st.booleans(), target=st.integers(0, 2))
def test_claim_supersede_and_merge_survive_hostile_input(
    people, story, claim, note, version, role, merge, target
):
    others = [claim, _open_claim(story, claim, people), _open_claim(None, claim, people)]
    service = services.claim_merge if merge else services.claim_supersede
    keyword = "into" if merge else "by"
    before = Claim.objects.get(pk=claim.pk)

    _attempt(
        lambda: service(
            claim=before, actor=people[role], note=note,
            expected_version=_version(version, claim.pk), **{keyword: others[target]},
        )
    )  # fmt: skip


@hostile_settings
@given(note=anything, version=st.one_of(st.none(), versions), role=roles, hide=st.booleans())
def test_claim_hide_and_unhide_survive_hostile_input(people, claim, note, version, role, hide):
    service = services.claim_hide if hide else services.claim_unhide
    before = Claim.objects.get(pk=claim.pk)

    result = _attempt(
        lambda: service(
            claim=before, actor=people[role], note=note,
            expected_version=_version(version, claim.pk),
        )
    )  # fmt: skip

    if result is not None:
        _changed_once(before, result)


@hostile_settings
@given(assignee=st.sampled_from(ROLES), version=st.one_of(st.none(), versions), role=roles)
def test_claim_assign_survives_hostile_input(people, claim, assignee, version, role):
    before = Claim.objects.get(pk=claim.pk)
    who = people[assignee] if assignee in {"editor", "reporter", "moderator"} else None

    result = _attempt(
        lambda: services.claim_assign(
            claim=before, assignee=who, actor=people[role],
            expected_version=_version(version, claim.pk),
        )
    )  # fmt: skip

    if result is not None:
        _changed_once(before, result)


@hostile_settings
@given(url=url_like, stance=stances, excerpt=anything, version=versions, role=roles)
def test_evidence_add_survives_hostile_input(people, claim, url, stance, excerpt, version, role):
    before = Claim.objects.get(pk=claim.pk)

    result = _attempt(
        lambda: services.evidence_add(
            claim=before, url=url, stance=stance, excerpt=excerpt, actor=people[role],
            expected_version=_version(version, claim.pk), capture=False,
        )
    )  # fmt: skip

    if result is not None:
        _changed_once(before, result)
        assert result.url.lower().startswith(("http://", "https://"))


@hostile_settings
@given(
    quote=anything,
    url=url_like,
    outlet=anything,
    said_at=moments,
    version=versions,
    role=roles,
    wrong_source=st.one_of(st.none(), wrong_types),
    use_source=st.booleans(),
)
def test_attribution_add_survives_hostile_input(
    people, claim, quote, url, outlet, said_at, version, role, wrong_source, use_source
):
    source = SourceFactory(name="Justin Trudeau") if use_source else wrong_source
    before = Claim.objects.get(pk=claim.pk)

    result = _attempt(
        lambda: services.attribution_add(
            claim=before, source=source, quote=quote, url=url, outlet=outlet, said_at=said_at,
            actor=people[role], expected_version=_version(version, claim.pk),
        )
    )  # fmt: skip

    if result is not None:
        _changed_once(before, result)


@hostile_settings
@given(body=anything, role=roles)
def test_note_add_survives_hostile_input(people, claim, body, role):
    version = Claim.objects.get(pk=claim.pk).version

    note = _attempt(lambda: services.note_add(claim=claim, body=body, actor=people[role]))

    assert Claim.objects.get(pk=claim.pk).version == version
    if note is not None:
        assert Note.objects.filter(pk=note.pk).exists()


@hostile_settings
@given(name=anything, kind=kinds, description=anything, homepage=url_like, role=roles)
def test_source_create_survives_hostile_input(people, name, kind, description, homepage, role):
    _attempt(
        lambda: services.source_create(
            name=name, kind=kind, description=description, homepage=homepage,
            actor=people[role],
        )
    )  # fmt: skip


@hostile_settings
@given(name=anything, kind=kinds, role=roles)
def test_source_get_or_create_survives_hostile_input(people, name, kind, role):
    _attempt(lambda: services.source_get_or_create(name=name, kind=kind, actor=people[role]))


@hostile_settings
@given(on_claim=st.booleans(), on_story=st.booleans(), watching=anything, role=roles)
def test_watch_set_refuses_anything_but_one_target(
    people, story, claim, on_claim, on_story, watching, role
):
    _attempt(
        lambda: services.watch_set(
            user=people[role],
            watching=watching,
            claim=claim if on_claim else None,
            story=story if on_story else None,
        )
    )


def test_naive_and_date_only_times_are_not_a_crash(people, claim):
    """Regression seeds: a form may hand over a date, a string or a naive datetime. A date
    alone is the start of that day; a string is refused, a naive time read in the desk's
    zone."""
    reuters = SourceFactory(name="Reuters")
    added = [
        _attempt(
            lambda s=said_at: services.attribution_add(
                claim=Claim.objects.get(pk=claim.pk),
                source=reuters,
                said_at=s,
                actor=people["reporter"],
            )
        )
        for said_at in [date(2020, 1, 8), "2020-01-08", datetime(2020, 1, 8, 12, 0)]
    ]

    day, refused, naive = added
    assert refused is None
    assert day.said_at == datetime(2020, 1, 8, 0, 0, tzinfo=UTC)
    assert naive.said_at == datetime(2020, 1, 8, 12, 0, tzinfo=UTC)
    assert Attribution.objects.filter(claim=claim).count() == 2


@pytest.mark.parametrize("url", ["HTTPS://NEWS.EXAMPLE/PS752", "Http://news.example/a"])
def test_links_with_an_upper_case_scheme_are_accepted_as_web_links(people, claim, url):
    evidence = _attempt(
        lambda: services.evidence_add(
            claim=Claim.objects.get(pk=claim.pk),
            url=url,
            stance="supports",
            actor=people["reporter"],
            capture=False,
        )
    )

    assert evidence is not None
    assert Evidence.objects.get(pk=evidence.pk).url.startswith(("http://", "https://"))


def test_a_huge_source_name_is_refused_before_any_lookup(people):
    """Regression seed: SQLite's LIKE refused a 100 000-character pattern with a crash."""
    refused = _attempt(
        lambda: services.source_get_or_create(name="x" * 100_000, actor=people["editor"])
    )

    assert refused is None
    assert Source.objects.count() == 0


@pytest.mark.parametrize("flag", ["false", "0", None, 1])
def test_only_a_real_yes_makes_a_story_public(people, story, flag):
    """Regression seed: bool("false") is True, and a story must not go public by accident."""
    private = StoryFactory(actor=people["editor"], is_public=False)

    refused = _attempt(
        lambda: services.story_set_public(story=private, is_public=flag, actor=people["editor"])
    )

    assert refused is None
    assert Story.objects.get(pk=private.pk).is_public is False

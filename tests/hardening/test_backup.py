"""export_all and import_all: a round trip recreates every row exactly."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from claims import services
from claims.models import Claim, Evidence, Figure, FigureRevision, Revision, WebhookSubscriber
from claims.models import triggers as db_triggers
from claims.services import backup
from claims.services.redactions import revision_redact
from sources import services as source_services
from sources import triggers as source_triggers
from tests.support.factories import (
    ClaimFactory,
    EvidenceFactory,
    FigureFactory,
    ReportFactory,
    SourceFactory,
    StoryFactory,
)

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, list[dict]]:
    """Every field of every exported row, in id order."""
    return {
        model._meta.label_lower: list(model.objects.order_by("pk").values())
        for model in backup.MODELS
    }


def _wipe_desk() -> None:
    """Empty the exported tables, lifting the append-only triggers only while doing so."""
    tables = ["claims_emailnotification", "claims_webhookdelivery", "claims_outboxevent"]
    tables += ["claims_watch"]
    tables += [model._meta.db_table for model in reversed(backup.MODELS)]
    for triggers in (db_triggers, source_triggers):
        triggers.uninstall(connection)
    db_triggers.uninstall_figure_history(connection)
    db_triggers.uninstall_story_history(connection)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")
    for triggers in (db_triggers, source_triggers):
        triggers.install(connection)
    db_triggers.install_figure_history(connection)
    db_triggers.install_story_history(connection)


@pytest.fixture
def desk(editor, reporter, moderator):
    """A desk in many states: verdicts, a supersession, hidden claims, notes, odd text."""
    public = StoryFactory(actor=editor, title="Flight PS752")
    private = StoryFactory(actor=editor, title="Embargoed: crash site", is_public=False)
    trudeau = SourceFactory(name="Justin Trudeau", kind="person", description="Prime minister")
    toll = FigureFactory(story=public, subject="Canadian victims", unit="people", actor=reporter)
    first = ReportFactory(
        figure=toll,
        value=63,
        text="Canada says 63 of its citizens died. ‏שלום‎ \u200b 🛩️",
        source=trudeau,
        actor=reporter,
        quote="63 Canadians",
        url="https://news.example/63",
        outlet="CBC",
        said_at=timezone.now() - timedelta(days=3, microseconds=123457),
    )
    second = ReportFactory(
        figure=toll, value="57.125", text="57.125 Canadians died.", actor=reporter,
        source=SourceFactory(name="Global Affairs Canada", kind="government"),
    )  # fmt: skip
    evidence = EvidenceFactory(claim=second, actor=reporter, excerpt="Manifest")
    # The capture task writes these; set here so the round trip covers every column.
    Evidence.objects.filter(pk=evidence.pk).update(
        capture_status="captured",
        capture_sha256="ab" * 32,
        capture_http_status=200,
        capture_title="Passenger manifest",
        capture_text="Full text",
        captured_at=timezone.now(),
    )
    second.refresh_from_db()
    services.claim_set_status(
        claim=second, status="confirmed", rationale="Manifest checked.", actor=editor,
        expected_version=second.version,
    )  # fmt: skip
    first.refresh_from_db()
    services.claim_supersede(claim=first, by=second, actor=editor, expected_version=first.version)
    hidden = ClaimFactory(story=private, actor=reporter, text="Rumour about a second plane.")
    services.claim_hide(claim=hidden, actor=moderator, note="Unsourced")
    services.claim_assign(claim=hidden, assignee=reporter, actor=editor)
    services.note_add(claim=second, body="Call the airline back.", actor=editor)
    source_services.source_update(
        source=trudeau, name="Justin Trudeau, prime minister", kind="person", actor=moderator
    )
    # Merged into a figure made after it: a restore meets the link before the row it names.
    deaths = FigureFactory(story=public, subject="Canadian deaths", unit="people", actor=editor)
    services.figure_merge(figure=toll, into=deaths, actor=editor, expected_version=toll.version)
    hiding = Revision.objects.get(claim=hidden, kind="hidden")
    revision_redact(revision=hiding, actor=moderator, parts=["note"], reason="Internal wording")
    return {"public": public, "second": second, "toll": toll, "deaths": deaths}


def test_round_trip_recreates_every_row_exactly(desk, tmp_path):
    path = tmp_path / "desk.jsonl"
    before = _snapshot()
    call_command("export_all", str(path), stderr=open(tmp_path / "log", "w"))
    _wipe_desk()
    assert backup.existing_rows() == {}

    call_command("import_all", str(path), stdout=open(tmp_path / "out", "w"))

    after = _snapshot()
    assert after == before
    assert all(before[label] for label in before), "every exported model should have rows"
    claim = Claim.objects.get(pk=desk["second"].pk)
    assert (claim.figure_id, claim.value) == (desk["deaths"].pk, Decimal("57.125"))
    assert Revision.objects.filter(claim=claim).count() == claim.version
    toll = Figure.objects.get(pk=desk["toll"].pk)
    assert toll.merged_into_id == desk["deaths"].pk
    kinds = FigureRevision.objects.filter(figure=toll).values_list("kind", flat=True)
    assert list(kinds) == ["created", "merged_into"]


def test_new_rows_after_a_restore_get_fresh_ids(desk, tmp_path, reporter):
    path = tmp_path / "desk.jsonl"
    call_command("export_all", str(path), stderr=open(tmp_path / "log", "w"))
    highest = Claim.objects.order_by("-pk").values_list("pk", flat=True).first()
    _wipe_desk()
    call_command("import_all", str(path), stdout=open(tmp_path / "out", "w"))

    claim = ClaimFactory(story=desk["public"], actor=reporter)

    assert claim.pk > highest
    assert Revision.objects.get(claim=claim).number == 1


def test_export_names_users_only_by_username(desk, tmp_path, editor):
    path = tmp_path / "desk.jsonl"

    call_command("export_all", str(path), stderr=open(tmp_path / "log", "w"))

    text = path.read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines[0]["format"] == "claimdesk-export"
    users = [line for line in lines if line.get("model") == "auth.user"]
    assert {u["username"] for u in users} == {"eddie", "rita", "mona"}
    assert editor.password not in text and editor.email not in text
    claims = [line for line in lines if line.get("model") == "claims.claim"]
    assert claims[0]["fields"]["created_by"] == ["rita"]


def test_users_missing_at_restore_come_back_inactive_without_a_password(desk, tmp_path):
    path = tmp_path / "desk.jsonl"
    call_command("export_all", str(path), stderr=open(tmp_path / "log", "w"))
    _wipe_desk()
    get_user_model().objects.filter(username="mona").delete()

    call_command("import_all", str(path), stdout=open(tmp_path / "out", "w"))

    mona = get_user_model().objects.get(username="mona")
    assert (mona.is_active, mona.has_usable_password()) == (False, False)
    assert Revision.objects.filter(kind="hidden", actor=mona).count() == 1


def test_import_into_a_database_that_holds_claims_is_refused_and_writes_nothing(desk, tmp_path):
    path = tmp_path / "desk.jsonl"
    call_command("export_all", str(path), stderr=open(tmp_path / "log", "w"))
    before = _snapshot()

    with pytest.raises(CommandError, match="not empty"):
        call_command("import_all", str(path))

    assert _snapshot() == before


def test_import_of_a_file_that_is_not_an_export_is_refused(db, tmp_path):
    path = tmp_path / "other.jsonl"
    path.write_text('{"model": "claims.claim"}\n', encoding="utf-8")

    with pytest.raises(CommandError, match="not a claimdesk-export file"):
        call_command("import_all", str(path))

    assert backup.existing_rows() == {}


def test_an_export_of_the_version_before_figures_is_refused_with_what_to_do(db, tmp_path):
    path = tmp_path / "old.jsonl"
    header = {"format": backup.FORMAT, "version": 1, "exported_at": "2020-01-10T12:00:00Z"}
    path.write_text(json.dumps(header) + "\n", encoding="utf-8")

    with pytest.raises(CommandError, match="export is of version 1; this Claimdesk restores "
                       "version 2 only"):  # fmt: skip
        call_command("import_all", str(path))

    assert backup.existing_rows() == {}


def _export_with(tmp_path, extra: list[dict], *, after_line: int) -> tuple[object, int]:
    """An export of the desk with ``extra`` lines slipped in; the first one's line number."""
    path = tmp_path / "desk.jsonl"
    call_command("export_all", str(path), stderr=open(tmp_path / "log", "w"))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    crafted = [json.dumps(record) + "\n" for record in extra]
    path.write_text("".join(lines[:after_line] + crafted + lines[after_line:]), encoding="utf-8")
    return path, after_line + 1


SUPERUSER = {
    "model": "auth.User",
    "pk": 9001,
    "fields": {
        "username": "intruder",
        "password": "md5$salt$0123456789abcdef0123456789abcdef",
        "is_superuser": True,
        "is_staff": True,
        "is_active": True,
    },
}
SUBSCRIBER = {
    "model": "claims.webhooksubscriber",
    "pk": 9001,
    "fields": {"name": "Exfiltrate", "url": "https://attacker.example/hook", "secret": "s"},
}


@pytest.mark.parametrize(
    ("crafted", "named"),
    [(SUPERUSER, "'auth.User'"), (SUBSCRIBER, "'claims.webhooksubscriber'")],
    ids=["superuser", "webhook-subscriber"],
)
def test_a_model_export_all_does_not_write_refuses_the_whole_file(desk, tmp_path, crafted, named):
    # After the users and the sources and stories, so rows before it were already restored.
    path, line = _export_with(tmp_path, [crafted], after_line=8)
    _wipe_desk()
    get_user_model().objects.filter(username="mona").delete()

    with pytest.raises(CommandError, match=rf"^Nothing imported\. Line {line}: {named} is not"):
        call_command("import_all", str(path))

    assert backup.existing_rows() == {}
    assert not get_user_model().objects.filter(username__in=["intruder", "mona"]).exists()
    assert not WebhookSubscriber.objects.exists()


def test_a_user_line_with_more_than_a_username_is_refused(desk, tmp_path):
    crafted = {"model": "auth.user", "username": "intruder", "is_superuser": True}
    path, line = _export_with(tmp_path, [crafted], after_line=1)
    _wipe_desk()

    with pytest.raises(CommandError, match=rf"Line {line}: a auth.user line holds exactly model"):
        call_command("import_all", str(path))

    assert not get_user_model().objects.filter(username="intruder").exists()
    assert backup.existing_rows() == {}


def test_a_field_the_model_lacks_is_refused_with_its_line(desk, tmp_path):
    path = tmp_path / "desk.jsonl"
    call_command("export_all", str(path), stderr=open(tmp_path / "log", "w"))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(n for n, text in enumerate(lines, 1) if '"claims.claim"' in text)
    record = json.loads(lines[line - 1])
    record["fields"]["is_superuser"] = True
    lines[line - 1] = json.dumps(record) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    _wipe_desk()

    with pytest.raises(CommandError, match=rf"Line {line}: .*is_superuser"):
        call_command("import_all", str(path))

    assert backup.existing_rows() == {}


def test_a_row_naming_a_user_by_id_is_refused(tmp_path, superuser, story):
    claim_line = {
        "model": "claims.claim",
        "pk": 1,
        "fields": {
            "story": story.pk,
            "text": "Attributed to whoever has id 1.",
            "changed_at": "2020-01-10T12:00:00Z",
            "created_by": superuser.pk,
        },
    }
    path = tmp_path / "crafted.jsonl"
    header = {"format": backup.FORMAT, "version": backup.FORMAT_VERSION, "exported_at": "x"}
    path.write_text("\n".join(json.dumps(line) for line in [header, claim_line]) + "\n")
    _wipe_desk()

    with pytest.raises(backup.ImportRefused, match="by username"):
        backup.import_all(path.open(encoding="utf-8"))

    assert not Claim.objects.exists()

"""Ingest: live-update text in, candidate claims out, and the editor's decisions on them."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims import tasks
from claims.models import Attribution, Claim, IngestCandidate, IngestJob
from claims.services import ingest
from tests.support.background import task_time_limit
from tests.support.factories import FigureFactory, ReportFactory, SourceFactory

SEED = Path(__file__).resolve().parents[2] / "data" / "live-updates-ps752.txt"
CORRECTION = (
    "Canada's Foreign Minister Francois-Philippe Champagne said in a news conference on Friday "
    "that the number of Canadian victims from Ukrainian International Airlines flight PS752 "
    "is 57, not 63 as was first stated."
)


def _ingest(story, text, actor, django_capture_on_commit_callbacks) -> IngestJob:
    with django_capture_on_commit_callbacks(execute=True):
        job = ingest.ingest_job_create(story=story, text=text, actor=actor)
    job.refresh_from_db()
    return job


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def victims(story, reporter):
    return FigureFactory(story=story, subject="Canadian victims", unit="people", actor=reporter)


@pytest.fixture
def report_63(victims, reporter) -> Claim:
    return ReportFactory(
        figure=victims, value=63, source=SourceFactory(name="Government of Canada"),
        text="Canada says 63 of its citizens died on flight PS752.", actor=reporter,
    )  # fmt: skip


def test_seed_ingest_links_the_correction_to_the_figure_and_the_report_it_corrects(
    story, editor, victims, report_63, seed_text, eager_celery, django_capture_on_commit_callbacks
):
    job = _ingest(story, seed_text, editor, django_capture_on_commit_callbacks)

    assert job.state == IngestJob.State.DONE
    candidate = job.candidates.get(sentence=CORRECTION)
    assert candidate.speaker.endswith("Francois-Philippe Champagne")  # a name, not a title
    assert candidate.speaker_kind == "person"
    assert (candidate.figure, candidate.conflicting_claim) == (victims, report_63)
    assert candidate.flag == IngestCandidate.Flag.CORRECTION
    assert (
        candidate.corrects.items() >= {"old": 63, "new": 57, "subject": "Canadian victims"}.items()
    )
    assert candidate.corrects["reason"] == "stated as a correction"
    [conflict] = [c for c in job.conflicts if candidate.index in c["candidates"]]
    assert (
        conflict.items()
        >= {
            "subject": "Canadian victims",
            "values": [63, 57],
            "candidates": [candidate.index],
            "kind": "correction",
        }.items()
    )
    others = job.candidates.exclude(pk=candidate.pk)
    assert not others.filter(figure__isnull=False).exists()


@pytest.mark.parametrize(
    ("start", "speaker"),
    [
        ("The airliner that crashed in Iran, killing all 176", "Justin Trudeau"),
        ("Canadian Prime Minister Justin Trudeau says the Ukrainian airliner", "Justin Trudeau"),
        ("US officials believe that Iranian missiles caused the crash", "US officials"),
        ("One US official told Reuters that US satellites", "One US official"),
        ("Ukraine's President Volodymyr Zelenskiy said on Friday that the possibility a missile",
         "Volodymyr Zelenskiy"),
        ("Nick Waters, a senior investigator at Bellingcat", "Nick Waters"),
    ],
)  # fmt: skip
def test_seed_ingest_proposes_the_missile_cause_statements_with_their_speakers(
    story, editor, seed_text, eager_celery, django_capture_on_commit_callbacks, start, speaker
):
    job = _ingest(story, seed_text, editor, django_capture_on_commit_callbacks)

    candidate = job.candidates.get(sentence__startswith=start)
    assert candidate.speaker.endswith(speaker)  # the name, with or without its title
    assert 0 <= candidate.score <= 1


def test_correction_in_another_style_flags_the_report_it_corrects(
    story, reporter, editor, eager_celery, django_capture_on_commit_callbacks
):
    injured = FigureFactory(story=story, subject="injured", unit="people", actor=reporter)
    existing = ReportFactory(figure=injured, value=22, text="22 people were injured.",
                             actor=reporter)  # fmt: skip
    text = "Police said the number of injured was revised to 18 from 22 on Monday."

    job = _ingest(story, text, editor, django_capture_on_commit_callbacks)

    [candidate] = job.candidates.all()
    assert (candidate.figure, candidate.conflicting_claim) == (injured, existing)
    assert candidate.flag == IngestCandidate.Flag.CORRECTION


def test_accepting_files_a_report_of_the_linked_figure_credited_to_the_speaker(
    story, editor, victims, seed_text, eager_celery, django_capture_on_commit_callbacks
):
    job = _ingest(story, seed_text, editor, django_capture_on_commit_callbacks)
    candidate = job.candidates.get(sentence=CORRECTION)
    assert candidate.figure == victims

    claim = ingest.ingest_candidate_accept(candidate=candidate, actor=editor, figure=victims)

    assert (claim.text, claim.figure, claim.value, claim.approximation) == (
        candidate.claim_text, victims, 57, "exact"
    )  # fmt: skip
    assert claim.text.startswith(f"{candidate.speaker} revises")
    attribution = Attribution.objects.get(claim=claim)
    assert attribution.source.name == candidate.speaker
    assert attribution.source.name.endswith("Francois-Philippe Champagne")
    assert attribution.quote == CORRECTION
    assert attribution.said_at is not None
    candidate.refresh_from_db()
    assert (candidate.decision, candidate.claim, candidate.figure) == ("accepted", claim, victims)


def test_a_decided_candidate_cannot_be_decided_again(
    story, editor, eager_celery, django_capture_on_commit_callbacks
):
    job = _ingest(story, CORRECTION, editor, django_capture_on_commit_callbacks)
    candidate = job.candidates.get()
    ingest.ingest_candidate_dismiss(candidate=candidate, actor=editor)

    with pytest.raises(ingest.ValidationError, match="already dismissed"):
        ingest.ingest_candidate_accept(candidate=candidate, actor=editor)

    assert not Claim.objects.filter(text=CORRECTION).exists()


def test_running_the_extraction_twice_keeps_one_set_of_candidates(
    story, editor, eager_celery, django_capture_on_commit_callbacks
):
    job = _ingest(story, CORRECTION, editor, django_capture_on_commit_callbacks)

    again = ingest.ingest_job_run(job_id=job.pk, read_figures=tasks.story_figures)

    assert again is None
    assert job.candidates.count() == 1


# --- pages ----------------------------------------------------------------------------------


def test_ingest_form_creates_a_job_and_redirects_to_it(
    client, story, editor, eager_celery, django_capture_on_commit_callbacks
):
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ingest_new"), {"story": story.pk, "text": CORRECTION})

    job = IngestJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Champagne" in page
    assert "Accept as claim" in page
    assert 'hx-trigger="every 2s"' not in page


def test_uploaded_text_file_is_ingested(client, story, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("updates.txt", CORRECTION.encode(), content_type="text/plain")

    response = client.post(reverse("ingest_new"), {"story": story.pk, "file": upload})

    assert response.status_code == 302
    assert IngestJob.objects.get().text == CORRECTION


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   \n  "}, "The text is empty"),
        ({"file": SimpleUploadedFile("x.txt", b"\x89PNG\r\n\x1a\n\x00\x00")}, "binary file"),
        ({"file": SimpleUploadedFile("x.txt", b"\xff\xfe\xfa text")}, "not UTF-8 text"),
        ({"file": SimpleUploadedFile("x.txt", b"a" * (2 * 1024 * 1024 + 1))}, "over 2 MB"),
        ({"text": "a" * (2 * 1024 * 1024 + 1)}, "over 2 MB"),
    ],
)
def test_bad_input_gets_a_clear_error_and_creates_nothing(client, story, editor, data, message):
    client.force_login(editor)

    response = client.post(reverse("ingest_new"), {"story": story.pk, **data})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not IngestJob.objects.exists()


def test_pending_job_page_polls_its_status(client, story, editor):
    job = ingest.ingest_job_create(story=story, text=CORRECTION, actor=editor)  # not yet run
    client.force_login(editor)

    page = client.get(job.get_absolute_url()).content.decode()
    fragment = client.get(reverse("ingest_status", args=[job.pk]), HTTP_HX_REQUEST="true")

    assert 'hx-trigger="every 2s"' in page
    assert reverse("ingest_status", args=[job.pk]) in page
    assert "Waiting" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()


def test_ingest_needs_permission_to_create_claims(client, moderator, story):
    client.force_login(moderator)

    response = client.get(reverse("ingest_new"))

    assert response.status_code == 403


# --- command --------------------------------------------------------------------------------


def test_extract_claims_prints_the_json_contract_for_the_seed():
    out = StringIO()

    call_command("extract_claims", str(SEED), "--format", "json", stdout=out)

    result = json.loads(out.getvalue())
    assert set(result) == {"candidates", "conflicts"}
    first = result["candidates"][0]
    assert {"sentence", "speaker", "quantities", "score"} <= set(first)
    said = {"value": 57, "unit": None, "subject": "Canadian victims"}
    assert any(q.items() >= said.items() for q in first["quantities"])
    corrected = {"subject": "Canadian victims", "values": [63, 57], "candidates": [0],
                 "kind": "correction"}  # fmt: skip
    assert any(c.items() >= corrected.items() for c in result["conflicts"])


def test_extract_claims_reads_live_blog_times_on_the_day_and_zone_given(tmp_path):
    path = tmp_path / "updates.txt"
    path.write_text("14:05 GMT Officials said 12 people were hurt.", encoding="utf-8")
    out = StringIO()

    call_command(
        "extract_claims", str(path), "--date", "2020-01-10", "--time-zone", "Asia/Tehran",
        stdout=out,
    )  # fmt: skip

    [found] = json.loads(out.getvalue())["candidates"]
    assert found["time"] == "2020-01-10T17:35:00+03:30"
    assert found["sentence"] == "Officials said 12 people were hurt."


def test_extract_claims_refuses_an_unknown_time_zone(tmp_path):
    path = tmp_path / "updates.txt"
    path.write_text("Officials said 12 people were hurt.", encoding="utf-8")

    with pytest.raises(CommandError, match="'Mars/Olympus' is not a time zone"):
        call_command("extract_claims", str(path), "--time-zone", "Mars/Olympus")


def test_extract_claims_with_a_story_reports_conflicts_with_its_figures(
    report_63, victims, story, tmp_path
):
    path = tmp_path / "updates.txt"
    path.write_text("Officials now say 57 Canadian victims were on board.", encoding="utf-8")
    out = StringIO()

    call_command("extract_claims", str(path), "--story", story.slug, stdout=out)

    conflicts = json.loads(out.getvalue())["conflicts"]
    assert {"subject": "Canadian victims", "values": [63, 57], "candidates": [0],
            "kind": "disagreement", "claim": report_63.pk,
            "figure": victims.pk} in conflicts  # fmt: skip


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\x00\x01\x02binary", "binary"), (b"\xff\xfe\xfa", "not UTF-8")],
)
def test_extract_claims_refuses_bad_files_clearly(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        call_command("extract_claims", str(path))


# --- time limits ----------------------------------------------------------------------------


def test_inline_ingest_of_the_reported_run_of_numbers_finishes_within_the_inline_limit(
    story, editor, eager_celery, django_capture_on_commit_callbacks
):
    text = "1 " * (16 * 1024)  # the 32 KB of "1 1 1 …" that once held a request for 35 s

    with task_time_limit(tasks.INLINE_EXTRACTION_SECONDS):
        job = _ingest(story, text, editor, django_capture_on_commit_callbacks)

    assert job.state == IngestJob.State.DONE
    assert job.candidates.count() == 9  # a sentence per 4,000 characters of the one line


def test_inline_ingest_out_of_time_fails_the_job_with_a_message_for_the_editor(
    client, story, editor, eager_celery, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(tasks, "INLINE_EXTRACTION_SECONDS", 0)

    job = _ingest(story, CORRECTION, editor, django_capture_on_commit_callbacks)

    assert job.state == IngestJob.State.FAILED
    assert job.error == (
        "The text needs more than 0 s to analyse; split it into smaller parts and ingest them "
        "one at a time."
    )
    assert not job.candidates.exists()
    client.force_login(editor)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Extraction failed: The text needs more than 0 s to analyse" in page


def test_a_job_cut_off_by_the_task_time_limit_is_failed_and_says_so(story, editor):
    job = ingest.ingest_job_create(story=story, text="1 " * (1024 * 1024), actor=editor)

    with task_time_limit(0.5):
        outcome = tasks.ingest_extract.apply(args=[job.pk]).get()

    job.refresh_from_db()
    assert outcome == "failed"
    assert job.state == IngestJob.State.FAILED
    assert job.error == (
        f"The text took longer than the {tasks.INGEST_SOFT_TIME_LIMIT} s limit to ingest; split "
        "it into smaller parts and ingest them one at a time."
    )
    assert not job.candidates.exists()

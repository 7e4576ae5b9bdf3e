"""The claim page and its actions: in place with htmx, and as plain form posts."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.models import Claim, Evidence, Note, Revision, StatusCount
from tests.support.factories import ClaimFactory, EvidenceFactory, FigureFactory, SourceFactory

pytestmark = pytest.mark.django_db


HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def figure(story, reporter):
    return FigureFactory(story=story, actor=reporter, subject="Canadian victims", unit="people")


@pytest.fixture
def claim(story, reporter, figure):
    return ClaimFactory(
        story=story,
        actor=reporter,
        text="63 Canadians were on board flight PS752.",
        figure=figure,
        value=63,
    )


@pytest.fixture
def claim_with_evidence(claim, reporter):
    EvidenceFactory(claim=claim, actor=reporter, url="https://news.example/manifest")
    claim.refresh_from_db()
    return claim


def page(client, claim) -> str:
    return client.get(reverse("claim_detail", args=[claim.pk])).content.decode()


def post_status(client, claim, status, rationale, version, **extra):
    return client.post(
        reverse("claim_status", args=[claim.pk]),
        {"status": status, "rationale": rationale, "version": version},
        **extra,
    )


def test_claim_page_shows_claim_attribution_evidence_and_timeline(client, editor, claim, reporter):
    services.attribution_add(
        claim=claim,
        source=SourceFactory(name="Justin Trudeau"),
        actor=reporter,
        quote="63 Canadians were on board",
        outlet="National Press Theatre",
    )
    EvidenceFactory(claim=claim, actor=reporter, stance="refutes", excerpt="The list says 57.")
    client.force_login(editor)

    html = page(client, claim)

    assert "63 Canadians were on board flight PS752." in html
    assert "Reports <strong>63 people</strong> of " in html
    assert (
        f'<a href="/stories/{claim.story.slug}/figures/{claim.figure_id}/">Canadian victims' in html
    )
    assert 'class="badge unverified">Unverified<' in html
    assert "Justin Trudeau" in html and "National Press Theatre" in html
    assert "“63 Canadians were on board”" in html
    assert '<h3 class="stance">Refutes</h3>' in html and "The list says 57." in html
    assert "Attribution added" in html and "Evidence added" in html and "Created" in html


def test_a_typo_fix_shows_word_diff_and_old_to_new_value(client, editor, claim):
    services.claim_edit(
        claim=claim,
        actor=editor,
        expected_version=1,
        text="57 Canadians were on board flight PS752.",
        value=57,
        note="Typed 63 for the minister's 57",
    )
    client.force_login(editor)

    html = page(client, claim)

    assert "<del>63</del> <ins>57</ins>" in html
    assert "<del>63</del> → <ins>57</ins>" in html
    assert "<strong>Figure typo corrected</strong>" in html
    assert "The desk corrected its own typo in the value" in html
    assert "Typed 63 for the minister&#x27;s 57" in html


def test_status_form_has_the_exact_labels_and_button(client, editor, claim):
    client.force_login(editor)

    html = page(client, claim)

    assert '<label for="status-status">Status</label>' in html
    assert '<label for="status-rationale">Rationale</label>' in html
    assert '<button type="submit">Change status</button>' in html
    assert f'<input type="hidden" name="version" value="{claim.version}"' in html


def test_status_change_without_javascript_redirects_and_saves(client, editor, claim_with_evidence):
    claim = claim_with_evidence
    client.force_login(editor)

    response = post_status(client, claim, "false", "The manifest lists 57.", claim.version)

    assert response.status_code == 302
    assert response["Location"] == reverse("claim_detail", args=[claim.pk])
    claim.refresh_from_db()
    assert (claim.status, claim.rationale) == ("false", "The manifest lists 57.")
    assert "Status changed." in page(client, claim)


def test_status_change_with_htmx_returns_badge_timeline_and_counts_together(
    client, editor, claim_with_evidence, story
):
    claim = claim_with_evidence
    client.force_login(editor)

    response = post_status(client, claim, "confirmed", "Manifest agrees.", claim.version, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<form id="form-status"')
    assert '<section id="claim-state" class="card" hx-swap-oob="true"' in html
    assert 'class="badge confirmed">Confirmed<' in html
    assert '<section id="claim-timeline" class="card" hx-swap-oob="true"' in html
    assert "<del>Unverified</del> → <ins>Confirmed</ins>" in html
    assert '<section id="claim-counts" class="card" hx-swap-oob="true"' in html
    assert 'id="evidence-version" hx-swap-oob="true"' in html
    assert StatusCount.objects.get(story=story, status="confirmed").count == 1


def test_verdict_without_evidence_is_refused_with_the_reason(client, editor, claim):
    client.force_login(editor)

    response = post_status(client, claim, "confirmed", "Looks right.", 1, **HTMX)

    assert response.status_code == 422
    html = response.content.decode()
    assert "A verdict needs at least one piece of evidence" in html
    assert "Looks right." in html
    claim.refresh_from_db()
    assert claim.status == "unverified" and claim.version == 1


def test_invalid_post_without_javascript_rerenders_the_page_with_errors(client, editor, claim):
    client.force_login(editor)

    response = post_status(client, claim, "not-a-status", "x" * 5001, 1)

    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" in html and "Select a valid choice." in html
    assert "Ensure this value has at most 5000 characters" in html
    assert Claim.objects.get(pk=claim.pk).version == 1


def test_stale_edit_is_refused_and_keeps_input(client, editor, claim_with_evidence):
    claim = claim_with_evidence
    stale_version = claim.version
    services.claim_set_status(
        claim=claim, status="in_review", rationale="", actor=editor, expected_version=stale_version
    )
    client.force_login(editor)

    response = post_status(client, claim, "false", "My careful rationale.", stale_version, **HTMX)

    html = response.content.decode()
    assert response.status_code == 409
    assert "This claim changed while you were working on it." in html
    assert "<strong>eddie</strong> status changed" in html
    assert "Status Unverified → In review" in html
    assert "My careful rationale." in html
    assert '<option value="false" selected>' in html
    assert f'name="version" value="{stale_version + 1}"' in html
    assert 'class="badge in_review">In review<' in html
    claim.refresh_from_db()
    assert claim.status == "in_review" and claim.rationale == ""


def test_resubmitting_after_a_conflict_goes_through(client, editor, claim_with_evidence):
    claim = claim_with_evidence
    stale_version = claim.version
    services.claim_assign(claim=claim, assignee=editor, actor=editor)
    client.force_login(editor)
    conflict = post_status(client, claim, "false", "Resubmitted.", stale_version, **HTMX)
    fresh_version = int(
        re.search(r'name="version" value="(\d+)"', conflict.content.decode()).group(1)
    )

    response = post_status(client, claim, "false", "Resubmitted.", fresh_version, **HTMX)

    assert response.status_code == 200
    claim.refresh_from_db()
    assert (claim.status, claim.rationale) == ("false", "Resubmitted.")


def test_conflict_without_javascript_renders_the_page_with_409(client, editor, claim):
    services.claim_assign(claim=claim, assignee=editor, actor=editor)
    client.force_login(editor)

    response = post_status(client, claim, "in_review", "Checking.", 1)

    assert response.status_code == 409
    html = response.content.decode()
    assert "<html" in html and "This claim changed while you were working on it." in html
    assert "Checking." in html


def test_reporter_gets_no_status_control_and_is_refused(client, reporter, claim):
    client.force_login(reporter)

    html = page(client, claim)
    response = post_status(client, claim, "in_review", "", 1)

    assert "Change status" not in html
    assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == "unverified"


def test_add_evidence_in_place_updates_the_evidence_list(client, reporter, claim):
    client.force_login(reporter)

    response = client.post(
        reverse("claim_evidence_add", args=[claim.pk]),
        {"url": "https://news.example/ps752", "stance": "supports", "excerpt": "", "version": 1},
        **HTMX,
    )

    assert response.status_code == 200
    assert "https://news.example/ps752" in response.content.decode()
    assert 'Evidence <span class="count">(1)</span>' in response.content.decode()
    assert Evidence.objects.filter(claim=claim).count() == 1


def test_bad_evidence_link_is_refused_with_a_field_error(client, reporter, claim):
    client.force_login(reporter)

    response = client.post(
        reverse("claim_evidence_add", args=[claim.pk]),
        {"url": "javascript:alert(1)", "stance": "supports", "version": 1},
        **HTMX,
    )

    assert response.status_code == 422
    assert "Enter a valid URL." in response.content.decode()
    assert not Evidence.objects.filter(claim=claim).exists()


def test_add_attribution_records_who_said_it(client, reporter, claim):
    source = SourceFactory(name="Francois-Philippe Champagne")
    client.force_login(reporter)

    response = client.post(
        reverse("claim_attribution_add", args=[claim.pk]),
        {
            "source": "francois-philippe champagne",
            "quote": "57 Canadians",
            "outlet": "CBC",
            "said_at": "2020-01-09T14:00",
            "version": 1,
        },
    )

    assert response.status_code == 302
    attribution = claim.attributions.get()
    assert (attribution.source, attribution.quote, attribution.outlet) == (
        source,
        "57 Canadians",
        "CBC",
    )


def test_attribution_to_a_new_name_creates_the_source(client, reporter, claim):
    client.force_login(reporter)

    response = client.post(
        reverse("claim_attribution_add", args=[claim.pk]),
        {"source": "  Hassan Rouhani ", "quote": "An unforgivable mistake", "version": 1},
        **HTMX,
    )

    assert response.status_code == 200
    attribution = claim.attributions.get()
    assert (attribution.source.name, attribution.source.kind) == ("Hassan Rouhani", "person")


def test_attribution_without_a_name_is_refused_and_creates_nothing(client, reporter, claim):
    client.force_login(reporter)

    response = client.post(
        reverse("claim_attribution_add", args=[claim.pk]),
        {"source": "   ", "quote": "Who said this?", "version": 1},
        **HTMX,
    )

    assert response.status_code == 422
    assert "Name who made the claim." in response.content.decode()
    assert not claim.attributions.exists()


def test_stale_attribution_leaves_no_new_source_behind(client, reporter, claim):
    from sources.models import Source

    client.force_login(reporter)

    response = client.post(
        reverse("claim_attribution_add", args=[claim.pk]),
        {"source": "A brand new official", "version": 7},
        **HTMX,
    )

    assert response.status_code == 409
    assert not Source.objects.filter(name="A brand new official").exists()


def test_evidence_names_its_publisher_by_name(client, reporter, claim):
    reuters = SourceFactory(name="Reuters")
    client.force_login(reporter)

    response = client.post(
        reverse("claim_evidence_add", args=[claim.pk]),
        {
            "url": "https://news.example/ps752",
            "stance": "supports",
            "source": "REUTERS",
            "version": 1,
        },
    )

    assert response.status_code == 302
    assert Evidence.objects.get(claim=claim).source == reuters


def test_source_fields_suggest_recent_sources_without_listing_every_source(
    client, editor, reporter, claim
):
    services.attribution_add(
        claim=claim, source=SourceFactory(name="Ali Abedzadeh"), actor=reporter
    )
    SourceFactory(name="Never cited anywhere")
    client.force_login(editor)

    html = page(client, claim)

    assert '<label for="attribution-source">Who said it</label>' in html
    assert '<label for="evidence-source">Published by</label>' in html
    assert 'list="source-names"' in html
    assert '<option value="Ali Abedzadeh"></option>' in html
    assert "Never cited anywhere" not in html


def test_edit_text_and_value_in_place(client, reporter, claim):
    client.force_login(reporter)

    response = client.post(
        reverse("claim_edit", args=[claim.pk]),
        {
            "text": "57 Canadians were on board flight PS752.",
            "figure": str(claim.figure_id),
            "value": "57",
            "approximation": "exact",
            "note": "Typo: the release said 57",
            "version": 1,
        },
        **HTMX,
    )

    assert response.status_code == 200
    assert "<del>63</del> → <ins>57</ins>" in response.content.decode()
    claim.refresh_from_db()
    assert claim.value == 57 and claim.version == 2
    assert claim.revisions.get(number=2).kind == "value_fixed"


def test_oversized_text_is_refused_with_a_field_error(client, reporter, claim):
    client.force_login(reporter)

    response = client.post(
        reverse("claim_edit", args=[claim.pk]), {"text": "x" * 2001, "version": 1}, **HTMX
    )

    assert response.status_code == 422
    assert "Ensure this value has at most 2000 characters" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).version == 1


def test_assign_to_me(client, reporter, claim):
    client.force_login(reporter)

    response = client.post(reverse("claim_assign", args=[claim.pk]), {"version": 1}, **HTMX)

    assert response.status_code == 200
    assert "This claim is assigned to you." in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).assignee == reporter


def test_supersede_search_offers_claims_in_the_same_story(client, editor, claim, story, reporter):
    newer = ClaimFactory(story=story, actor=reporter, text="57 Canadians were on board PS752.")
    ClaimFactory(story=story, actor=reporter, text="The black box stays in Iran.")
    client.force_login(editor)

    response = client.get(
        reverse("claim_supersede", args=[claim.pk]), {"q": "Canadians on board"}, **HTMX
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<fieldset id="supersede-candidates"')
    assert f'value="{newer.pk}"' in html
    assert "black box" not in html
    assert f'value="{claim.pk}"' not in html


def test_supersede_search_without_javascript_shows_the_claim_page(client, editor, claim, story):
    newer = ClaimFactory(story=story, actor=editor, text="57 Canadians were on board PS752.")
    client.force_login(editor)

    response = client.get(reverse("claim_supersede", args=[claim.pk]), {"q": "Canadians"})

    html = response.content.decode()
    assert "<html" in html and f'name="by" value="{newer.pk}"' in html


def test_supersede_by_picked_claim_shows_the_chain_both_ways(client, editor, claim, story):
    newer = ClaimFactory(
        story=story,
        actor=editor,
        text="57 Canadians were on board PS752.",
        figure=claim.figure,
        value=57,
    )
    client.force_login(editor)

    response = client.post(
        reverse("claim_supersede", args=[claim.pk]),
        {"by": newer.pk, "note": "Minister's figure", "version": 1},
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "superseded" and claim.superseded_by == newer
    assert (
        f'Replaced by <a href="/claims/{newer.pk}/">#{newer.pk}: 57 Canadians were on board '
        "PS752.</a> (57 people)"
    ) in page(client, claim)
    assert (
        f'Replaces <a href="/claims/{claim.pk}/">#{claim.pk}: 63 Canadians were on board flight '
        "PS752.</a> (63 people)"
    ) in page(client, newer)


def test_supersede_by_unknown_number_is_a_field_error(client, editor, claim):
    client.force_login(editor)

    response = client.post(
        reverse("claim_supersede", args=[claim.pk]), {"by_number": 99999, "version": 1}, **HTMX
    )

    assert response.status_code == 422
    assert "There is no claim number 99999." in response.content.decode()


def test_internal_note_is_added_in_place(client, reporter, claim):
    client.force_login(reporter)

    response = client.post(
        reverse("claim_note_add", args=[claim.pk]), {"body": "Call the embassy."}, **HTMX
    )

    assert response.status_code == 200
    assert "Call the embassy." in response.content.decode()
    assert Note.objects.get(claim=claim).author == reporter


def test_hidden_claim_is_404_for_reporters_and_visible_to_editors(client, editor, reporter, claim):
    services.claim_hide(claim=claim, actor=editor)

    client.force_login(reporter)
    as_reporter = client.get(reverse("claim_detail", args=[claim.pk]))
    client.force_login(editor)
    as_editor = client.get(reverse("claim_detail", args=[claim.pk]))

    assert as_reporter.status_code == 404
    assert as_editor.status_code == 200


def test_unknown_claim_is_404(client, editor):
    client.force_login(editor)

    assert client.get(reverse("claim_detail", args=[424242])).status_code == 404
    assert client.post(reverse("claim_status", args=[424242]), {}).status_code == 404


def test_post_without_csrf_token_is_refused(editor, claim_with_evidence):
    claim = claim_with_evidence
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    response = post_status(client, claim, "in_review", "", claim.version)

    assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == "unverified"


def test_claim_text_is_escaped_on_the_page(client, editor, story, reporter):
    claim = ClaimFactory(story=story, actor=reporter, text="<script>alert(1)</script>")
    client.force_login(editor)

    html = page(client, claim)

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize("rows", [5, 50])
def test_claim_page_runs_a_constant_number_of_queries(
    client, editor, reporter, claim, rows, django_assert_max_num_queries
):
    source = SourceFactory(name="Reuters")
    for n in range(rows):
        EvidenceFactory(claim=claim, actor=reporter, source=source)
        services.attribution_add(claim=claim, source=source, actor=reporter, quote=f"q{n}")
        services.note_add(claim=claim, body=f"note {n}", actor=reporter)
    client.force_login(editor)

    # On a cold cache; the timeline's redactions, the sources' renames and whether the
    # logger's name was redacted are one query each, and so are the story's figures (the
    # edit form's choices, among them the claim's own) and the figure's other reports; the
    # desk's people, whom an editor may assign it to, are read once a minute.
    with django_assert_max_num_queries(19):
        response = client.get(reverse("claim_detail", args=[claim.pk]))

    assert response.content.decode().count('class="revision kind-') == 1 + 2 * rows
    assert Revision.objects.filter(claim=claim).count() == 1 + 2 * rows


def test_claim_page_polls_a_pending_capture_and_shows_a_settled_one(client, editor, story):
    from claims import services
    from claims.models import Evidence
    from tests.support.factories import ClaimFactory

    claim = ClaimFactory(story=story, actor=editor)
    pending = services.evidence_add(
        claim=claim, url="https://news.example/pending", stance="supports", actor=editor
    )
    blocked = services.evidence_add(
        claim=claim, url="https://news.example/blocked", stance="refutes", actor=editor
    )
    Evidence.objects.filter(pk=blocked.pk).update(
        capture_status="blocked", capture_error="blocked: 10.0.0.5 is a private address"
    )
    client.force_login(editor)

    page = client.get(f"/claims/{claim.pk}/").content.decode()

    assert f'hx-get="/evidence/{pending.pk}/capture/"' in page
    assert 'hx-trigger="every 2s"' in page
    assert "Capture blocked" in page
    assert "10.0.0.5 is a private address" in page
    assert f'hx-get="/evidence/{blocked.pk}/capture/"' not in page


def test_a_long_capture_shows_its_opening_and_the_page_reads_no_more_of_it(
    client, editor, claim, reporter
):
    evidence = EvidenceFactory(claim=claim, actor=reporter, url="https://news.example/long")
    opening = "Ottawa revised the toll from 63 to 57 Canadian citizens. "
    Evidence.objects.filter(pk=evidence.pk).update(
        capture_status=Evidence.Capture.CAPTURED,
        capture_text=opening + "filler " * 20_000 + "TAIL-OF-THE-CAPTURE",
    )
    client.force_login(editor)

    with CaptureQueriesContext(connection) as captured:
        html = page(client, claim)

    assert opening.strip() in html
    assert "TAIL-OF-THE-CAPTURE" not in html
    assert "…" in html
    column = '"claims_evidence"."capture_text"'
    reads = [q["sql"] for q in captured.captured_queries if 'FROM "claims_evidence"' in q["sql"]]
    cut = re.compile(r"SUBSTR(?:ING)?\(" + re.escape(column))
    assert reads and all(sql.count(column) == len(cut.findall(sql)) for sql in reads)
    # The capture's own page shows the same opening.
    state = client.get(reverse("evidence_capture_state", args=[evidence.pk])).content.decode()
    assert opening.strip() in state and "TAIL-OF-THE-CAPTURE" not in state

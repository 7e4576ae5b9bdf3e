"""The admin as a moderator reads it: the product's name, status labels, errors that name
their field, revisions as the desk's diff, values as numbers, statuses ticked, sources'
kinds corrected (and the public ClaimReview following)."""

import re

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim, Revision, WebhookSubscriber
from sources import services as source_services
from sources.models import Source, SourceRevision
from tests.support.factories import ClaimFactory, EvidenceFactory, FigureFactory, ReportFactory
from tests.support.public import jsonld_blocks, rule

pytestmark = pytest.mark.django_db

CLAIMS = "/admin/claims/claim/"
REVISIONS = "/admin/claims/revision/"
SOURCES = "/admin/sources/source/"


def _messages(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", m).strip() for m in re.findall(r'<li class="\w+">(.*?)</li>', html)]


def test_the_admin_is_branded_claimdesk_moderation(client, moderator):
    client.force_login(moderator)

    page = client.get("/admin/").content.decode()

    assert "<title>Moderate claims, sources and people | Claimdesk moderation</title>" in page
    assert '<a href="/admin/">Claimdesk moderation</a>' in page
    assert "Django administration" not in page and "Django site admin" not in page
    assert "/static/css/admin.css" in page


def test_a_status_set_in_bulk_is_reported_by_its_label(client, superuser, story, reporter):
    claims = [ClaimFactory(story=story, actor=reporter) for _ in range(2)]
    client.force_login(superuser)

    response = client.post(
        CLAIMS,
        {"action": "set_status", "_selected_action": [c.pk for c in claims], "status": "in_review"},
        follow=True,
    )

    assert _messages(response.content.decode()) == ["Status set to In review: 2 claims."]
    assert set(Claim.objects.values_list("status", flat=True)) == {"in_review"}


def test_a_ruling_without_a_rationale_is_refused_once_naming_the_field(
    client, superuser, story, reporter
):
    claim = ClaimFactory(story=story, actor=reporter)
    EvidenceFactory(claim=claim, actor=reporter)
    client.force_login(superuser)

    response = client.post(
        CLAIMS,
        {
            "action": "set_status",
            "_selected_action": [claim.pk],
            "status": "confirmed",
            "note": " ",
        },
        follow=True,
    )

    assert _messages(response.content.decode()) == [
        "Nothing changed. Rationale: a ruling needs a rationale."
    ]
    assert Claim.objects.get(pk=claim.pk).status == "unverified"


def test_a_refusal_by_the_service_names_the_field_and_the_status_label(
    client, superuser, story, reporter
):
    claim = ClaimFactory(story=story, actor=reporter)
    client.force_login(superuser)

    response = client.post(
        CLAIMS,
        {"action": "set_status", "_selected_action": [claim.pk], "status": "unverified"},
        follow=True,
    )

    assert _messages(response.content.decode()) == [
        f"Not changed #{claim.pk}: Status: The claim is already Unverified."
    ]


def test_a_redaction_without_a_reason_names_the_reason(client, moderator, story, reporter):
    claim = ClaimFactory(story=story, actor=reporter, text="The first toll was 63.")
    services.claim_edit(
        claim=claim, actor=reporter, expected_version=claim.version, text="The toll is 57."
    )
    first = Revision.objects.get(claim=claim, number=1)
    client.force_login(moderator)

    response = client.post(
        REVISIONS,
        {"action": "redact", "_selected_action": [first.pk], "parts": ["text"], "reason": ""},
        follow=True,
    )

    assert _messages(response.content.decode()) == [
        f"Not redacted {first}: Reason: This field cannot be empty."
    ]


def test_a_revision_reads_as_the_desks_diff(client, moderator, story, reporter):
    claim = ClaimFactory(story=story, actor=reporter, text="Iran fired two missiles at the jet.")
    services.claim_edit(
        claim=claim,
        actor=reporter,
        expected_version=claim.version,
        text="Iran fired three missiles at the jet.",
    )
    edit = Revision.objects.get(claim=claim, number=2)
    client.force_login(moderator)

    revision_page = client.get(reverse("admin:claims_revision_change", args=[edit.pk])).text
    claim_page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).text

    diff = "Iran fired <del>two</del> <ins>three</ins> missiles at the jet."
    for page in (revision_page, claim_page):
        assert '<dl class="changes">' in page
        assert diff in re.sub(r"\s+", " ", page)
        assert "&quot;text&quot;: &quot;Iran" not in page  # not the raw JSON


def test_a_status_revision_shows_labels_before_and_after(client, moderator, story, editor):
    claim = ClaimFactory(story=story, actor=editor)
    services.claim_set_status(
        claim=claim, status="in_review", rationale="", actor=editor, expected_version=claim.version
    )
    change = Revision.objects.get(claim=claim, kind="status")
    client.force_login(moderator)

    page = client.get(reverse("admin:claims_revision_change", args=[change.pk])).text
    listing = client.get(REVISIONS).text

    assert "<del>Unverified</del> → <ins>In review</ins>" in page
    assert "Status: Unverified → In review" in listing
    assert "in_review" not in page.split('id="content"')[1]


def test_a_reported_value_reads_as_a_number(client, moderator, story, reporter):
    figure = FigureFactory(story=story, subject="Ukrainians killed", unit="people", actor=reporter)
    report = ReportFactory(figure=figure, value="31", text="Kyiv says 31 Ukrainians died.")
    client.force_login(moderator)

    page = client.get(reverse("admin:claims_claim_change", args=[report.pk])).text

    assert "31 people" in page
    assert "<dt>Value</dt>" in page and "<dd>31</dd>" in page  # the created revision
    assert "31.000000" not in page and "31.0" not in page


def test_a_webhooks_statuses_are_ticked_and_stored_as_a_list(client, moderator, settings):
    settings.CLAIMDESK_WEBHOOK_ALLOW_LOOPBACK = True
    client.force_login(moderator)
    add = reverse("admin:claims_webhooksubscriber_add")

    form = client.get(add).text
    response = client.post(
        add,
        {
            "name": "Partner desk",
            "url": "http://127.0.0.1:8080/hooks",
            "statuses": ["confirmed", "false"],
            "is_active": "on",
        },
    )

    assert '<input type="checkbox" name="statuses" value="confirmed"' in form
    assert '<input type="checkbox" name="statuses" value="superseded"' in form
    assert 'value="in_review"' not in form
    assert "tick none to send every ruling" in form
    assert '<textarea name="statuses"' not in form
    assert response.status_code == 200  # the page showing the new secret once
    saved = WebhookSubscriber.objects.get()
    assert saved.statuses == ["confirmed", "false"]
    change = client.get(reverse("admin:claims_webhooksubscriber_change", args=[saved.pk])).text
    assert re.search(r'value="confirmed"[^>]*checked', change)
    assert not re.search(r'value="misleading"[^>]*checked', change)


def test_a_status_not_offered_stays_ticked_rather_than_widening_what_is_sent(
    client, moderator, settings
):
    settings.CLAIMDESK_WEBHOOK_ALLOW_LOOPBACK = True
    subscriber = WebhookSubscriber.objects.create(
        name="Partner", url="http://127.0.0.1:8080/hooks", secret="x", statuses=["in_review"]
    )
    client.force_login(moderator)

    page = client.get(reverse("admin:claims_webhooksubscriber_change", args=[subscriber.pk])).text

    assert re.search(r'value="in_review"[^>]*checked', page)
    assert "In review" in page


def _ministry_claim(story, editor) -> tuple[Source, Claim]:
    ministry = source_services.source_create(name="Interior Ministry", kind="person")
    claim = ClaimFactory(story=story, actor=editor, text="The ministry says 11 were arrested.")
    services.attribution_add(
        claim=claim, source=ministry, actor=editor, quote="Eleven were arrested."
    )
    return ministry, rule(claim, "confirmed", editor)


def _author_type(client, claim: Claim) -> str:
    html = client.get(claim.get_public_url()).text
    (review,) = [b for b in jsonld_blocks(html) if b["@type"] == "ClaimReview"]
    return review["itemReviewed"]["author"]["@type"]


def test_a_moderator_fixes_a_sources_kind_and_the_claim_review_follows(
    client, moderator, story, editor
):
    ministry, claim = _ministry_claim(story, editor)
    assert _author_type(client, claim) == "Person"
    client.force_login(moderator)
    change = reverse("admin:sources_source_change", args=[ministry.pk])

    form = client.get(change).text
    response = client.post(
        change,
        {"name": "Interior Ministry", "kind": "government", "description": "", "homepage": ""},
    )

    assert '<option value="government">Government or official body</option>' in form
    assert "an Organization" in form
    assert response.status_code == 302
    assert Source.objects.get(pk=ministry.pk).kind == "government"
    revision = SourceRevision.objects.get(source=ministry, number=2)
    assert (revision.before, revision.after, revision.actor) == (
        {"kind": "person"},
        {"kind": "government"},
        moderator,
    )
    client.logout()
    assert _author_type(client, claim) == "Organization"
    client.force_login(moderator)
    history = client.get(change).text
    assert "<del>Person</del> → <ins>Government or official body</ins>" in history


def test_the_sources_list_shows_filters_and_corrects_kinds(client, moderator, story, editor):
    ministry, _ = _ministry_claim(story, editor)
    source_services.source_create(name="Reuters", kind="agency")
    client.force_login(moderator)

    listing = client.get(SOURCES).text
    filtered = client.get(SOURCES, {"kind__exact": "person"}).text
    response = client.post(
        SOURCES,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(ministry.pk),
            "form-0-kind": "government",
            "_save": "Save",
        },
    )

    assert 'name="form-0-kind"' in listing and "News agency" in listing
    assert "Interior Ministry" in filtered and "Reuters" not in filtered
    assert response.status_code == 302
    assert SourceRevision.objects.get(source=ministry, number=2).after == {"kind": "government"}


# What each list costs a moderator: the session and user, their permissions, the page's rows
# (never counted in full), and the filters' choices; the same with five times the rows.
LIST_QUERIES = {CLAIMS: 7, REVISIONS: 6, SOURCES: 6}


@pytest.mark.parametrize("path", list(LIST_QUERIES))
def test_the_changelists_cost_the_same_queries_whatever_their_rows(
    client, moderator, story, reporter, django_assert_max_num_queries, path
):
    def add_rows(count: int) -> None:
        for _ in range(count):
            claim = ClaimFactory(story=story, actor=reporter)
            source_services.source_create(name=f"Source of claim {claim.pk}")

    add_rows(3)
    client.force_login(moderator)
    client.get(path)  # the session and the permission cache warmed
    with django_assert_max_num_queries(LIST_QUERIES[path]):
        few = client.get(path)
    add_rows(12)

    with django_assert_max_num_queries(LIST_QUERIES[path]):
        many = client.get(path)

    assert few.status_code == many.status_code == 200

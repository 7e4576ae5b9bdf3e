import pytest
from django.urls import reverse

from claims.models import Claim, Revision
from tests.hardening.urlwalk import offered_actions
from tests.support.factories import ClaimFactory, EvidenceFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/claims/claim/"


def test_moderator_hides_claims_in_bulk_and_revisions_record_it(client, moderator, story, reporter):
    claims = [ClaimFactory(story=story, actor=reporter) for _ in range(3)]
    client.force_login(moderator)

    response = client.post(
        CHANGELIST,
        {"action": "hide", "_selected_action": [c.pk for c in claims[:2]], "note": "Spam"},
        follow=True,
    )

    assert response.status_code == 200
    assert "Hidden: 2 claims." in response.content.decode()
    assert set(Claim.objects.filter(is_hidden=True).values_list("pk", flat=True)) == {
        claims[0].pk,
        claims[1].pk,
    }
    hidden = Revision.objects.filter(kind="hidden")
    assert hidden.count() == 2
    assert {r.actor for r in hidden} == {moderator}
    assert {r.note for r in hidden} == {"Spam"}


def test_bulk_status_action_runs_the_rules_and_reports_refusals(client, superuser, story, reporter):
    with_evidence = ClaimFactory(story=story, actor=reporter)
    EvidenceFactory(claim=with_evidence, actor=reporter)
    without = ClaimFactory(story=story, actor=reporter)
    client.force_login(superuser)

    response = client.post(
        CHANGELIST,
        {
            "action": "set_status",
            "_selected_action": [with_evidence.pk, without.pk],
            "status": "confirmed",
            "note": "Manifest checked.",
        },
        follow=True,
    )

    page = response.content.decode()
    assert "Status set to Confirmed: 1 claim." in page
    assert f"Not changed #{without.pk}" in page and "evidence" in page
    assert Claim.objects.get(pk=with_evidence.pk).status == "confirmed"
    assert Claim.objects.get(pk=without.pk).status == "unverified"
    assert Revision.objects.get(claim=with_evidence, kind="status").note == "Manifest checked."


@pytest.mark.parametrize(
    "who, offered",
    [
        ("moderator", ["hide", "unhide"]),
        ("editor", ["set_status", "hide", "unhide"]),
        ("superuser", ["set_status", "hide", "unhide"]),
    ],
)
def test_the_changelist_offers_each_role_the_actions_it_may_take(
    client, request, story, reporter, who, offered
):
    ClaimFactory(story=story, actor=reporter)
    user = request.getfixturevalue(who)
    if who == "editor":  # editors work on the desk; one given the admin rules from it too
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    client.force_login(user)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert offered_actions(response.text) == offered


def test_moderator_cannot_rule_on_status_from_admin(client, moderator, story, reporter):
    claim = ClaimFactory(story=story, actor=reporter)
    EvidenceFactory(claim=claim, actor=reporter)
    client.force_login(moderator)

    response = client.post(
        CHANGELIST,
        {"action": "set_status", "_selected_action": [claim.pk], "status": "false", "note": "x"},
        follow=True,
    )

    assert "No action selected." in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "unverified"
    assert not Revision.objects.filter(claim=claim, kind="status").exists()


def test_claim_change_page_shows_history_read_only(client, superuser, story, reporter):
    claim = ClaimFactory(story=story, actor=reporter, text="All 176 aboard were killed.")
    client.force_login(superuser)

    response = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "All 176 aboard were killed." in page
    assert "created" in page
    assert 'name="text"' not in page  # claims change through services only


@pytest.mark.parametrize("method", ["add", "change", "delete"])
def test_revisions_cannot_be_added_changed_or_deleted_in_admin(
    client, superuser, story, reporter, method
):
    claim = ClaimFactory(story=story, actor=reporter)
    revision = Revision.objects.get(claim=claim)
    client.force_login(superuser)
    url = {
        "add": reverse("admin:claims_revision_add"),
        "change": reverse("admin:claims_revision_change", args=[revision.pk]),
        "delete": reverse("admin:claims_revision_delete", args=[revision.pk]),
    }[method]

    response = client.post(url, {"note": "tampered", "post": "yes"})

    assert response.status_code == 403
    assert Revision.objects.get(pk=revision.pk).note == ""


def test_changelist_does_not_count_the_whole_table(
    client, superuser, story, reporter, django_assert_max_num_queries
):
    for _ in range(5):
        ClaimFactory(story=story, actor=reporter)
    client.force_login(superuser)

    with django_assert_max_num_queries(12) as captured:
        response = client.get(CHANGELIST)

    assert response.status_code == 200
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert all("LIMIT" in sql.upper() for sql in counts), counts


def test_reporter_has_no_admin_access(client, reporter):
    client.force_login(reporter)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]

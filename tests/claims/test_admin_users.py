"""The user admin: moderators let people in or out and set their desk roles, and nothing more;
superusers keep Django's stock user admin."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from tests.hardening.urlwalk import offered_actions
from tests.support.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
CHANGELIST = "/admin/auth/user/"
NEW_PASSWORD = "Tehran-0612-flight-752"


def change_url(user) -> str:
    return f"{CHANGELIST}{user.pk}/change/"


def password_url(user) -> str:
    return f"{CHANGELIST}{user.pk}/password/"


def stock_form(user, **changes) -> dict:
    """Everything Django's stock user form posts for ``user``, with ``changes`` on top."""
    data = {
        "username": user.username,
        "email": user.email,
        "is_active": "on",
        "groups": list(user.groups.values_list("pk", flat=True)),
        "date_joined_0": "2020-01-08",
        "date_joined_1": "06:12:00",
    }
    return data | changes


def new_password() -> dict:
    return {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}


def powers(user) -> tuple:
    user = User.objects.get(pk=user.pk)
    return (
        user.is_superuser,
        user.is_staff,
        user.is_active,
        user.password,
        sorted(user.groups.values_list("name", flat=True)),
        list(user.user_permissions.all()),
    )


def role(name: str) -> int:
    return Group.objects.get(name=name).pk


def permission(codename: str) -> int:
    return Permission.objects.get(codename=codename, content_type__app_label="auth").pk


# The finding: a moderator made themself superuser, then set the superuser's password.


def test_a_moderator_cannot_make_themself_superuser_staff_or_editor(client, moderator):
    before = powers(moderator)
    client.force_login(moderator)

    page = client.get(change_url(moderator)).text
    response = client.post(
        change_url(moderator),
        stock_form(
            moderator,
            is_superuser="on",
            is_staff="on",
            groups=[role("moderator"), role("editor")],
            user_permissions=[permission("delete_user")],
        ),
    )

    assert response.status_code == 302
    assert powers(moderator) == before
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    assert 'name="groups"' not in page  # nobody but a superuser sets their own roles


def test_a_moderator_cannot_set_a_superusers_password(client, moderator, superuser):
    before = powers(superuser)
    client.force_login(moderator)

    opened = client.get(password_url(superuser))
    response = client.post(password_url(superuser), new_password())

    assert (opened.status_code, response.status_code) == (403, 403)
    assert powers(superuser) == before
    assert User.objects.get(pk=superuser.pk).check_password(PASSWORD)


def test_a_moderator_cannot_open_or_edit_a_superuser(client, moderator, superuser):
    before = powers(superuser)
    client.force_login(moderator)

    opened = client.get(change_url(superuser))
    history = client.get(f"{CHANGELIST}{superuser.pk}/history/")
    response = client.post(change_url(superuser), stock_form(superuser, is_active=""))

    assert (opened.status_code, history.status_code, response.status_code) == (403, 403, 403)
    assert powers(superuser) == before


def test_a_moderator_cannot_grant_a_permission_or_staff_status(client, moderator, reporter):
    before = powers(reporter)
    client.force_login(moderator)

    page = client.get(change_url(reporter)).text
    response = client.post(
        change_url(reporter),
        stock_form(
            reporter, is_staff="on", is_superuser="on", user_permissions=[permission("add_user")]
        ),
    )

    assert response.status_code == 302
    assert powers(reporter) == before
    assert 'name="user_permissions"' not in page and 'name="is_staff"' not in page


def test_a_moderator_cannot_set_another_users_password(client, moderator, reporter):
    before = powers(reporter)
    client.force_login(moderator)

    opened = client.get(password_url(reporter))
    response = client.post(password_url(reporter), new_password())
    page = client.get(change_url(reporter)).text

    assert (opened.status_code, response.status_code) == (403, 403)
    assert 'href="../password/"' not in page  # nor does the change form link to it
    assert powers(reporter) == before


# What moderators do: let people in or out, and set their desk roles.


def test_a_moderator_sets_desk_roles_and_deactivates_a_user(client, moderator, reporter):
    outside = Group.objects.create(name="partners")
    reporter.groups.add(outside)
    client.force_login(moderator)

    page = client.get(change_url(reporter)).text
    response = client.post(
        change_url(reporter),
        stock_form(reporter, is_active="", groups=[role("editor"), role("moderator")]),
    )

    assert f'value="{outside.pk}"' not in page and f'value="{role("editor")}"' in page
    assert response.status_code == 302
    reporter = User.objects.get(pk=reporter.pk)
    assert not reporter.is_active
    # Taking the reporter role away left the group the moderator may not grant.
    assert sorted(reporter.groups.values_list("name", flat=True)) == [
        "editor",
        "moderator",
        "partners",
    ]


def test_a_group_beyond_the_desk_roles_is_refused_with_a_form_error(client, moderator, reporter):
    outside = Group.objects.create(name="site-admins")
    before = powers(reporter)
    client.force_login(moderator)

    response = client.post(change_url(reporter), stock_form(reporter, groups=[outside.pk]))

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert powers(reporter) == before


def test_a_moderator_sets_their_own_password(client, moderator):
    client.force_login(moderator)

    page = client.get(change_url(moderator)).text
    response = client.post(password_url(moderator), new_password())

    assert 'href="../password/"' in page
    assert response.status_code == 302
    assert User.objects.get(pk=moderator.pk).check_password(NEW_PASSWORD)


def test_the_changelist_offers_each_role_the_actions_it_may_take(client, moderator, superuser):
    client.force_login(moderator)
    as_moderator = offered_actions(client.get(CHANGELIST).text)
    client.force_login(superuser)

    as_superuser = offered_actions(client.get(CHANGELIST).text)

    assert as_moderator == ["activate", "deactivate"]
    assert as_superuser == ["delete_selected", "activate", "deactivate"]


def test_bulk_deactivation_passes_over_superusers(client, moderator, reporter, superuser):
    client.force_login(moderator)

    response = client.post(
        CHANGELIST,
        {"action": "deactivate", "_selected_action": [reporter.pk, superuser.pk]},
        follow=True,
    )

    assert "1 user(s) deactivated." in response.text
    assert f"Not changed {superuser.username}: only superusers manage a superuser." in response.text
    assert not User.objects.get(pk=reporter.pk).is_active
    assert User.objects.get(pk=superuser.pk).is_active


def test_a_moderator_cannot_delete_users_even_by_posting_the_action(client, moderator, reporter):
    client.force_login(moderator)

    response = client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [reporter.pk], "post": "yes"},
        follow=True,
    )

    assert "No action selected." in response.text
    assert User.objects.filter(pk=reporter.pk).exists()


def test_whoever_may_add_users_adds_them_with_no_powers(client):
    hiring = UserFactory(username="hr", is_staff=True)
    for codename in ("add_user", "change_user", "view_user"):
        hiring.user_permissions.add(permission(codename))
    client.force_login(hiring)

    response = client.post(
        f"{CHANGELIST}add/",
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "is_superuser": "on",
            "is_staff": "on",
            "groups": [role("editor")],
            "user_permissions": [permission("delete_user")],
        },
    )

    assert response.status_code == 302
    newcomer = User.objects.get(username="newcomer")
    assert powers(newcomer)[:2] == (False, False)
    assert powers(newcomer)[4:] == ([], [])


# Superusers keep the stock user admin.


def test_a_superuser_grants_superuser_status_and_sets_passwords(client, superuser, moderator):
    client.force_login(superuser)

    page = client.get(change_url(moderator)).text
    saved = client.post(
        change_url(moderator),
        stock_form(moderator, is_superuser="on", user_permissions=[permission("add_user")]),
    )
    password = client.post(password_url(moderator), new_password())

    assert 'name="is_superuser"' in page and 'name="user_permissions"' in page
    assert (saved.status_code, password.status_code) == (302, 302)
    moderator = User.objects.get(pk=moderator.pk)
    assert moderator.is_superuser
    assert moderator.has_perm("auth.add_user")
    assert moderator.check_password(NEW_PASSWORD)

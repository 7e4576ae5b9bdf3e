"""Webhook subscribers in the admin: URLs vetted when saved, secrets written but never read."""

import socket

import pytest
from django.urls import reverse

from claims.models import WebhookSubscriber

OLD_SECRET = "old-partner-secret-6f1d"


@pytest.fixture(autouse=True)
def no_connections(monkeypatch):
    """Saving a subscriber vets its URL; it never connects anywhere."""

    def refuse(sock, address):
        raise AssertionError(f"saving a subscriber connected to {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def _form(url: str, secret: str = "", **extra) -> dict:
    return {
        "name": "Partner desk",
        "url": url,
        "new_secret": secret,
        "is_active": "on",
        **extra,
    }


def _add(client, data: dict):
    return client.post(reverse("admin:claims_webhooksubscriber_add"), data)


@pytest.fixture
def subscriber(db):
    return WebhookSubscriber.objects.create(
        name="Partner desk", url="http://127.0.0.1:8765/hooks", secret=OLD_SECRET
    )


# --- finding 4: a URL on a private address cannot be saved --------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/internal",
        "http://10.0.0.5/hooks",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:9000/hooks",
        "http://[::ffff:10.0.0.1]/hooks",
    ],
)
def test_moderator_cannot_save_a_subscriber_on_a_private_address(client, moderator, url):
    client.force_login(moderator)

    response = _add(client, _form(url, secret="s3cret"))

    assert response.status_code == 200
    assert "Webhooks cannot be sent to this URL (refused: private address)." in (
        response.content.decode()
    )
    assert not WebhookSubscriber.objects.exists()


def test_a_local_receiver_can_be_saved_where_loopback_is_allowed(client, moderator, settings):
    settings.CLAIMDESK_WEBHOOK_ALLOW_LOOPBACK = True
    client.force_login(moderator)

    response = _add(client, _form("http://127.0.0.1:8080/hooks", secret="s3cret"))

    assert response.status_code == 302
    saved = WebhookSubscriber.objects.get()
    assert (saved.url, saved.secret) == ("http://127.0.0.1:8080/hooks", "s3cret")


def test_changing_a_url_to_a_private_address_keeps_the_old_one(client, moderator, subscriber):
    client.force_login(moderator)
    change = reverse("admin:claims_webhooksubscriber_change", args=[subscriber.pk])

    response = client.post(change, _form("http://192.168.1.10/hooks"))

    assert "refused: private address" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.url == "http://127.0.0.1:8765/hooks"


# --- secrets are write-only ---------------------------------------------------------------


def test_the_secret_is_never_shown_on_the_change_page(client, moderator, subscriber):
    client.force_login(moderator)

    page = client.get(reverse("admin:claims_webhooksubscriber_change", args=[subscriber.pk]))

    assert page.status_code == 200
    assert "Leave blank to keep the current secret" in page.content.decode()
    assert OLD_SECRET not in page.content.decode()


def test_saving_without_a_secret_keeps_the_old_one(client, moderator, subscriber, settings):
    settings.CLAIMDESK_WEBHOOK_ALLOW_LOOPBACK = True
    client.force_login(moderator)
    change = reverse("admin:claims_webhooksubscriber_change", args=[subscriber.pk])

    response = client.post(change, _form(subscriber.url, name="Renamed desk"))

    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert (subscriber.name, subscriber.secret) == ("Renamed desk", OLD_SECRET)


def test_a_moderator_sets_a_new_secret(client, moderator, subscriber, settings):
    settings.CLAIMDESK_WEBHOOK_ALLOW_LOOPBACK = True
    client.force_login(moderator)
    change = reverse("admin:claims_webhooksubscriber_change", args=[subscriber.pk])

    response = client.post(change, _form(subscriber.url, secret="rotated-secret"))
    page = client.get(change)

    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.secret == "rotated-secret"
    assert "rotated-secret" not in page.content.decode()


def test_a_new_subscriber_needs_a_secret(client, moderator, settings):
    settings.CLAIMDESK_WEBHOOK_ALLOW_LOOPBACK = True
    client.force_login(moderator)

    response = _add(client, _form("http://127.0.0.1:8080/hooks"))

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not WebhookSubscriber.objects.exists()

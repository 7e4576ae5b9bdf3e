from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"

    def ready(self):
        from claims import tasks  # noqa: F401  (fills the outbox's queue registry)
        from claims.auth_backends import connect_signals

        connect_signals()

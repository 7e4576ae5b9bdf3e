from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"

    def ready(self):
        from django.db.models.signals import post_save

        from claims import tasks  # noqa: F401  (fills the outbox's queue registry)
        from claims.auth_backends import connect_signals
        from claims.services.purges import purge_on_source_revision
        from sources.models import SourceRevision

        connect_signals()
        post_save.connect(
            purge_on_source_revision, sender=SourceRevision, dispatch_uid="claimdesk-source-purge"
        )

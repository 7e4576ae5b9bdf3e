"""Sources as the desk adds them: the actor's permission checked here, the rest in sources."""

from django.db import transaction

from claims.access import Action, require
from sources import services as source_services
from sources.models import Source


@transaction.atomic
def source_create(
    *, name: str, actor, kind: str = Source.Kind.PERSON, description: str = "", homepage: str = ""
) -> Source:
    require(actor, Action.CREATE_SOURCE)
    return source_services.source_create(
        name=name, kind=kind, description=description, homepage=homepage, actor=actor
    )


def source_get_or_create(*, name: str, actor, kind: str = Source.Kind.PERSON) -> Source:
    """The source with this name, created when it is new and the actor may add sources."""
    existing = source_services.source_named(name)
    if existing is not None:
        return existing
    return source_create(name=name, actor=actor, kind=kind)

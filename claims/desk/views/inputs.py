"""What the desk's forms name, as the services take it: a source by its name, and the figure
a claim reports, picked from the story's figures or named in the same form."""

from django.core.exceptions import PermissionDenied, ValidationError

from claims import services
from claims.desk.figure_forms import NEW_FIGURE, NEW_FIGURE_FIELDS, renamed_figure_error
from claims.models import Figure, Story
from sources.models import Source


def named_source(name: str, user, *, kind: str = Source.Kind.PERSON) -> Source | None:
    """The source the user typed: an existing one whatever the case, or a new one."""
    if not name:
        return None
    try:
        return services.source_get_or_create(name=name, actor=user, kind=kind)
    except PermissionDenied:
        raise ValidationError(
            {"source": f"There is no source named “{name}”, and you may not add sources."}
        ) from None
    except ValidationError as error:
        raise ValidationError({"source": error.messages}) from None


def report_arguments(data: dict, *, story: Story, actor) -> dict:
    """A claim form's fields as claim_create and claim_edit take them. A new figure named in
    the form is created here: call this inside the transaction that saves the claim, so a
    refused claim leaves no figure behind."""
    arguments = {k: v for k, v in data.items() if k not in NEW_FIGURE_FIELDS}
    if arguments.get("figure") == NEW_FIGURE:
        arguments["figure"] = _new_figure(data, story=story, actor=actor)
    return arguments


def _new_figure(data: dict, *, story: Story, actor) -> Figure:
    try:
        return services.figure_create(
            story=story,
            subject=data.get("new_subject", ""),
            kind=data.get("new_kind") or Figure.Kind.COUNT,
            unit=data.get("new_unit", ""),
            actor=actor,
        )
    except ValidationError as error:
        raise renamed_figure_error(error) from None

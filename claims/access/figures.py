"""Figures: who reaches one, on the desk and in public, and who may say a report replaces
another."""

from django.db.models import F
from django.http import Http404

from claims.access.desk import is_desk_user
from claims.access.roles import Action, can
from claims.models import Claim, Figure, Story

__all__ = [
    "access_figure_by_id",
    "access_public_figure",
    "access_public_figure_by_id",
    "may_supersede_report",
    "report_source_id",
]


def _figure_of(story: Story, figure_id) -> Figure:
    try:
        return Figure.objects.select_related("story", "merged_into").get(
            pk=int(figure_id), story=story
        )
    except (Figure.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such figure.") from None


def access_figure_by_id(user, story: Story, figure_id) -> Figure:
    """A figure of a story the user reached on the desk; 404 for anyone else."""
    if not is_desk_user(user):
        raise Http404("No such figure.")
    return _figure_of(story, figure_id)


def access_public_figure_by_id(story: Story, figure_id) -> Figure:
    """A figure of a public story (the caller reached it through ``access_public_story``)."""
    if not story.is_public:
        raise Http404("No such figure.")
    return _figure_of(story, figure_id)


def access_public_figure(slug: str, figure_id, **annotations) -> Figure:
    """A figure of the public story ``slug``, with its story, in one query to which
    ``annotations`` (a page's marks) are added; 404 for a private story or another's figure."""
    figures = Figure.objects.select_related("story", "merged_into").filter(
        story__slug=slug, story__is_public=True
    )
    try:
        return figures.annotate(**annotations).get(pk=int(figure_id))
    except (Figure.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such figure.") from None


def report_source_id(claim: Claim) -> int | None:
    """Who made a report: the source of its first attribution (the earliest said, one with
    no time last: as the figure's series reads it, on every database)."""
    first = claim.attributions.order_by(F("said_at").asc(nulls_last=True), "id")
    return first.values_list("source_id", flat=True).first()


def may_supersede_report(user, old: Claim, source_id: int | None) -> bool:
    """Whether a new report by ``source_id`` may replace ``old``: those who supersede claims
    always may; anyone who files claims may when the source is revising its own figure."""
    if can(user, Action.SUPERSEDE):
        return True
    return can(user, Action.CREATE) and source_id is not None and report_source_id(old) == source_id

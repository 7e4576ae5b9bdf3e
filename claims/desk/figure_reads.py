"""Reads the desk's figure pages need beside ``claims.selectors.figures``: the story's figures
to pick from, the versions of the reports a new one may replace, and a figure's history.

Which claims a user sees is the ``claims`` queryset the caller passes
(``claims.access.visible_claims``).
"""

from django.db.models import QuerySet

from claims.models import Claim, Figure, FigureRevision, Story
from claims.selectors.figures import FALLEN


def story_figures(story: Story) -> list[Figure]:
    """The story's figures (not those merged into another), by subject: one query."""
    figures = list(
        Figure.objects.filter(story=story, merged_into__isnull=True).order_by("subject", "id")
    )
    for figure in figures:
        figure.story = story
    return figures


def standing_versions(figure: Figure, claims: QuerySet[Claim]) -> dict[int, int]:
    """The version of each of the figure's reports that still stands, by claim id: what a
    form that replaces one carries."""
    reports = claims.filter(figure=figure, is_hidden=False).exclude(status__in=FALLEN)
    return dict(reports.values_list("pk", "version"))


def figure_history(figure: Figure) -> list[FigureRevision]:
    """Every change to the figure, newest first."""
    return list(figure.revisions.select_related("actor").order_by("-number"))


def reports_by_id(figure: Figure, claims: QuerySet[Claim], ids: list[int]) -> list[Claim]:
    return list(claims.filter(figure=figure, pk__in=ids).order_by("pk"))


def figure_names(ids: set[int]) -> dict[int, str]:
    """The subjects of these figures (those a figure's history names), in one query or none."""
    if not ids:
        return {}
    return dict(Figure.objects.filter(pk__in=ids).values_list("pk", "subject"))

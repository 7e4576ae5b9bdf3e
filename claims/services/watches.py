"""Following a claim or a story: its watchers are e-mailed the desk's rulings."""

from django.core.exceptions import ValidationError
from django.db import transaction

from claims.access import Action, require
from claims.models import Claim, Story, Watch
from claims.validation import clean_flag


@transaction.atomic
def watch_set(
    *, user, watching: bool, claim: Claim | None = None, story: Story | None = None
) -> bool:
    """Follow, or stop following, a claim or a story; returns whether the user follows it.

    The page says which of the two the user asked for, so a second click on a page that
    was out of date repeats the choice instead of undoing it.
    """
    require(user, Action.VIEW)
    watching = clean_flag(watching, field="watching")
    if (claim is None) == (story is None):
        raise ValidationError("Follow either a claim or a story.")
    if watching:
        Watch.objects.get_or_create(user=user, claim=claim, story=story)
    else:
        Watch.objects.filter(user=user, claim=claim, story=story).delete()
    return watching

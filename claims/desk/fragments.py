"""Markup the desk renders once and reads from the cache: queue rows and, for each version
of a claim, its timeline and the fields of its unbound forms.

Every change to a claim bumps its version and writes a revision, so a key that names the
version changes whenever the markup would; the cached strings are these templates' own
renderings, with user text already escaped.
"""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from claims.models import Claim
from claims.selectors import desk as desk_selectors
from claims.selectors import queue as queue_selectors

QUEUE_ROW_SECONDS = 600
VERSION_MARKUP_SECONDS = 3600
# The forms the claim page lays out field by field with _form_fields.html.
FORMS_OF_FIELDS = ("status", "edit", "evidence", "attribution", "note")


def queue_rows(rows: list, *, selectable: bool = False) -> list[str]:
    """Each row's HTML, rendered once per claim version and then read from the cache.

    A story's edits bump its updated_at, which is in the key too; a renamed source or
    figure shows within QUEUE_ROW_SECONDS. A ``selectable`` row (for those who act on many
    claims at once) has a checkbox carrying the claim's version, a rendering of its own.
    """
    kind = "queue-row-selectable" if selectable else "queue-row"
    keys = {
        row.id: f"{kind}:{row.id}:{row.version}:{row.story__updated_at.timestamp()}" for row in rows
    }
    cached = cache.get_many(list(keys.values()))
    missing = [row.id for row in rows if keys[row.id] not in cached]
    if missing:
        fresh = {
            keys[claim.pk]: render_to_string(
                "desk/queue.html#queue-row", {"claim": claim, "selectable": selectable}
            )
            for claim in queue_selectors.queue_rows_to_render(missing)
        }
        cache.set_many(fresh, QUEUE_ROW_SECONDS)
        cached.update(fresh)
    # A claim deleted since the page was read has no row left to show.
    return [mark_safe(cached[keys[row.id]]) for row in rows if keys[row.id] in cached]


def version_markup(claim: Claim, forms: dict, *, reveal: bool = False) -> str:
    """The timeline and the unbound forms' fields of this version of the claim, in one cache
    read; what is missing is rendered and cached. Returns the timeline's markup and gives
    each unbound form its ``cached_markup``.

    Revisions are append-only and a claim's version is its last revision's number, so the
    timeline of a version never changes; an unbound form's initial values come from the
    claim, so its fields render the same for every user at that version.
    """
    base = f"claim-markup-v2:{claim.pk}:{claim.version}"
    unbound = {
        name: form for name, form in forms.items() if name in FORMS_OF_FIELDS and not form.is_bound
    }
    # Moderators see what redactions hide from everyone else: a timeline of their own.
    timeline_key = f"{base}:timeline:{'whole' if reveal else 'redacted'}"
    # A form whose choices change without the claim (the story's figures) names them too.
    keys = {"timeline": timeline_key} | {
        name: f"{base}:form-{name}:{getattr(form, 'markup_key', '')}"
        for name, form in unbound.items()
    }
    found = cache.get_many(list(keys.values()))
    fresh = {}
    if keys["timeline"] not in found:
        timeline = desk_selectors.claim_timeline(claim=claim, reveal=reveal)
        fresh[keys["timeline"]] = render_to_string(
            "desk/claim_detail.html#timeline-list", {"timeline": timeline, "claim": claim}
        )
    for name, form in unbound.items():
        if keys[name] not in found:
            fresh[keys[name]] = render_to_string("desk/_form_fields.html", {"form": form})
    if fresh:
        cache.set_many(fresh, VERSION_MARKUP_SECONDS)
        found.update(fresh)
    for name, form in unbound.items():
        form.cached_markup = mark_safe(found[keys[name]])
    return mark_safe(found[keys["timeline"]])

"""Write a public story's ClaimReviews as one JSON array, as fact-check aggregators ingest."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from claims import access
from claims.public import jsonld
from claims.selectors import public


class Command(BaseCommand):
    help = "Export the ClaimReviews of a public story's ruled claims as a JSON array."

    def add_arguments(self, parser):
        parser.add_argument("--story", required=True, help="The story's slug, e.g. ps752.")
        parser.add_argument("--output", default="-", help="File to write; '-' for stdout.")

    def handle(self, *args, story: str, output: str, **options):
        try:
            found = access.access_public_story_by_slug(story)
        except Http404:
            raise CommandError(f"No public story with the slug “{story}”.") from None
        reviews = [
            review
            for claim in public.public_story_reviewable(found, jsonld.RATINGS)
            if (review := _review(claim)) is not None
        ]
        text = json.dumps(reviews, ensure_ascii=False, indent=2) + "\n"
        if output == "-":
            self.stdout.write(text, ending="")
        else:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Wrote {len(reviews)} ClaimReviews to {output}.")


def _review(claim) -> dict | None:
    trail = public.trail_entries(claim.revisions.all())
    first_ruled_at, modified_at = public.review_dates(trail)
    return jsonld.claim_review(
        claim,
        attributions=public.sort_attributions(
            access.published_with_ruling(claim, claim.attributions.all())
        ),
        first_ruled_at=first_ruled_at,
        modified_at=modified_at,
    )

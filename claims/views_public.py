from django.http import Http404


def public_claim(request, claim_id: int, slug: str):
    raise Http404

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def review_queue(request):
    return HttpResponse("Review queue")


@login_required
def claim_detail(request, claim_id: int):
    return HttpResponse("Claim")


@login_required
def story_detail(request, slug: str):
    return HttpResponse("Story")

from django.contrib.auth.decorators import login_required
from django.http import Http404


@login_required
def ingest_detail(request, job_id: int):
    raise Http404

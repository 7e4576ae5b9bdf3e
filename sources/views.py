from django.contrib.auth.decorators import login_required
from django.http import Http404


@login_required
def source_detail(request, source_id: int):
    raise Http404

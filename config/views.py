from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """For load balancers: answers without touching the database or the session."""
    return HttpResponse("ok", content_type="text/plain")

from django.urls import path

from claims import views_ingest

urlpatterns = [
    path("ingest/", views_ingest.ingest_new, name="ingest_new"),
    path("ingest/<int:job_id>/", views_ingest.ingest_detail, name="ingest_detail"),
    path("ingest/<int:job_id>/status/", views_ingest.ingest_status, name="ingest_status"),
    path(
        "ingest/candidates/<int:candidate_id>/<str:decision>/",
        views_ingest.ingest_decide,
        name="ingest_decide",
    ),
    path(
        "evidence/<int:evidence_id>/capture/",
        views_ingest.evidence_capture_state,
        name="evidence_capture_state",
    ),
]

from django.urls import path

from claims import views_ingest

urlpatterns = [
    path("ingest/<int:job_id>/", views_ingest.ingest_detail, name="ingest_detail"),
]

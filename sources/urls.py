from django.urls import path

from sources import views

urlpatterns = [
    path("sources/<int:source_id>/", views.source_detail, name="source_detail"),
]

from django.urls import path

from claims import views_public

urlpatterns = [
    path("c/<int:claim_id>/<slug:slug>/", views_public.public_claim, name="public_claim"),
]

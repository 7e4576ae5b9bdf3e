from django.urls import path

from claims import views

urlpatterns = [
    path("review/", views.review_queue, name="review_queue"),
    path("claims/<int:claim_id>/", views.claim_detail, name="claim_detail"),
    path("stories/<slug:slug>/", views.story_detail, name="story_detail"),
]

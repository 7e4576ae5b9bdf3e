from django.urls import path

from claims import views

urlpatterns = [
    path("review/", views.review_queue, name="review_queue"),
    path("claims/<int:claim_id>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:claim_id>/status/", views.claim_status, name="claim_status"),
    path("claims/<int:claim_id>/edit/", views.claim_edit, name="claim_edit"),
    path("claims/<int:claim_id>/evidence/", views.evidence_add, name="claim_evidence_add"),
    path(
        "claims/<int:claim_id>/attributions/",
        views.attribution_add,
        name="claim_attribution_add",
    ),
    path("claims/<int:claim_id>/assign/", views.claim_assign, name="claim_assign"),
    path("claims/<int:claim_id>/supersede/", views.claim_supersede, name="claim_supersede"),
    path("claims/<int:claim_id>/notes/", views.note_add, name="claim_note_add"),
    path("stories/<slug:slug>/", views.story_detail, name="story_detail"),
    path("stories/<slug:slug>/claims/new/", views.claim_new, name="claim_new"),
]

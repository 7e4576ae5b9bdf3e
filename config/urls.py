from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from claims.api.app import api
from config.views import healthz

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="review_queue", permanent=False)),
    path("healthz/", healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("claims.desk.urls")),
    path("", include("claims.public.urls")),
]

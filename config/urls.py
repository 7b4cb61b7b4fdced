from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import throttle
from home import views as home_views
from home.password_reset import QueuedPasswordResetForm

urlpatterns = [
    path("", home_views.home, name="home"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path(
        "accounts/login/",
        throttle.limit("sign_in", methods=("POST",))(auth_views.LoginView.as_view()),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("hiring/", include("hiring.urls")),
    path("surveys/", include("surveys.urls")),
    path("team-health/", include("teamhealth.urls")),
    path("api/", include("teamhealth.api_urls")),
    # The admin's own sign-in form shares the sign-in limit (same count per IP).
    path(
        "admin/login/",
        throttle.limit("sign_in", methods=("POST",))(admin.site.login),
        name="admin_login",
    ),
    path("admin/", admin.site.urls),
    path("favicon.ico", home_views.favicon),
    path("dev/mailbox/", home_views.dev_mailbox, name="dev_mailbox"),
]

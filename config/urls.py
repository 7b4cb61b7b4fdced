from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from accounts import oidc, throttle
from accounts.views import SignInView
from home import views as home_views
from home.password_reset import QueuedPasswordResetForm
from ops import views as ops_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path(
        "accounts/login/",
        throttle.limit("sign_in", methods=("POST",))(SignInView.as_view()),
        name="login",
    ),
    # Single sign-on (accounts/oidc.py): 404 unless KEEL_OIDC_CLIENT_ID is set.
    path(
        "accounts/sso/start/",
        login_not_required(oidc.SignInWithProvider.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "accounts/sso/callback/",
        login_not_required(oidc.ProviderCallback.as_view()),
        name="oidc_authentication_callback",
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
    path("healthz", ops_views.healthz, name="healthz"),
    path("metrics", ops_views.prometheus_metrics, name="metrics"),
    path("dev/mailbox/", home_views.dev_mailbox, name="dev_mailbox"),
]

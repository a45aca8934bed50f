"""The sign-in pages, included at ``accounts/`` without a namespace (the names Django's auth uses)."""

from django.urls import path

from gongkai.workbench import views_accounts as v

urlpatterns = [
    path("login/", v.login, name="login"),
    path("logout/", v.logout, name="logout"),
    path("otp/", v.otp_verify, name="otp_verify"),
    path("otp/setup/", v.otp_setup, name="otp_setup"),
    path("password/", v.password_change, name="password_change"),
    path("password/reset/", v.password_reset, name="password_reset"),
    path("password/reset/sent/", v.password_reset_done, name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", v.password_reset_confirm, name="password_reset_confirm"),
    path("password/reset/done/", v.password_reset_complete, name="password_reset_complete"),
]

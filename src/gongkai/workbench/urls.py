"""The workbench shell's pages; included at ``workbench/`` without a namespace (names: dashboard, calendar,
calendar_edit, account_security, account_unlock, account_otp_reset)."""

from django.urls import path

from gongkai.workbench import views, views_account_admin, views_calendar

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("calendar/", views_calendar.calendar_list, name="calendar"),
    path("calendar/<int:year>/", views_calendar.calendar_edit, name="calendar_edit"),
    path("accounts/", views_account_admin.account_list, name="account_security"),
    path("accounts/<int:pk>/unlock/", views_account_admin.account_unlock, name="account_unlock"),
    path("accounts/<int:pk>/otp-reset/", views_account_admin.account_otp_reset, name="account_otp_reset"),
]

"""The workbench shell's pages; included at ``workbench/`` without a namespace (names: dashboard, calendar,
calendar_edit)."""

from django.urls import path

from gongkai.workbench import views, views_calendar

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("calendar/", views_calendar.calendar_list, name="calendar"),
    path("calendar/<int:year>/", views_calendar.calendar_edit, name="calendar_edit"),
]

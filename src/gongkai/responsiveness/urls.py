from django.urls import path

from gongkai.responsiveness import views

app_name = "responsiveness"
urlpatterns = [
    path("", views.responses, name="responses"),
    path("responses/new/", views.response_create, name="response_create"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/progress/", views.task_progress, name="task_progress"),
    path("tasks/<int:pk>/complete/", views.task_complete, name="task_complete"),
    path("tasks/<int:pk>/evidence/<int:fpk>/", views.evidence_file, name="evidence_file"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
]

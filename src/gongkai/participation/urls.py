from django.urls import path

from gongkai.participation import views, views_directory

app_name = "participation"
urlpatterns = [
    path("", views.index, name="index"),
    path("polls/new/", views.poll_edit, name="poll_new"),
    path("polls/<int:pk>/", views.poll_edit, name="poll_edit"),
    path("polls/<int:pk>/close/", views.poll_close, name="poll_close"),
    path("consultations/new/", views.consultation_edit, name="consultation_new"),
    path("consultations/<int:pk>/", views.consultation_edit, name="consultation_edit"),
    path("consultations/<int:pk>/feedback/", views.consultation_feedback, name="consultation_feedback"),
    path("comments/<int:pk>/", views.comment_moderate, name="comment_moderate"),
    path("courses/new/", views_directory.course_edit, name="course_new"),
    path("courses/<int:pk>/", views_directory.course_edit, name="course_edit"),
    path("courses/<int:pk>/lessons/", views_directory.lesson_add, name="lesson_add"),
    path("points/new/", views_directory.point_edit, name="point_new"),
    path("points/<int:pk>/", views_directory.point_edit, name="point_edit"),
    path("traffic/new/", views_directory.traffic_edit, name="traffic_new"),
    path("traffic/<int:pk>/", views_directory.traffic_edit, name="traffic_edit"),
]

from django.urls import path

from gongkai.grid import views

app_name = "grid"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/contact/", views.report_reveal, name="reveal"),
    path("<int:pk>/photo/", views.report_photo, name="photo"),
]

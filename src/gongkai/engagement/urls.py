from django.urls import path

from gongkai.engagement import views

app_name = "engagement"
urlpatterns = [
    path("", views.letter_list, name="list"),
    path("<int:pk>/", views.letter_detail, name="detail"),
    path("<int:pk>/contact/", views.letter_reveal, name="reveal"),
    path("<int:pk>/<str:action>/", views.letter_action, name="action"),
]

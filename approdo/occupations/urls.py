from django.urls import path

from . import views

app_name = "occupations"

urlpatterns = [
    path("", views.occupation_list, name="list"),
    path("nuova/", views.occupation_edit, name="create"),
    path("<int:pk>/", views.occupation_edit, name="edit"),
]

from django.urls import path

from . import views

app_name = "placements"

urlpatterns = [path("persone/<int:person_id>/nuovo/", views.placement_create, name="create")]

from django.urls import path

from . import views

app_name = "placements"

urlpatterns = [
    path("", views.placement_list, name="list"),
    path("persone/<int:person_id>/nuovo/", views.placement_create, name="create"),
    path("<int:pk>/", views.placement_detail, name="detail"),
    path("<int:pk>/modifica/", views.placement_edit, name="edit"),
    path("<int:pk>/conclusione/", views.placement_end, name="end"),
    path("<int:pk>/esito/", views.placement_outcome, name="outcome"),
    path("<int:pk>/indennita/", views.stipend_record, name="stipend"),
    path(
        "<int:pk>/indennita/<int:payment_id>/togli/",
        views.stipend_remove,
        name="stipend_remove",
    ),
]

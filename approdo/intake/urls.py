from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("coda/", views.queue, name="queue"),
    path("agenda/", views.agenda_view, name="agenda"),
    path("agenda/<int:user_id>/", views.agenda_view, name="agenda_of"),
    path("persone/<int:person_id>/prenota/", views.book, name="book"),
    path("colloqui/<int:pk>/esito/", views.outcome, name="outcome"),
    path("colloqui/<int:pk>/assente/", views.no_show, name="no_show"),
]

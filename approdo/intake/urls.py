from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("coda/", views.queue, name="queue"),
    path("agenda/", views.agenda_view, name="agenda"),
    path("agenda/<int:user_id>/", views.agenda_view, name="agenda_of"),
    path("agenda/chiusure/", views.add_closure, name="add_closure"),
    path("agenda/<int:user_id>/chiusure/", views.add_closure, name="add_closure_of"),
    path("agenda/chiusure/<int:pk>/togli/", views.remove_closure, name="remove_closure"),
    path("agenda/calendario/", views.calendar_feed, name="calendar_feed"),
    path("agenda/<int:user_id>/calendario/", views.calendar_feed, name="calendar_feed_of"),
    path("agenda/feed/<str:token>.ics", views.calendar_feed_ics, name="calendar_feed_ics"),
    path("persone/<int:person_id>/prenota/", views.book, name="book"),
    path("colloqui/<int:pk>/esito/", views.outcome, name="outcome"),
    path("colloqui/<int:pk>/assente/", views.no_show, name="no_show"),
]

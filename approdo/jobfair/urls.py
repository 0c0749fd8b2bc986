from django.urls import path

from . import views

app_name = "jobfair"

urlpatterns = [
    path("", views.fair_list, name="list"),
    path("nuova/", views.fair_form, name="create"),
    path("<int:pk>/", views.fair_detail, name="detail"),
    path("<int:pk>/modifica/", views.fair_form, name="edit"),
    path("<int:fair_pk>/stand/nuovo/", views.stand_form, name="stand_create"),
    path("stand/<int:pk>/", views.stand_agenda, name="agenda_staff"),
    path("stand/<int:pk>/modifica/", views.stand_form, name="stand_edit"),
    path("stand/<int:pk>/invia-agenda/", views.send_agenda, name="send_agenda"),
    path("incontri/<int:pk>/esito/", views.booking_outcome, name="booking_outcome"),
    path("f/<str:code>/", views.public_fair, name="public_fair"),
    path("f/<str:code>/stand/<int:pk>/", views.public_stand, name="public_stand"),
    path("f/<str:code>/grazie/", views.public_booked, name="public_booked"),
    path("prenotazione/<str:token>/", views.booking_page, name="booking"),
    path("agenda/<str:token>/", views.company_agenda, name="agenda"),
]

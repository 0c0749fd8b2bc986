from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("nuovo/", views.event_form, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/modifica/", views.event_form, name="edit"),
    path("<int:event_pk>/sessioni/nuova/", views.session_form, name="session_create"),
    path("sessioni/<int:pk>/", views.session_form, name="session_edit"),
    path("sessioni/<int:pk>/annulla/", views.session_cancel, name="session_cancel"),
    path("sessioni/<int:pk>/presenze/", views.attendance, name="attendance"),
    path("sessioni/<int:pk>/attestati/", views.send_certificates, name="send_certificates"),
    path("iscrizioni/<int:pk>/attestato/", views.certificate, name="certificate"),
    path("relatori/", views.speaker_list, name="speakers"),
    path("relatori/<int:pk>/", views.speaker_edit, name="speaker_edit"),
    path("persone/<int:person_pk>/iscrivi/", views.register_person, name="register_person"),
    path("e/<str:code>/", views.public_registration, name="public_registration"),
    path("e/<str:code>/grazie/", views.public_registered, name="public_registered"),
    path("r/<str:token>/", views.registrant, name="registrant"),
    path(
        "r/<str:token>/attestato/<int:pk>/",
        views.registrant_certificate,
        name="registrant_certificate",
    ),
]

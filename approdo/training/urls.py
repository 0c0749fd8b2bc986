from django.urls import path

from . import course_views, views

app_name = "training"

urlpatterns = [
    path("ips/", views.service, name="ips_service"),
    path("ips/persone/<int:person_id>/apri/", views.path_open, name="path_open"),
    path("ips/percorsi/<int:pk>/", views.path_detail, name="path"),
    path("ips/percorsi/<int:pk>/fase/", views.path_phase, name="path_phase"),
    path("ips/percorsi/<int:pk>/contatti/", views.path_contact, name="path_contact"),
    path("ips/percorsi/<int:pk>/chiusura/", views.path_close, name="path_close"),
    path("corsi/catalogo/", course_views.catalogue, name="catalogue"),
    path("corsi/catalogo/nuovo/", course_views.catalogue_edit, name="catalogue_create"),
    path("corsi/catalogo/<int:pk>/", course_views.catalogue_edit, name="catalogue_edit"),
    path("corsi/", course_views.course_list, name="courses"),
    path("corsi/nuovo/", course_views.course_edit, name="course_create"),
    path("corsi/<int:pk>/", course_views.course_detail, name="course"),
    path("corsi/<int:pk>/modifica/", course_views.course_edit, name="course_edit"),
    path("corsi/<int:pk>/impegni/", course_views.course_commitment, name="commitment_add"),
    path("corsi/<int:pk>/iscrizioni/", course_views.course_enrol, name="enrol"),
    path("corsi/<int:pk>/lezioni/", course_views.course_session, name="session_add"),
    path(
        "corsi/<int:pk>/lezioni/<int:session_pk>/registro/",
        course_views.session_register,
        name="register",
    ),
    path("corsi/<int:pk>/registro/", course_views.course_register_import, name="register_import"),
    path(
        "corsi/<int:pk>/registro.pdf", course_views.course_register_pdf, name="course_register_pdf"
    ),
    path("corsi/<int:pk>/chiusura/", course_views.course_close, name="close"),
    path(
        "corsi/<int:pk>/partecipanti/<int:participation_pk>/ritiro/",
        course_views.participation_withdraw,
        name="withdraw",
    ),
    path(
        "corsi/<int:pk>/partecipanti/<int:participation_pk>/sostegno/",
        course_views.participation_support,
        name="support",
    ),
    path(
        "corsi/<int:pk>/partecipanti/<int:participation_pk>/attestato.pdf",
        course_views.participation_certificate,
        name="certificate",
    ),
    path(
        "corsi/persone/<int:person_id>/iscrizione/", course_views.person_enrol, name="person_enrol"
    ),
]

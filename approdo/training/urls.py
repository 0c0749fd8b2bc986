from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("ips/", views.service, name="ips_service"),
    path("ips/persone/<int:person_id>/apri/", views.path_open, name="path_open"),
    path("ips/percorsi/<int:pk>/", views.path_detail, name="path"),
    path("ips/percorsi/<int:pk>/fase/", views.path_phase, name="path_phase"),
    path("ips/percorsi/<int:pk>/contatti/", views.path_contact, name="path_contact"),
    path("ips/percorsi/<int:pk>/chiusura/", views.path_close, name="path_close"),
]

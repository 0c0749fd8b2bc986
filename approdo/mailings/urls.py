from django.urls import path

from . import views

app_name = "mailings"

urlpatterns = [
    path("", views.mailing_list, name="list"),
    path("nuovo/", views.mailing_create, name="create"),
    path("<int:pk>/", views.mailing_detail, name="detail"),
    path("<int:pk>/avanzamento/", views.mailing_progress, name="progress"),
    path("<int:pk>/avvia/", views.mailing_send, name="send"),
    path("<int:pk>/prova/", views.mailing_test, name="test"),
    path("<int:pk>/pausa/", views.mailing_pause, name="pause"),
    path("<int:pk>/riprendi/", views.mailing_resume, name="resume"),
    path("persone/<int:pk>/scelta/", views.person_choice, name="person_choice"),
    path("modelli/", views.template_list, name="templates"),
    path("modelli/nuovo/", views.template_edit, name="template_create"),
    path("modelli/<int:pk>/", views.template_edit, name="template_edit"),
]

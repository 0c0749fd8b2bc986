from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("richieste/<int:vacancy_id>/abbina/", views.run, name="run"),
    path("abbinamenti/<int:pk>/", views.run_detail, name="run_detail"),
    path("abbinamenti/<int:pk>/seleziona/", views.shortlist, name="shortlist"),
    path("candidature/", views.candidacy_list, name="candidacies"),
    path("candidature/<int:pk>/avanza/", views.advance, name="advance"),
    path("richieste/<int:vacancy_id>/avanza/", views.advance_batch, name="advance_batch"),
    path("persone/<int:person_id>/richieste/", views.person_vacancies, name="person_vacancies"),
    path("pesi/", views.weights, name="weights"),
    path("motivi-di-rifiuto/", views.refusal_reasons, name="refusal_reasons"),
    path("motivi-di-rifiuto/<int:pk>/", views.refusal_reasons, name="refusal_reason_edit"),
]

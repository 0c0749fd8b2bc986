from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("nuovo/", views.survey_create, name="create"),
    path("nuovo/uscite/", views.exit_survey_create, name="create_exit"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/risultati/", views.survey_results_page, name="results"),
    path("<int:pk>/promemoria/", views.survey_remind, name="remind"),
    path("<int:pk>/chiudi/", views.survey_close, name="close"),
    path("domande/<int:pk>/", views.question_edit, name="question_edit"),
    path("domande/<int:pk>/elimina/", views.question_delete, name="question_delete"),
    path("risposte/<int:pk>/verifica/", views.review, name="review"),
    path("r/<str:token>/", views.answer, name="answer"),
]

from django.urls import path

from . import views

app_name = "vacancies"

urlpatterns = [
    path("", views.vacancy_list, name="list"),
    path("nuova/", views.vacancy_create, name="create"),
    path("<int:pk>/", views.vacancy_detail, name="detail"),
    path("<int:pk>/modifica/", views.vacancy_edit, name="edit"),
    path("<int:pk>/stato/", views.vacancy_status, name="status"),
]

from django.urls import path

from . import views

app_name = "companies"

urlpatterns = [
    path("", views.company_list, name="list"),
    path("nuova/", views.company_create, name="create"),
    path("attivita-ateco/", views.ateco_suggestions, name="ateco"),
    path("<int:pk>/", views.company_detail, name="detail"),
    path("<int:pk>/modifica/", views.company_edit, name="edit"),
    path("<int:pk>/board/", views.company_board, name="board"),
    path("<int:pk>/<str:what>/", views.company_add, name="add"),
]

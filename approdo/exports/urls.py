from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("persone/", views.export_people, name="people"),
    path("aziende/", views.export_companies, name="companies"),
    path("<uuid:pk>/", views.export_detail, name="detail"),
    path("<uuid:pk>/scarica/", views.export_download, name="download"),
]

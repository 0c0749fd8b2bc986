from django.urls import path

from . import views

app_name = "legacy"

urlpatterns = [
    path("", views.import_start, name="start"),
    path("<uuid:pk>/", views.import_job, name="job"),
    path("<uuid:pk>/file/<str:name>", views.import_file, name="file"),
]

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("equita/", views.fairness, name="fairness"),
    path("anno/", views.annual_latest, name="annual_latest"),
    path("anno/<int:year>/", views.annual, name="annual"),
    path("anno/<int:year>/file/", views.annual_file, name="annual_file"),
]

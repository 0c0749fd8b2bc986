from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("<uuid:pk>/", views.export_detail, name="detail"),
    path("<uuid:pk>/scarica/", views.export_download, name="download"),
    path("<slug:kind>/", views.request_list, name="request"),
]

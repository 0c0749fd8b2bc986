from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_log, name="log"),
    path("violazioni/", views.incident_list, name="incidents"),
    path("allarmi/", views.alert_list, name="alerts"),
    path("violazioni/nuova/", views.incident_form, name="incident_create"),
    path("violazioni/<int:pk>/", views.incident_form, name="incident_edit"),
]

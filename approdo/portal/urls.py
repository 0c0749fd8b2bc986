from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.register, name="register"),
    path("grazie/", views.confirmation, name="confirmation"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("comuni/", views.comune_suggestions, name="comuni"),
]

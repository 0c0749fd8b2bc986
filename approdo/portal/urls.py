from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.register, name="register"),
    path("grazie/", views.confirmation, name="confirmation"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("consensi/<str:token>/", views.consents, name="consents"),
    path("comunicazioni/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("comuni/", views.comune_suggestions, name="comuni"),
    path("documenti-in-attesa/<int:pk>/", views.pending_document, name="pending_document"),
    path(
        "documenti-in-attesa/<int:pk>/decisione/",
        views.pending_decision,
        name="pending_decision",
    ),
]

from django.urls import path

from . import views

app_name = "comms"

urlpatterns = [
    path("demo/", views.demo_mailbox, name="demo_mailbox"),
    path("<int:pk>/reinvia/", views.resend, name="resend"),
]

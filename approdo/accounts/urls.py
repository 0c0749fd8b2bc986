from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("accesso/", views.login_view, name="login"),
    path("accesso/codice/", views.token_view, name="token"),
    path("esci/", views.logout_view, name="logout"),
    path("esci-ovunque/", views.logout_everywhere_view, name="logout_everywhere"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
]

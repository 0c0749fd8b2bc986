from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("accesso/", views.login_view, name="login"),
    path("accesso/codice/", views.token_view, name="token"),
    path("esci/", views.logout_view, name="logout"),
    path("sessione/rinnova/", views.renew_session, name="renew_session"),
    path("esci-ovunque/", views.logout_everywhere_view, name="logout_everywhere"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/dimenticata/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/dimenticata/inviata/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/nuova/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/nuova/fatto/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("utenti/", views.user_list, name="users"),
    path("utenti/gruppi/", views.team_list, name="teams"),
    path("utenti/gruppi/<int:pk>/", views.team_list, name="team_edit"),
    path("utenti/nuovo/", views.user_create, name="user_create"),
    path("utenti/<int:pk>/", views.user_edit, name="user_edit"),
    path("utenti/<int:pk>/azzera-2fa/", views.user_reset_second_factor, name="user_reset_2fa"),
    path("utenti/<int:pk>/sblocca/", views.user_unlock, name="user_unlock"),
]

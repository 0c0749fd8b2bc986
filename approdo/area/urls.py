from django.urls import path

from . import views

app_name = "area"

urlpatterns = [
    path("", views.home, name="home"),
    path("entra/", views.login, name="login"),
    path("entra/inviato/", views.link_sent, name="link_sent"),
    path("accesso/<str:token>/", views.enter, name="enter"),
    path("oidc/entra/", views.federation_begin, name="federation_begin"),
    path("oidc/callback", views.federation_callback, name="federation_callback"),
    path(
        "oidc/.well-known/openid-federation",
        views.federation_entity_configuration,
        name="federation_entity_configuration",
    ),
    path("esci/", views.logout, name="logout"),
    path("esci-ovunque/", views.logout_everywhere, name="logout_everywhere"),
    path("appuntamenti/<int:pk>/sposta/", views.move, name="move"),
    path("appuntamenti/<int:pk>/annulla/", views.cancel, name="cancel"),
    path("dati/", views.data, name="data"),
    path("dati/curriculum/", views.upload_cv, name="upload_cv"),
    path("consensi/", views.consents, name="consents"),
    path("corsi-ed-eventi/", views.activities, name="activities"),
    path("messaggi/", views.inbox, name="inbox"),
    path("accessi/", views.accesses, name="accesses"),
    path("i-miei-dati/", views.my_data, name="my_data"),
    path("i-miei-dati/<int:pk>/", views.download, name="download"),
    # Staff: what a person changed, confirmed or set aside from their file.
    path("modifiche/<int:pk>/decisione/", views.decide_change, name="decide_change"),
]

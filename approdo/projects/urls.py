from django.urls import path

from . import grant_views, views

app_name = "projects"

urlpatterns = [
    path("progetti/", views.project_list, name="list"),
    path("progetti/nuovo/", views.project_create, name="create"),
    path("progetti/<int:pk>/", views.project_detail, name="detail"),
    path("progetti/<int:pk>/<str:what>/", views.project_action, name="action"),
    path("progetti/erogazioni/<int:pk>/pagata/", views.payment_paid, name="payment_paid"),
    path("progetti/documenti/<int:pk>/", views.project_document, name="document"),
    path("progetti/comitato/", views.committee_list, name="committees"),
    path("progetti/comitato/nuova-seduta/", views.committee_create, name="committee_create"),
    path("progetti/comitato/<int:pk>/", views.committee_detail, name="committee"),
    path("progetti/comitato/<int:pk>/verbale.pdf", views.committee_minutes, name="minutes"),
    path("progetti/bandi/", views.call_list, name="calls"),
    path("progetti/bandi/nuovo/", views.call_create, name="call_create"),
    path("progetti/bandi/<int:pk>/", views.call_detail, name="call"),
    path("progetti/fondo/", views.fund, name="fund"),
    path("progetti/fondo/movimento/", views.fund_movement, name="fund_movement"),
    path("progetti/fondo/impostazioni/", views.fund_settings, name="fund_settings"),
    path("contributi/", grant_views.grant_call_list, name="grant_calls"),
    path("contributi/nuovo/", grant_views.grant_call_create, name="grant_call_create"),
    path("contributi/<int:pk>/", grant_views.grant_call_detail, name="grant_call"),
    path("contributi/<int:pk>/modifica/", grant_views.grant_call_edit, name="grant_call_edit"),
    path("contributi/<int:pk>/domanda/", grant_views.application_create, name="application_create"),
    path("contributi/domande/<int:pk>/", grant_views.application_detail, name="application"),
    path(
        "contributi/domande/<int:pk>/decisione/",
        grant_views.application_decide,
        name="application_decide",
    ),
    path(
        "contributi/domande/<int:pk>/inserimento/",
        grant_views.application_link,
        name="application_link",
    ),
    path("contributi/rate/<int:pk>/pagata/", grant_views.instalment_paid, name="instalment_paid"),
    path("contributi/documenti/<int:pk>/", grant_views.grant_document, name="grant_document"),
    path("bandi/", grant_views.public_calls, name="public_calls"),
    path("bandi/<int:pk>/domanda/", grant_views.public_apply, name="public_apply"),
    path("bandi/<int:pk>/inviata/", grant_views.public_done, name="public_done"),
]

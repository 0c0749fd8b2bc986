from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("persone/", views.person_list, name="list"),
    path("persone/ricerche/", views.saved_search_save, name="saved_search_save"),
    path(
        "persone/ricerche/<int:pk>/elimina/", views.saved_search_delete, name="saved_search_delete"
    ),
    path("persone/nuova/", views.person_create, name="create"),
    path("persone/<int:pk>/", views.person_detail, name="detail"),
    path("persone/<int:pk>/accesso-motivato/", views.break_glass, name="break_glass"),
    path("persone/accessi-straordinari/", views.break_glass_report, name="break_glass_report"),
    path("persone/<int:pk>/modifica/", views.person_edit, name="edit"),
    path("persone/<int:pk>/stato/", views.person_status, name="status"),
    path("persone/<int:pk>/limitazione/", views.person_restriction, name="restriction"),
    path("persone/<int:pk>/consensi/", views.person_consent, name="consent"),
    path("persone/<int:pk>/valutazione/", views.person_reassess, name="reassess"),
    path("persone/<int:pk>/richieste/", views.rights_request_add, name="rights_request_add"),
    path(
        "persone/<int:pk>/richieste/<int:request_id>/chiudi/",
        views.rights_request_close,
        name="rights_request_close",
    ),
    path("persone/richieste-sui-dati/", views.rights_requests, name="rights_requests"),
    path("persone/<int:pk>/telefonate/", views.person_call, name="call"),
    path("persone/<int:pk>/documenti/", views.document_upload, name="document_upload"),
    path(
        "persone/<int:pk>/documenti/<int:version_id>/",
        views.document_download,
        name="document_download",
    ),
    path("persone/<int:pk>/esperienze/", views.experience_add, name="experience_add"),
    path("persone/<int:pk>/note-riservate/", views.sensitive_note_add, name="sensitive_note"),
    path(
        "persone/<int:pk>/iscrizioni-verificate/",
        views.registrations_reviewed,
        name="registrations_reviewed",
    ),
]

from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("partner/", views.partner_list, name="list"),
    path("partner/nuovo/", views.partner_create, name="create"),
    path("partner/<int:pk>/", views.partner_detail, name="detail"),
    path("partner/<int:pk>/modifica/", views.partner_edit, name="edit"),
    path("partner/<int:pk>/<str:what>/", views.partner_add, name="add"),
    path("partner/invii/persona/<int:person_id>/", views.referral_add, name="referral_add"),
]

from django.urls import path

from . import views

app_name = "casework"

urlpatterns = [
    path("mie-persone/", views.my_people, name="my_people"),
    path("cerca/", views.search, name="search"),
    path("carichi/", views.loads, name="loads"),
    path("persone/<int:pk>/note/", views.note_add, name="note_add"),
    path("persone/<int:pk>/note/<int:note_id>/", views.note_correct, name="note_correct"),
    path("persone/<int:pk>/attivita/", views.task_add, name="task_add"),
    path("attivita/<int:task_id>/fatta/", views.task_done, name="task_done"),
]

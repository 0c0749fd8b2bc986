from django.urls import path, register_converter

from . import views


class SubjectConverter:
    """What notes and tasks can be on: persone, aziende, richieste."""

    regex = "|".join(views.SUBJECT_PAGES)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SubjectConverter, "subject")

app_name = "casework"

urlpatterns = [
    path("mie-persone/", views.my_people, name="my_people"),
    path("cerca/", views.search, name="search"),
    path("carichi/", views.loads, name="loads"),
    path("riepilogo-quotidiano/", views.daily_digest, name="daily_digest"),
    path("<subject:kind>/<int:pk>/note/", views.note_add, name="note_add"),
    path("note/<int:note_id>/correggi/", views.note_correct, name="note_correct"),
    path("<subject:kind>/<int:pk>/attivita/", views.task_add, name="task_add"),
    path("attivita/<int:task_id>/fatta/", views.task_done, name="task_done"),
]

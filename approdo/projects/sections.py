"""What projects add to the person's file: their self-employment projects."""

from approdo.accounts.roles import RUN_PROJECTS, VIEW_PROJECTS
from approdo.ui.sections import page_section

from .models import Project


@page_section("person", template="projects/_person_projects.html", order=6)
def person_projects(request, person) -> dict:
    if not request.user.can(VIEW_PROJECTS):
        return {"show": False}
    projects = list(Project.objects.filter(person=person).order_by("-submitted_on"))
    can_add = request.user.can(RUN_PROJECTS) and not person.anonymised_at
    return {
        "show": bool(projects) or can_add,
        "person": person,
        "projects": projects,
        "can_add": can_add,
    }

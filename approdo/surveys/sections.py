"""What surveys add to the person's file: answers that say something about the person (they
work, with which contract), for the case manager to confirm or set aside."""

from approdo.ui.sections import page_section

from .services import facts_of, says_working, to_review


@page_section("person", template="surveys/_person_answers.html", order=7)
def person_answers(request, person) -> dict:
    invitations = list(to_review(person).prefetch_related("survey__questions"))
    rows = []
    for invitation in invitations:
        questions = list(invitation.survey.questions.all())
        rows.append(
            (invitation, facts_of(invitation, questions), says_working(invitation, questions))
        )
    return {"person": person, "answers_to_review": rows}

"""What mailings add to the person's file: whether they receive the programme's mailings and
whether their address was refused by the mail server."""

from approdo.ui.sections import page_section


@page_section("person", template="mailings/_person_mailings.html", order=6)
def person_mailings(request, person) -> dict:
    return {"person": person}

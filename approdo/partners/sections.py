"""What partners add to the person's file: who referred the person, and a way to record
a referral."""

from approdo.accounts.roles import EDIT_PEOPLE
from approdo.ui.sections import page_section

from .models import Referral


@page_section("person", template="partners/_person_referrals.html", order=4)
def person_referrals(request, person) -> dict:
    referrals = list(
        Referral.objects.filter(person=person).select_related("partner", "contact", "recorded_by")
    )
    can_add = request.user.can(EDIT_PEOPLE) and not person.anonymised_at
    return {
        "show": bool(referrals) or can_add,
        "person": person,
        "referrals": referrals,
        "can_add": can_add,
    }

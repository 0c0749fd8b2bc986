"""What matching adds to other apps' pages (see approdo/ui/sections.py)."""

from approdo.ui.sections import page_section

from .forms import AdvanceForm
from .models import RefusalReason
from .selectors import candidacies_for


@page_section("vacancy", template="matching/_vacancy_candidacies.html", order=10)
def vacancy_candidacies(request, vacancy) -> dict:
    reasons = list(RefusalReason.objects.filter(active=True))  # once for all the forms
    return {
        "candidacies": [
            (
                candidacy,
                AdvanceForm(candidacy=candidacy, prefix=f"c{candidacy.pk}", reasons=reasons),
            )
            for candidacy in candidacies_for(vacancy)
        ]
    }

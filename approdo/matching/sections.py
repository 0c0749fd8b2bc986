"""What matching adds to other apps' pages (see approdo/ui/sections.py)."""

from approdo.ui.sections import page_section

from .forms import AdvanceForm
from .selectors import candidacies_for


@page_section("vacancy", template="matching/_vacancy_candidacies.html", order=10)
def vacancy_candidacies(request, vacancy) -> dict:
    return {
        "candidacies": [
            (candidacy, AdvanceForm(candidacy=candidacy, prefix=f"c{candidacy.pk}"))
            for candidacy in candidacies_for(vacancy)
        ]
    }

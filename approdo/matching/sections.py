"""What matching adds to other apps' pages (see approdo/ui/sections.py)."""

from approdo.ui.sections import page_section

from .forms import AdvanceForm, BatchAdvanceForm
from .models import RefusalReason
from .selectors import candidacies_for


@page_section("vacancy", template="matching/_vacancy_candidacies.html", order=10)
def vacancy_candidacies(request, vacancy) -> dict:
    reasons = list(RefusalReason.objects.filter(active=True))  # once for all the forms
    candidacies = list(candidacies_for(vacancy))
    open_ones = [candidacy for candidacy in candidacies if candidacy.is_open]
    return {
        "vacancy": vacancy,
        "candidacies": [
            (
                candidacy,
                AdvanceForm(candidacy=candidacy, prefix=f"c{candidacy.pk}", reasons=reasons),
            )
            for candidacy in candidacies
        ],
        "batch_form": BatchAdvanceForm(
            candidacies=open_ones,
            reasons=reasons,
            company=vacancy.company,
            auto_id="id_gruppo_%s",
        )
        if open_ones
        else None,
    }

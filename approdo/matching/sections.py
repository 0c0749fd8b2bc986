"""What matching adds to other apps' pages (see approdo/ui/sections.py)."""

from collections import Counter

from django.contrib.messages import get_messages

from approdo.ui.sections import page_section

from .forms import AdvanceForm, BatchAdvanceForm
from .models import CandidacyStage, RefusalReason
from .selectors import candidacies_for

# Messages shown beside what they are about (a candidacy's row, the batch form) rather than
# at the top of the page: base.html leaves out those tagged "accanto".
ROW_NOTICE = "accanto candidatura-"
BATCH_NOTICE = "accanto gruppo"


def _notices(request) -> dict[str, list]:
    by_place: dict[str, list] = {}
    for message in get_messages(request):
        if message.extra_tags.startswith("accanto"):
            by_place.setdefault(message.extra_tags, []).append(message)
    return by_place


@page_section("vacancy", template="matching/_vacancy_candidacies.html", order=10)
def vacancy_candidacies(request, vacancy) -> dict:
    reasons = list(RefusalReason.objects.filter(active=True))  # once for all the forms
    # A board: the people grouped by stage, in the order of the selection's stages.
    stage_order = {stage: index for index, stage in enumerate(CandidacyStage.values)}
    candidacies = sorted(candidacies_for(vacancy), key=lambda c: stage_order[c.stage])
    by_stage = Counter(candidacy.stage for candidacy in candidacies)
    open_ones = [candidacy for candidacy in candidacies if candidacy.is_open]
    notices = _notices(request)
    return {
        "vacancy": vacancy,
        "candidacies": [
            (
                candidacy,
                AdvanceForm(candidacy=candidacy, prefix=f"c{candidacy.pk}", reasons=reasons),
                notices.get(f"{ROW_NOTICE}{candidacy.pk}", []),
            )
            for candidacy in candidacies
        ],
        "batch_notices": notices.get(BATCH_NOTICE, []),
        "by_stage": [
            (label, by_stage[stage]) for stage, label in CandidacyStage.choices if by_stage[stage]
        ],
        "latest_run": vacancy.matching_runs.order_by("-created_at").first(),
        "batch_form": BatchAdvanceForm(
            candidacies=open_ones,
            reasons=reasons,
            company=vacancy.company,
            auto_id="id_gruppo_%s",
        )
        if open_ones
        else None,
    }

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import MANAGE_MATCHING, RUN_MATCHING, VIEW_COMPANIES, VIEW_PEOPLE
from approdo.people.models import Person
from approdo.people.permissions import person_or_403
from approdo.vacancies.models import Vacancy

from . import services
from .engine import CRITERIA_LABELS
from .forms import (
    AdvanceForm,
    BatchAdvanceForm,
    CandidacyFilterForm,
    RefusalReasonForm,
    ShortlistForm,
    WeightsForm,
)
from .models import Candidacy, MatchingRun, RefusalReason
from .proposal import cv_offers
from .sections import BATCH_NOTICE, ROW_NOTICE
from .selectors import (
    course_searches,
    criteria_maxima,
    excluded_by_reason,
    explain_points,
    filter_candidacies,
    vacancies_for_person,
    visible_candidacies,
)


@capability_required(VIEW_PEOPLE)
def candidacy_list(request):
    """Candidacies of the people the user reads, across requests, with the export's
    filters."""
    form = CandidacyFilterForm(request.GET or None)
    candidacies = visible_candidacies(request.user, filter_candidacies(**form.filters()))
    page = Paginator(candidacies, 50).get_page(request.GET.get("pagina"))
    return render(request, "matching/candidacy_list.html", {"form": form, "page": page})


@require_POST
@capability_required(RUN_MATCHING)
def run(request, vacancy_id: int):
    vacancy = get_object_or_404(Vacancy, pk=vacancy_id)
    try:
        matching_run, _ = services.run_matching(vacancy=vacancy, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("vacancies:detail", pk=vacancy.pk)
    return redirect("matching:run_detail", pk=matching_run.pk)


RANKED_PER_PAGE = 25
# Each excluded person shown carries a form: a page of 200 of them, some under several
# reasons, took most of the page's time. The rest are in the full export.
EXCLUDED_PER_REASON = 25
EXCLUDED_FIELDS = (
    "run_id",
    "person_id",
    "rank",
    "score",
    "reasons",
    "reason_keys",
    "missing",
    "person__first_name",
    "person__last_name",
    "person__fiscal_code",
)


@capability_required(VIEW_COMPANIES)
def run_detail(request, pk: int):
    matching_run = get_object_or_404(
        MatchingRun.objects.select_related("vacancy__company", "run_by"), pk=pk
    )
    page = Paginator(
        matching_run.results.filter(rank__isnull=False).select_related("person").order_by("rank"),
        RANKED_PER_PAGE,
    ).get_page(request.GET.get("pagina"))
    explain_points(page.object_list, matching_run.weights)
    excluded = list(
        matching_run.results.filter(rank__isnull=True)
        .select_related("person")
        # Names only: 200 whole files cost the page more than anything else it reads.
        .only(*EXCLUDED_FIELDS)
        .order_by("pk")
    )
    excluded_groups = excluded_by_reason(matching_run, excluded, per_group=EXCLUDED_PER_REASON)
    offers = cv_offers([result.person for result in page.object_list])
    for result in page.object_list:
        result.cv_offer = offers[result.person_id]
    # A missing licence or level of Italian links to the courses that give it.
    searches = course_searches()
    for result in [*page.object_list, *excluded]:
        result.missing_links = [(text, searches.get(text)) for text in result.missing]
        result.reason_links = [(text, searches.get(text)) for text in result.reasons]
    return render(
        request,
        "matching/run.html",
        {
            "run": matching_run,
            "page": page,
            "excluded_groups": excluded_groups,
            "shown_excluded": len(excluded),
            "chosen": set(matching_run.vacancy.candidacies.values_list("person_id", flat=True)),
            "weights": [
                (CRITERIA_LABELS[name], weight, points)
                for name, (weight, points) in criteria_maxima(matching_run.weights).items()
            ],
        },
    )


@require_POST
@capability_required(RUN_MATCHING)
def shortlist(request, pk: int):
    matching_run = get_object_or_404(MatchingRun.objects.select_related("vacancy"), pk=pk)
    form = ShortlistForm(request.POST)
    if form.is_valid():
        person = get_object_or_404(Person, pk=form.cleaned_data["person"])
        try:
            services.shortlist(
                vacancy=matching_run.vacancy,
                person=person,
                by=request.user,
                run=matching_run,
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(reverse("matching:run_detail", args=[pk]) + f"#persona-{person.pk}")
        messages.success(request, f"{person} aggiunto/a alla selezione.")
    return redirect("matching:run_detail", pk=pk)


@require_POST
@capability_required(RUN_MATCHING)
def advance(request, pk: int):
    candidacy = get_object_or_404(Candidacy, pk=pk)
    form = AdvanceForm(request.POST, candidacy=candidacy, prefix=f"c{candidacy.pk}")
    # The outcome is shown in the candidacy's row, where the operator is looking.
    beside_row = {"extra_tags": f"{ROW_NOTICE}{candidacy.pk}"}
    if not form.is_valid():
        messages.error(
            request,
            "; ".join(message for errors in form.errors.values() for message in errors),
            **beside_row,
        )
    else:
        try:
            services.advance_candidacy(
                candidacy=candidacy,
                by=request.user,
                stage=form.cleaned_data["stage"],
                refusal_reason=form.cleaned_data["refusal_reason"],
                refusal=form.cleaned_data["refusal"],
                interview_on=form.cleaned_data["interview_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages), **beside_row)
        else:
            messages.success(request, "Selezione aggiornata.", **beside_row)
    return redirect(
        reverse("vacancies:detail", args=[candidacy.vacancy_id]) + f"#candidatura-{candidacy.pk}"
    )


@require_POST
@capability_required(RUN_MATCHING)
def advance_batch(request, vacancy_id: int):
    """Several people of a request's selection moved to the same stage at once."""
    vacancy = get_object_or_404(Vacancy, pk=vacancy_id)
    candidacies = list(vacancy.candidacies.select_related("person", "vacancy"))
    form = BatchAdvanceForm(request.POST, candidacies=candidacies, company=vacancy.company)
    if not form.is_valid():
        messages.error(
            request,
            "Nessuna selezione è stata aggiornata: "
            + "; ".join(message for errors in form.errors.values() for message in errors),
            extra_tags=BATCH_NOTICE,
        )
    else:
        chosen = [c for c in candidacies if c.pk in set(form.cleaned_data["candidacies"])]
        try:
            moved = services.advance_many(
                candidacies=chosen,
                stage=form.cleaned_data["stage"],
                refusal=form.cleaned_data["refusal"],
                contact=form.cleaned_data["contact"],
                message=form.cleaned_data["message"],
                interview_on=form.cleaned_data["interview_on"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages), extra_tags=BATCH_NOTICE)
        else:
            messages.success(
                request,
                f"Selezione aggiornata per {moved} person{'a' if moved == 1 else 'e'}.",
                extra_tags=BATCH_NOTICE,
            )
            if contact := form.cleaned_data["contact"]:
                messages.info(
                    request,
                    f"I curriculum partono in un'unica e-mail a {contact}.",
                    extra_tags=BATCH_NOTICE,
                )
    return redirect(reverse("vacancies:detail", args=[vacancy_id]) + "#selezione")


@capability_required(VIEW_PEOPLE)
def person_vacancies(request, person_id: int):
    person = person_or_403(request.user, person_id)
    page = Paginator(vacancies_for_person(person), 50).get_page(request.GET.get("pagina"))
    shown = Vacancy.objects.select_related("company", "workplace").in_bulk(
        [vacancy_id for vacancy_id, _ in page]
    )
    return render(
        request,
        "matching/person_vacancies.html",
        {
            "person": person,
            "page": page,
            "matches": [(shown[vacancy_id], item) for vacancy_id, item in page],
            "criteria": CRITERIA_LABELS,
        },
    )


@capability_required(MANAGE_MATCHING)
def weights(request):
    form = WeightsForm(request.POST or None, instance=services.current_weights())
    if request.method == "POST" and form.is_valid():
        try:
            services.update_weights(data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Pesi aggiornati: valgono per i prossimi abbinamenti.")
            return redirect("matching:weights")
    return render(
        request, "matching/weights.html", {"form": form}, status=400 if form.errors else 200
    )


@capability_required(MANAGE_MATCHING)
def refusal_reasons(request, pk: int | None = None):
    """The list of refusal reasons: coordinators add, rename or retire them (a retired one
    stays on the candidacies that used it)."""
    reason = get_object_or_404(RefusalReason, pk=pk) if pk is not None else None
    form = RefusalReasonForm(request.POST or None, instance=reason)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Motivo «{form.instance}» salvato.")
        return redirect("matching:refusal_reasons")
    return render(
        request,
        "matching/refusal_reasons.html",
        {"reasons": RefusalReason.objects.all(), "form": form, "edited": reason},
        status=400 if form.errors else 200,
    )

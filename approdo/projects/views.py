"""Projects (self-employment, social innovation), the evaluation committee, the calls for
projects and the guarantee fund."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import (
    MANAGE_FUNDS,
    RUN_PROJECTS,
    VIEW_PROJECTS,
    VIEW_WHOLE_PROGRAMME,
)
from approdo.audit.services import record_access
from approdo.people.permissions import (
    can_view_person,
    person_or_403,
    scope_q,
    visible_people,
)
from approdo.people.uploads import unservable_message
from approdo.ui.forms import show_errors_on_form
from approdo.ui.pdf import render_pdf

from . import selectors, services
from .forms import (
    CallForm,
    CommitteeForm,
    CriterionForm,
    DocumentForm,
    FundMovementForm,
    FundSettingsForm,
    LoanForm,
    MeetingForm,
    MoveForm,
    PaidForm,
    PaymentForm,
    PlacementLinkForm,
    ProjectFilterForm,
    ProjectForm,
    ScoreForm,
)
from .models import (
    CommitteeSession,
    FundSettings,
    Payment,
    Project,
    ProjectCall,
    ProjectDocument,
    ProjectKind,
    ProjectState,
)


def _visible_projects(user):
    """Social-innovation projects, and the self-employment ones of people the user may see."""
    if scope_q(user) is None:
        return Project.objects.all()
    return Project.objects.filter(
        Q(kind=ProjectKind.INNOVAZIONE_SOCIALE) | Q(person__in=visible_people(user))
    )


def _project_or_403(user, pk: int) -> Project:
    project = get_object_or_404(
        Project.objects.select_related("person", "organisation", "coach", "call"), pk=pk
    )
    if project.person_id and not can_view_person(user, project.person):
        raise PermissionDenied("Il proponente è seguito da un altro gruppo.")
    return project


@capability_required(VIEW_PROJECTS)
def project_list(request):
    form = ProjectFilterForm(
        request.GET or None, counts=selectors.counts_by_state(Project.objects.all())
    )
    projects = selectors.projects_list(_visible_projects(request.user), **form.filters())
    page = Paginator(projects, 50).get_page(request.GET.get("pagina"))
    return render(request, "projects/list.html", {"page": page, "form": form})


@capability_required(RUN_PROJECTS)
def project_create(request):
    person = None
    if request.GET.get("persona"):
        try:
            person = person_or_403(request.user, int(request.GET["persona"]), edit=True)
        except ValueError as error:
            raise Http404("Persona sconosciuta.") from error
    form = ProjectForm(request.POST or None, for_person=person is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.submit_project(
                kind=ProjectKind.AUTOIMPIEGO if person else ProjectKind.INNOVAZIONE_SOCIALE,
                person=person,
                organisation=data.get("organisation"),
                call=data.get("call"),
                title=data["title"],
                description=data["description"],
                submitted_on=data["submitted_on"],
                coach=data["coach"],
                by=request.user,
            )
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, "Progetto registrato come candidato.")
            return redirect("projects:detail", pk=project.pk)
    title = (
        f"Progetto di autoimpiego di {person}"
        if person
        else "Nuovo progetto di innovazione sociale"
    )
    return render(
        request,
        "projects/form.html",
        {"form": form, "title": title, "person": person, "multipart": False},
        status=400 if form.errors else 200,
    )


def _render_detail(request, project: Project, **forms):
    user = request.user
    if project.person_id:
        record_access(
            request=request,
            instance=project,
            detail=f"Consultazione del progetto «{project.title}»",
            person_id=project.person_id,
        )
    can_run = user.can(RUN_PROJECTS)
    can_fund = user.can(MANAGE_FUNDS)
    criteria = list(project.call.criteria.all()) if project.call_id else []
    context = {
        "project": project,
        "history": project.state_changes.select_related("by"),
        "meetings": project.meetings.select_related("by"),
        "documents": project.documents.all(),
        "payments": project.payments.exclude(kind="finanziamento garantito"),
        "loans": selectors.loan_positions(project=project),
        "jobs": selectors.project_jobs(project),
        # Only the placements of people the user may read are named.
        "placements": project.placements.filter(person__in=visible_people(user)).select_related(
            "person", "company"
        ),
        "decisions": project.committee_decisions.select_related("session"),
        "can_run": can_run,
        "can_fund": can_fund,
        "criteria": criteria,
        "my_scores": {s.criterion_id: s.score for s in project.scores.filter(evaluator=user)},
    }
    if can_run:
        context.update(
            move_form=forms.get("move_form") or MoveForm(states=services.allowed_moves(project)),
            meeting_form=forms.get("meeting_form") or MeetingForm(),
            document_form=forms.get("document_form") or DocumentForm(),
            link_form=forms.get("link_form") or PlacementLinkForm(),
            score_form=forms.get("score_form") or ScoreForm(criteria=criteria),
        )
    if can_fund:
        context.update(
            payment_form=forms.get("payment_form") or PaymentForm(),
            loan_form=forms.get("loan_form") or LoanForm(),
        )
    return render(
        request,
        "projects/detail.html",
        context,
        status=400 if any(form.errors for form in forms.values()) else 200,
    )


@capability_required(VIEW_PROJECTS)
def project_detail(request, pk: int):
    return _render_detail(request, _project_or_403(request.user, pk))


@require_POST
@capability_required(RUN_PROJECTS)
def project_action(request, pk: int, what: str):
    """The forms of the project's page: each validated, then handed to its service."""
    project = _project_or_403(request.user, pk)
    user = request.user
    # name of the form on the page, the bound form, what to do with the valid form, the
    # message, the capability it needs
    actions = {
        "stato": (
            "move_form",
            lambda: MoveForm(request.POST, states=services.allowed_moves(project)),
            lambda form: services.move_project(project=project, by=user, **form.cleaned_data),
            "Stato del progetto aggiornato.",
            RUN_PROJECTS,
        ),
        "incontro": (
            "meeting_form",
            lambda: MeetingForm(request.POST),
            lambda form: services.add_meeting(project=project, data=form.cleaned_data, by=user),
            "Incontro registrato.",
            RUN_PROJECTS,
        ),
        "documento": (
            "document_form",
            lambda: DocumentForm(request.POST, request.FILES),
            lambda form: services.store_project_document(
                project=project,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
                by=user,
            ),
            "Documento caricato.",
            RUN_PROJECTS,
        ),
        "inserimento": (
            "link_form",
            lambda: PlacementLinkForm(request.POST),
            lambda form: services.link_placement(project=project, **form.cleaned_data),
            "Inserimento collegato al progetto.",
            RUN_PROJECTS,
        ),
        "punteggi": (
            "score_form",
            lambda: ScoreForm(
                request.POST, criteria=project.call.criteria.all() if project.call else []
            ),
            lambda form: services.score_project(
                project=project, evaluator=user, scores=form.scores()
            ),
            "Punteggi registrati.",
            RUN_PROJECTS,
        ),
        "erogazione": (
            "payment_form",
            lambda: PaymentForm(request.POST),
            lambda form: services.add_payment(project=project, data=form.cleaned_data, by=user),
            "Erogazione registrata.",
            MANAGE_FUNDS,
        ),
        "finanziamento": (
            "loan_form",
            lambda: LoanForm(request.POST),
            lambda form: services.record_guaranteed_loan(
                project=project, by=user, **form.cleaned_data
            ),
            "Finanziamento garantito registrato: la garanzia impegna il fondo.",
            MANAGE_FUNDS,
        ),
    }
    if what not in actions:
        raise Http404("Azione sconosciuta.")
    name, make_form, service, done, capability = actions[what]
    if not user.can(capability):
        raise PermissionDenied("Il suo ruolo non permette questa operazione.")
    form = make_form()
    if form.is_valid():
        try:
            service(form)
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, done)
            return redirect("projects:detail", pk=project.pk)
    return _render_detail(request, project, **{name: form})


@require_POST
@capability_required(MANAGE_FUNDS)
def payment_paid(request, pk: int):
    payment = get_object_or_404(Payment, pk=pk, paid_on__isnull=True)
    _project_or_403(request.user, payment.project_id)
    form = PaidForm(request.POST)
    if form.is_valid():
        try:
            services.mark_paid(payment=payment, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Pagamento registrato.")
    else:
        messages.error(request, "Indichi una data di pagamento valida.")
    return redirect("projects:detail", pk=payment.project_id)


@capability_required(VIEW_PROJECTS)
def project_document(request, pk: int):
    document = get_object_or_404(ProjectDocument.objects.select_related("project"), pk=pk)
    project = _project_or_403(request.user, document.project_id)
    if not document.servable:
        messages.error(request, unservable_message(document))
        return redirect("projects:detail", pk=project.pk)
    return serve_stored_file(
        request,
        document,
        detail=f"Consultazione di un documento del progetto «{project.title}» "
        f"({document.original_name})",
        person_id=project.person_id,
    )


def serve_stored_file(request, document, *, detail: str, person_id: int | None):
    """A stored upload as an attachment, its reading in the audit log, never cached."""
    record_access(request=request, instance=document, detail=detail, person_id=person_id)
    response = FileResponse(
        open(settings.DOCUMENTS_DIR / document.storage_path, "rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


# The evaluation committee


# The committee's pages name the proposers of every project it examined: they are read by
# the roles that read the whole programme (coordinators, administrators, auditors).
@capability_required(VIEW_WHOLE_PROGRAMME)
def committee_list(request):
    sessions = CommitteeSession.objects.prefetch_related("decisions")
    page = Paginator(sessions, 30).get_page(request.GET.get("pagina"))
    return render(request, "projects/committees.html", {"page": page})


@capability_required(MANAGE_FUNDS)
def committee_create(request):
    in_coaching = (
        _visible_projects(request.user)
        .filter(state=ProjectState.IN_ACCOMPAGNAMENTO)
        .select_related("person", "organisation")
    )
    form = CommitteeForm(request.POST or None, projects=in_coaching)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.hold_committee(
                held_on=form.cleaned_data["held_on"],
                members=form.cleaned_data["members"],
                notes=form.cleaned_data["notes"],
                decisions=form.decisions(),
                by=request.user,
            )
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, "Seduta registrata: i proponenti ricevono la decisione.")
            return redirect("projects:committee", pk=session.pk)
    return render(
        request,
        "projects/committee_form.html",
        {"form": form, "projects": form.projects},
        status=400 if form.errors else 200,
    )


def _session_context(pk: int) -> dict:
    session = get_object_or_404(CommitteeSession, pk=pk)
    return {
        "session": session,
        "decisions": session.decisions.select_related("project__person", "project__organisation"),
    }


@capability_required(VIEW_WHOLE_PROGRAMME)
def committee_detail(request, pk: int):
    return render(request, "projects/committee.html", _session_context(pk))


@capability_required(VIEW_WHOLE_PROGRAMME)
def committee_minutes(request, pk: int):
    """The session's minutes as PDF."""
    context = _session_context(pk)
    response = HttpResponse(
        render_pdf("projects/committee_minutes.html", context), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="verbale-comitato-{context["session"].held_on:%Y-%m-%d}.pdf"'
    )
    return response


# Calls for projects


@capability_required(VIEW_PROJECTS)
def call_list(request):
    return render(request, "projects/calls.html", {"calls": ProjectCall.objects.all()})


@capability_required(MANAGE_FUNDS)
def call_create(request):
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        call = form.save()
        messages.success(request, "Bando creato: aggiunga i criteri di valutazione.")
        return redirect("projects:call", pk=call.pk)
    return render(
        request,
        "projects/form.html",
        {"form": form, "title": "Nuovo bando per progetti"},
        status=400 if form.errors else 200,
    )


@capability_required(VIEW_PROJECTS)
def call_detail(request, pk: int):
    call = get_object_or_404(ProjectCall, pk=pk)
    form = CriterionForm(request.POST or None)
    if request.method == "POST":
        if not request.user.can(MANAGE_FUNDS):
            raise PermissionDenied("Il suo ruolo non permette di modificare il bando.")
        if form.is_valid():
            try:
                services.add_criterion(call=call, **form.cleaned_data)
            except ValidationError as error:
                show_errors_on_form(form, error)
            else:
                messages.success(request, "Criterio aggiunto.")
                return redirect("projects:call", pk=call.pk)
    visible = set(_visible_projects(request.user).filter(call=call).values_list("pk", flat=True))
    ranking = [item for item in selectors.call_ranking(call) if item.project_id in visible]
    page = Paginator(ranking, 50).get_page(request.GET.get("pagina"))
    projects = Project.objects.select_related("organisation", "person").in_bulk(
        [item.project_id for item in page]
    )
    return render(
        request,
        "projects/call.html",
        {
            "call": call,
            "criteria": call.criteria.all(),
            "page": page,
            "rows": [(item, projects[item.project_id]) for item in page],
            "form": form,
        },
        status=400 if form.errors else 200,
    )


# The guarantee fund


LOANS_SHOWN = 100


def _render_fund(request, **forms):
    position = selectors.fund_position()
    fund_settings = FundSettings.current()
    return render(
        request,
        "projects/fund.html",
        {
            "position": position,
            "history": Paginator(selectors.fund_history(), 50).get_page(request.GET.get("pagina")),
            "loans": selectors.loan_positions(held_only=True, limit=LOANS_SHOWN),
            "loans_shown": LOANS_SHOWN,
            "warning": services.fund_warning(position, fund_settings.warning_threshold),
            "fund_settings": fund_settings,
            "definition": selectors.FUND_DEFINITION,
            "movement_form": forms.get("movement_form") or FundMovementForm(),
            "settings_form": forms.get("settings_form") or FundSettingsForm(instance=fund_settings),
        },
        status=400 if any(form.errors for form in forms.values()) else 200,
    )


@capability_required(VIEW_PROJECTS)
def fund(request):
    return _render_fund(request)


@require_POST
@capability_required(MANAGE_FUNDS)
def fund_movement(request):
    form = FundMovementForm(request.POST)
    if form.is_valid():
        try:
            services.record_movement(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, "Movimento registrato.")
            return redirect("projects:fund")
    return _render_fund(request, movement_form=form)


@require_POST
@capability_required(MANAGE_FUNDS)
def fund_settings(request):
    form = FundSettingsForm(request.POST, instance=FundSettings.current())
    if form.is_valid():
        services.save_fund_settings(**form.cleaned_data)
        messages.success(request, "Impostazioni del fondo salvate.")
        return redirect("projects:fund")
    return _render_fund(request, settings_form=form)

"""Course pages: the catalogue, the editions with their participants, waiting list,
registers, close and outcomes; enrolment from the course, the person and a ranking."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from approdo.accounts.permissions import capability_required
from approdo.accounts.roles import MANAGE_COURSES, RUN_COURSES, VIEW_COURSES
from approdo.audit.services import record_access
from approdo.people.permissions import in_scope, person_or_403, visible_people
from approdo.ui.forms import show_errors_on_form
from approdo.vacancies.models import Vacancy

from . import selectors, services
from .documents import attendance_register_pdf, certificate_pdf
from .forms import (
    AttendanceImportForm,
    CatalogueCourseForm,
    CloseCourseForm,
    CommitmentForm,
    CourseFilterForm,
    CourseForm,
    EnrolForm,
    PersonEnrolForm,
    SessionForm,
    SupportForm,
    WithdrawForm,
)
from .models import (
    TAKING_PART,
    CatalogueCourse,
    Course,
    CourseSession,
    EnrolmentSource,
    Participation,
    ParticipationOutcome,
)

PAGE_SIZE = 50
MAX_REGISTER_BYTES = 2 * 1024 * 1024


def _save_form(request, form, save, done: str, redirect_to):
    """Validate and save; on success a message and a redirect, else None (errors on form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save(form.cleaned_data)
    except ValidationError as error:
        show_errors_on_form(form, error)
        return None
    messages.success(request, done)
    return redirect(redirect_to(saved))


# The catalogue ----------------------------------------------------------------------------


@capability_required(VIEW_COURSES)
def catalogue(request):
    entries = CatalogueCourse.objects.order_by("-active", "title")
    return render(request, "training/catalogue.html", {"entries": entries})


@capability_required(MANAGE_COURSES)
def catalogue_edit(request, pk: int | None = None):
    entry = get_object_or_404(CatalogueCourse, pk=pk) if pk else None
    form = CatalogueCourseForm(request.POST or None, instance=entry)
    done = _save_form(
        request,
        form,
        lambda data: services.save_catalogue_course(entry=entry, data=data),
        "Corso a catalogo salvato.",
        lambda saved: reverse("training:catalogue"),
    )
    if done:
        return done
    title = f"Modifica di {entry}" if entry else "Nuovo corso a catalogo"
    return render(
        request,
        "training/course_form.html",
        {"form": form, "title": title, "cancel": reverse("training:catalogue")},
        status=400 if form.errors else 200,
    )


# Editions ---------------------------------------------------------------------------------


def _filtered_courses(form: CourseFilterForm, today):
    courses = selectors.courses_with_seats()
    if not form.is_valid():
        return courses.order_by("-start_on", "title")
    data = form.cleaned_data
    if data["patente"] or data["italiano"]:
        courses = courses.filter(
            pk__in=selectors.courses_giving(
                licence=data["patente"], italian=data["italiano"], today=today
            )
        )
    if data["q"]:
        courses = courses.filter(title__icontains=data["q"])
    if data["provider"]:
        courses = courses.filter(provider=data["provider"])
    if data["category"]:
        courses = courses.filter(category=data["category"])
    if data["year"]:
        courses = courses.filter(start_on__year=data["year"])
    if data["state"] == "aperti":
        courses = courses.filter(pk__in=selectors.open_for_enrolment(today=today))
    elif data["state"] == "chiusi":
        courses = courses.filter(closed_on__isnull=False)
    return courses.order_by("-start_on", "title")


def _proposed_person(request):
    """The person a ranking proposes courses to (`persona`), with the request (`richiesta`)."""
    if "persona" not in request.GET:
        return None, None
    try:
        person = person_or_403(request.user, int(request.GET["persona"]))
        vacancy = (
            Vacancy.objects.filter(pk=int(request.GET["richiesta"])).first()
            if request.GET.get("richiesta")
            else None
        )
    except ValueError:
        raise Http404("Persona o richiesta non valida.") from None
    return person, vacancy


@capability_required(VIEW_COURSES)
def course_list(request):
    today = timezone.localdate()
    form = CourseFilterForm(request.GET or None)
    courses = _filtered_courses(form, today)
    page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("pagina"))
    outcomes = selectors.course_outcomes([course.pk for course in page], today=today)
    person, vacancy = _proposed_person(request)
    open_ids = set(
        selectors.open_for_enrolment(today=today)
        .filter(pk__in=[course.pk for course in page])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "training/course_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(course, outcomes.get(course.pk), course.pk in open_ids) for course in page],
            "person": person,
            "vacancy": vacancy,
            "by_provider": selectors.outcomes_by_provider(courses, today=today)
            if request.GET.get("per_ente")
            else None,
            "definition": selectors.COURSE_OUTCOMES_DEFINITION,
        },
    )


@capability_required(MANAGE_COURSES)
def course_edit(request, pk: int | None = None):
    course = get_object_or_404(Course, pk=pk) if pk else None
    initial = {}
    if course is None and request.GET.get("catalogo", "").isdigit():
        entry = CatalogueCourse.objects.filter(pk=request.GET["catalogo"]).first()
        if entry:
            initial = {"catalogue": entry, "mode": entry.mode, "hours": entry.hours}
    form = CourseForm(request.POST or None, instance=course, initial=initial)
    done = _save_form(
        request,
        form,
        lambda data: services.save_course(
            course=course,
            catalogue=data["catalogue"],
            data=data,
            by=request.user,
        ),
        "Edizione del corso salvata.",
        lambda saved: reverse("training:course", args=[saved.pk]),
    )
    if done:
        return done
    title = f"Modifica di {course}" if course else "Nuova edizione di un corso"
    cancel = reverse("training:course", args=[course.pk]) if course else reverse("training:courses")
    return render(
        request,
        "training/course_form.html",
        {"form": form, "title": title, "cancel": cancel},
        status=400 if form.errors else 200,
    )


def _course_context(request, course: Course, **forms) -> dict:
    today = timezone.localdate()
    participations = list(
        course.participations.select_related("person", "vacancy").order_by(
            "enrolled_at", "enrolled_on", "pk"
        )
    )
    readable = set(
        visible_people(request.user)
        .filter(pk__in=[p.person_id for p in participations])
        .values_list("pk", flat=True)
    )
    attendance = selectors.attendance_by_participation(course)
    sessions = list(course.sessions.all())
    held = [session for session in sessions if session.on <= today]
    outcome = selectors.course_outcomes([course.pk], today=today).get(course.pk)
    rows = [
        {
            "participation": p,
            "readable": p.person_id in readable,
            "attendance": attendance.get(p.pk),
        }
        for p in participations
    ]
    return {
        "course": course,
        "today": today,
        "taking_part": [
            row for row in rows if row["participation"].outcome != ParticipationOutcome.IN_ATTESA
        ],
        "waiting": [
            row for row in rows if row["participation"].outcome == ParticipationOutcome.IN_ATTESA
        ],
        "enrolled_now": sum(
            1 for p in participations if p.outcome == ParticipationOutcome.IN_CORSO
        ),
        "commitments": course.commitments.select_related("company"),
        "sessions": sessions,
        "hours_held": sum(session.hours for session in held),
        "is_open": not course.closed_on and (course.end_on is None or course.end_on >= today),
        "outcome": outcome,
        "definition": selectors.COURSE_OUTCOMES_DEFINITION,
        "cohort": selectors.cohort_followup(course, today=today),
        "risk": selectors.provider_due(course, today=today),
        "risk_definition": selectors.PROVIDER_DUE_DEFINITION,
        "commitment_form": forms.get("commitment_form") or CommitmentForm(),
        "enrol_form": forms.get("enrol_form") or EnrolForm(),
        "session_form": forms.get("session_form") or SessionForm(initial={"on": today}),
        "import_form": forms.get("import_form") or AttendanceImportForm(),
        "close_form": forms.get("close_form")
        or CloseCourseForm(initial={"on": min(today, course.end_on or today)}),
    }


def _render_course(request, course: Course, **forms):
    return render(
        request,
        "training/course.html",
        _course_context(request, course, **forms),
        status=400 if any(form.errors for form in forms.values()) else 200,
    )


def _course(pk: int) -> Course:
    return get_object_or_404(Course.objects.select_related("provider", "catalogue"), pk=pk)


@capability_required(VIEW_COURSES)
def course_detail(request, pk: int):
    return _render_course(request, _course(pk))


def _course_post(request, pk: int, form, name: str, act, done: str, anchor: str):
    """A form of the course page: acted on when valid, else the page with its errors."""
    course = _course(pk)
    if form.is_valid():
        try:
            result = act(course, form.cleaned_data)
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, done(result) if callable(done) else done)
            return redirect(reverse("training:course", args=[pk]) + anchor)
    return _render_course(request, course, **{name: form})


@require_POST
@capability_required(MANAGE_COURSES)
def course_commitment(request, pk: int):
    return _course_post(
        request,
        pk,
        CommitmentForm(request.POST),
        "commitment_form",
        lambda course, data: services.add_commitment(course=course, **data),
        "Impegno ad assumere registrato.",
        "#impegni",
    )


def _enrolled_message(participation: Participation) -> str:
    if participation.outcome == ParticipationOutcome.IN_ATTESA:
        return f"I posti sono esauriti: {participation.person} è in lista d'attesa."
    return f"{participation.person} è iscritta al corso."


@require_POST
@capability_required(RUN_COURSES)
def course_enrol(request, pk: int):
    def act(course, data):
        person = data["person"]
        if not in_scope(request.user, person):
            raise ValidationError({"person": "La persona non è tra quelle che lei segue."})
        return services.enrol(course=course, person=person, by=request.user)

    return _course_post(
        request, pk, EnrolForm(request.POST), "enrol_form", act, _enrolled_message, "#partecipanti"
    )


@require_POST
@capability_required(RUN_COURSES)
def person_enrol(request, person_id: int):
    """Enrol a person from their file, or from a ranking's missing requirement (`richiesta`)."""
    person = person_or_403(request.user, person_id, edit=True)
    vacancy = None
    if request.POST.get("richiesta", "").isdigit():
        vacancy = Vacancy.objects.filter(pk=request.POST["richiesta"]).first()
    form = PersonEnrolForm(request.POST)
    back = request.POST.get("indietro", "")
    if not form.is_valid():
        messages.error(request, "Scelga un'edizione aperta alle iscrizioni.")
        return redirect(reverse("people:detail", args=[person.pk]) + "#corsi")
    try:
        participation = services.enrol(
            course=form.cleaned_data["course"],
            person=person,
            by=request.user,
            source=EnrolmentSource.RANKING if vacancy else EnrolmentSource.PERSON,
            vacancy=vacancy,
        )
    except ValidationError as error:
        messages.error(request, "Iscrizione non fatta: " + " ".join(error.messages))
    else:
        messages.success(request, _enrolled_message(participation))
    if url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return redirect(back)
    return redirect(reverse("people:detail", args=[person.pk]) + "#corsi")


def _participation(request, pk: int, participation_pk: int, *, edit: bool) -> Participation:
    participation = get_object_or_404(
        Participation.objects.select_related("course", "person"), pk=participation_pk, course_id=pk
    )
    person_or_403(request.user, participation.person_id, edit=edit)
    return participation


@require_POST
@capability_required(RUN_COURSES)
def participation_withdraw(request, pk: int, participation_pk: int):
    participation = _participation(request, pk, participation_pk, edit=True)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ritiro non registrato: indichi data e motivo.")
        return redirect(reverse("training:course", args=[pk]) + "#partecipanti")
    waiting = participation.outcome == ParticipationOutcome.IN_ATTESA
    try:
        promoted = services.withdraw(
            participation=participation, by=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, "Ritiro non registrato: " + " ".join(error.messages))
    else:
        text = "Tolta dalla lista d'attesa." if waiting else "Ritiro registrato."
        if promoted:
            text += (
                " Entra dalla lista d'attesa: " + ", ".join(str(p.person) for p in promoted) + "."
            )
        messages.success(request, text)
    return redirect(reverse("training:course", args=[pk]) + "#partecipanti")


@require_POST
@capability_required(RUN_COURSES)
def participation_support(request, pk: int, participation_pk: int):
    participation = _participation(request, pk, participation_pk, edit=True)
    form = SupportForm(request.POST, instance=participation)
    if form.is_valid():
        try:
            services.record_support(participation=participation, data=form.cleaned_data)
        except ValidationError as error:
            show_errors_on_form(form, error)
        else:
            messages.success(request, f"Sostegno economico di {participation.person} salvato.")
            return redirect(reverse("training:course", args=[pk]) + "#partecipanti")
    messages.error(
        request,
        "Sostegno non salvato: " + "; ".join(m for errors in form.errors.values() for m in errors),
    )
    return redirect(reverse("training:course", args=[pk]) + "#partecipanti")


@require_POST
@capability_required(RUN_COURSES)
def course_session(request, pk: int):
    return _course_post(
        request,
        pk,
        SessionForm(request.POST),
        "session_form",
        lambda course, data: services.add_session(course=course, data=data),
        "Lezione aggiunta.",
        "#lezioni",
    )


@capability_required(RUN_COURSES)
def session_register(request, pk: int, session_pk: int):
    """The register of one lesson, to fill on a tablet: one large box per person."""
    session = get_object_or_404(
        CourseSession.objects.select_related("course"), pk=session_pk, course_id=pk
    )
    attendees = list(services.attendees(session))
    marked = dict(session.attendance.values_list("participation_id", "present"))
    errors = []
    if request.method == "POST":
        try:
            present = services.record_attendance(
                session=session, present_ids=request.POST.getlist("presenti"), by=request.user
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                f"Registro salvato: {present} su {len(attendees)} presenti.",
            )
            return redirect(reverse("training:course", args=[pk]) + "#lezioni")
    readable = set(
        visible_people(request.user)
        .filter(pk__in=[p.person_id for p in attendees])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "training/register.html",
        {
            "session": session,
            "course": session.course,
            "rows": [(p, marked.get(p.pk), p.person_id in readable) for p in attendees],
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@require_POST
@capability_required(RUN_COURSES)
def course_register_import(request, pk: int):
    def act(course, data):
        upload = data["file"]
        if upload.size > MAX_REGISTER_BYTES:
            raise ValidationError({"file": "Il file supera 2 MB: non sembra un registro."})
        return services.import_attendance(course=course, content=upload.read(), by=request.user)

    return _course_post(
        request,
        pk,
        AttendanceImportForm(request.POST, request.FILES),
        "import_form",
        act,
        lambda count: f"Registro importato: {count} presenze o assenze registrate.",
        "#lezioni",
    )


@require_POST
@capability_required(MANAGE_COURSES)
def course_close(request, pk: int):
    return _course_post(
        request,
        pk,
        CloseCourseForm(request.POST),
        "close_form",
        lambda course, data: services.close_course(
            course=course,
            on=data["on"],
            qualified_ids=request.POST.getlist("qualificati"),
            by=request.user,
        ),
        "Corso chiuso: i partecipanti ancora iscritti lo hanno completato.",
        "#esiti",
    )


# Documents --------------------------------------------------------------------------------


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@capability_required(RUN_COURSES)
def course_register_pdf(request, pk: int):
    course = _course(pk)
    participations = course.participations.filter(outcome__in=TAKING_PART).select_related("person")
    readable = (
        visible_people(request.user).filter(pk__in=participations.values("person_id")).count()
    )
    if readable < participations.count() and not request.user.can(MANAGE_COURSES):
        raise PermissionDenied(
            "Il registro nomina persone che il suo ruolo non le permette di vedere."
        )
    record_access(request=request, instance=course, detail="Registro presenze in PDF")
    return _pdf(attendance_register_pdf(course), f"registro-corso-{course.pk}.pdf")


@capability_required(RUN_COURSES)
def participation_certificate(request, pk: int, participation_pk: int):
    participation = _participation(request, pk, participation_pk, edit=False)
    if participation.outcome != ParticipationOutcome.COMPLETATO:
        raise Http404("L'attestato c'è solo per chi ha completato il corso.")
    record_access(
        request=request,
        instance=participation,
        detail="Attestato di frequenza in PDF",
        person_id=participation.person_id,
    )
    return _pdf(certificate_pdf(participation), f"attestato-{participation.pk}.pdf")

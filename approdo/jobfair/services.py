"""The digital job fair: stands of Board companies with their slots, 1:1 bookings (public
page or operator) with the slot held under a lock, each company's agenda, and after the
fair the meetings that become candidacies on the request they were about."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vText

from approdo.comms.services import contacts_footer, queue_text_email
from approdo.companies.selectors import board_members_on
from approdo.events.services import VISITOR_RETENTION, programme_person
from approdo.matching.services import shortlist
from approdo.people.models import Person

from .models import Booking, JobFair, Slot, Stand

EMAIL_KIND = "fiera del lavoro"


def _public(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def agenda_link(stand: Stand) -> str:
    return _public(reverse("jobfair:agenda", args=[stand.agenda_token]))


def booking_link(booking: Booking) -> str:
    return _public(reverse("jobfair:booking", args=[booking.token]))


def slot_times(fair: JobFair) -> list[tuple[datetime, datetime]]:
    zone = timezone.get_current_timezone()
    start = datetime.combine(fair.day, fair.opens_at, tzinfo=zone)
    end = datetime.combine(fair.day, fair.closes_at, tzinfo=zone)
    length = timedelta(minutes=fair.slot_minutes)
    times = []
    while start + length <= end:
        times.append((start, start + length))
        start += length
    return times


def check_stand(stand: Stand, vacancies) -> None:
    errors = {}
    if not board_members_on(stand.fair.day).filter(company_id=stand.company_id).exists():
        errors["company"] = "Lo stand è per le aziende del Board: questa non ne fa parte."
    if stand.contact is not None and stand.contact.company_id != stand.company_id:
        errors["contact"] = "Il referente deve essere dell'azienda dello stand."
    others = [v for v in vacancies if v.company_id != stand.company_id or not v.is_open]
    if others:
        errors["vacancies"] = "Scelga solo richieste aperte dell'azienda dello stand."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_stand(stand: Stand, *, vacancies=(), by=None) -> Stand:
    """Save a stand; a new one gets the fair's slots."""
    vacancies = list(vacancies)
    check_stand(stand, vacancies)
    new = stand.pk is None
    stand.full_clean()
    stand.save()
    stand.vacancies.set(vacancies)
    if new:
        Slot.objects.bulk_create(
            Slot(stand=stand, starts_at=start, ends_at=end) for start, end in slot_times(stand.fair)
        )
    return stand


@transaction.atomic
def book(
    *,
    slot_id: int,
    first_name: str,
    last_name: str,
    email: str,
    vacancy_id: int | None = None,
    note: str = "",
    person: Person | None = None,
    by=None,
) -> Booking:
    """Book a 1:1 meeting: the slot is locked, so two people never get the same one."""
    slot = (
        Slot.objects.select_for_update(of=("self",))
        .select_related("stand__fair", "stand__company")
        .filter(pk=slot_id)
        .first()
    )
    if slot is None:
        raise ValidationError({"slot": "Scelga un orario tra quelli proposti."})
    fair = slot.stand.fair
    email = email.strip().lower()
    if by is None and not fair.published:
        raise ValidationError("Le prenotazioni per questa fiera sono chiuse.")
    if slot.starts_at <= timezone.now():
        raise ValidationError({"slot": "Quell'orario è già passato: ne scelga un altro."})
    if slot.bookings.filter(cancelled_at__isnull=True).exists():
        raise ValidationError({"slot": "Quell'orario è stato appena preso: ne scelga un altro."})
    mine = Booking.objects.filter(email=email, cancelled_at__isnull=True, slot__stand__fair=fair)
    if mine.filter(slot__stand=slot.stand).exists():
        raise ValidationError("Con questo indirizzo c'è già un incontro con questa azienda.")
    if mine.filter(slot__starts_at__lt=slot.ends_at, slot__ends_at__gt=slot.starts_at).exists():
        raise ValidationError(
            {"slot": "A quell'ora ha già un altro incontro: scelga un orario diverso."}
        )
    vacancy = None
    if vacancy_id:
        vacancy = slot.stand.vacancies.filter(pk=vacancy_id).first()
        if vacancy is None:
            raise ValidationError({"vacancy": "Scelga una delle richieste dello stand."})
    if person is None and by is None:
        person = programme_person(email)
    booking = Booking.objects.create(
        slot=slot,
        person=person,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        vacancy=vacancy,
        note=note.strip(),
        privacy_version="" if by else settings.PRIVACY_NOTICE_VERSION,
        created_by=by,
    )
    _send_confirmation(booking)
    return booking


def booking_ics(booking: Booking, *, method: str = "PUBLISH") -> str:
    slot, stand = booking.slot, booking.slot.stand
    calendar = Calendar()
    calendar.add("prodid", "-//Approdo//Fiera del lavoro//IT")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    entry = Event()
    entry.add("uid", f"fiera-{booking.token[:16]}@approdo")
    entry.add("sequence", 1 if method == "CANCEL" else 0)
    entry.add("summary", f"Incontro con {stand.company} – {stand.fair.title}")
    zone = timezone.get_current_timezone()
    entry.add("dtstart", slot.starts_at.astimezone(zone))
    entry.add("dtend", slot.ends_at.astimezone(zone))
    entry.add("dtstamp", timezone.now())
    entry.add("location", vText(stand.video_room_url))
    entry.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def _send(booking: Booking, *, subject: str, text: str, method: str = "PUBLISH"):
    if booking.person is not None and booking.person.processing_restricted_at:
        return None
    return queue_text_email(
        to=booking.email,
        kind=EMAIL_KIND,
        subject=subject,
        body=(
            f"{text}\n\nLa sua prenotazione, per annullarla: {booking_link(booking)}\n\n"
            f"{contacts_footer()}"
        ),
        person=booking.person,
        attachment_name="incontro.ics",
        attachment_type=f"text/calendar; method={method}",
        attachment_content=booking_ics(booking, method=method),
        requested_by=booking.created_by,
    )


def _send_confirmation(booking: Booking) -> None:
    slot, stand = booking.slot, booking.slot.stand
    about = f" per la richiesta «{booking.vacancy.job_title}»" if booking.vacancy else ""
    starts = timezone.localtime(slot.starts_at)
    _send(
        booking,
        subject=f"Incontro prenotato con {stand.company}",
        text=(
            f"Gentile {booking.first_name},\nil suo incontro con {stand.company}{about} alla "
            f"«{stand.fair.title}» è prenotato per il {starts:%d/%m/%Y} alle {starts:%H:%M} "
            f"({stand.fair.slot_minutes} minuti).\nAll'ora dell'incontro entri nella stanza "
            f"video dello stand:\n{stand.video_room_url}\n\nIn allegato l'appuntamento per il "
            "calendario. Prepari il curriculum da mostrare."
        ),
    )


@transaction.atomic
def cancel_booking(booking: Booking) -> None:
    booking = (
        Booking.objects.select_for_update().select_related("slot__stand__fair").get(pk=booking.pk)
    )
    if booking.cancelled_at:
        return
    if booking.slot.starts_at <= timezone.now():
        raise ValidationError("L'incontro è già iniziato: non si annulla più.")
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["cancelled_at"])
    _send(
        booking,
        subject=f"Incontro annullato con {booking.slot.stand.company}",
        text=f"Gentile {booking.first_name},\nil suo incontro è annullato: l'orario torna libero.",
        method="CANCEL",
    )


def send_agenda_link(stand: Stand, *, by) -> None:
    if stand.contact is None or not stand.contact.email:
        raise ValidationError("Lo stand non ha un referente con l'e-mail: lo indichi nello stand.")
    queue_text_email(
        to=stand.contact.email,
        kind=EMAIL_KIND,
        subject=f"La vostra agenda alla «{stand.fair.title}»",
        body=(
            f"Gentile {stand.contact.name},\nda questo collegamento vedete in ogni momento gli "
            f"incontri prenotati al vostro stand del {stand.fair.day:%d/%m/%Y} (chi, a che ora, "
            f"per quale richiesta):\n{agenda_link(stand)}\n\nGli incontri si tengono nella "
            f"stanza video dello stand: {stand.video_room_url}\n\nIl collegamento è riservato "
            f"alla vostra azienda: non lo inoltrate.\n\n{contacts_footer()}"
        ),
        requested_by=by,
    )


@transaction.atomic
def record_meeting(*, booking: Booking, held: bool, by) -> Booking:
    booking = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
    if booking.cancelled_at:
        raise ValidationError("La prenotazione era stata annullata.")
    if booking.slot.starts_at > timezone.now():
        raise ValidationError("L'incontro non c'è ancora stato.")
    booking.held = held
    booking.save(update_fields=["held"])
    return booking


@transaction.atomic
def meeting_to_candidacy(*, booking: Booking, by):
    """The person met the company about a request: they enter its selection, with the
    meeting as the recorded reason (they were not chosen from a ranking)."""
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot__stand__fair", "vacancy", "person")
        .get(pk=booking.pk)
    )
    if not booking.held:
        raise ValidationError("Prima segni che l'incontro si è svolto.")
    if booking.candidacy_id:
        raise ValidationError("L'incontro è già diventato una candidatura.")
    if booking.person is None:
        raise ValidationError(
            "Chi ha prenotato non è una persona del programma: prima si iscrive (dal portale), "
            "poi la si seleziona dalla richiesta."
        )
    if booking.vacancy is None:
        raise ValidationError("L'incontro non riguardava una richiesta precisa.")
    if booking.person.consent_proposal_at is None:
        raise ValidationError("La persona non ha dato il consenso a essere proposta alle aziende.")
    fair = booking.slot.stand.fair
    candidacy = shortlist(
        vacancy=booking.vacancy,
        person=booking.person,
        by=by,
        override_reason=f"Incontro 1:1 alla «{fair.title}» del {fair.day:%d/%m/%Y}.",
    )
    booking.candidacy = candidacy
    booking.save(update_fields=["candidacy"])
    return candidacy


def forget_visitors(*, now=None) -> int:
    """Bookings from outside the programme lose their names and addresses 24 months after
    the fair, as event registrations do."""
    cutoff = (now or timezone.now()) - VISITOR_RETENTION
    return (
        Booking.objects.filter(person__isnull=True, slot__ends_at__lt=cutoff)
        .exclude(email="")
        .update(first_name="", last_name="", email="", note="")
    )

"""A coordinator runs a course: the edition with its provider and a company committed to
hire, people enrolled (one from a ranking's missing licence, onto the waiting list), a
register, a withdrawal that lets the waiting person in, the close with qualifications,
and the course's rates once placements are recorded."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from approdo.accounts.roles import Role
from approdo.partners.models import Partner
from approdo.placements.services import record_placement
from approdo.training.models import CatalogueCourse, Course
from tests.e2e.conftest import assert_accessible, log_in, open_menu, tick
from tests.factories import UserFactory, company, ready_person, vacancy

TODAY = timezone.localdate()


def _outcome_row(page, who: str) -> list[str]:
    row = page.locator("#esiti ~ div table tr", has=page.get_by_role("rowheader", name=who))
    return [cell.strip() for cell in row.locator("td").all_inner_texts()]


def test_a_course_from_its_edition_to_its_rates(page):
    CatalogueCourse.objects.create(
        title="Patente CQC merci",
        category="tecnico-professionale",
        mode="presenza",
        hours=140,
        qualification="Carta di qualificazione del conducente (CQC)",
        gives_licence="CQC",
    )
    Partner.objects.create(name="Autoscuola Emilia", kind="ente di formazione")
    employer = company("Trasporti Reno Srl")
    anna = ready_person(first_name="Anna", last_name="Bassi", licences=["B"])
    luca = ready_person(first_name="Luca", last_name="Conti", licences=["B"])
    ready_person(first_name="Sara", last_name="Dini", licences=["B"])
    request = vacancy(
        company=employer, job_title="Autista", requirements=[("patente", "CQC", True)]
    )
    coordinator = UserFactory(role=Role.COORDINATORE, username="giulia.rinaldi")
    log_in(page, coordinator)

    # 1. The edition, its provider and the company committed to hire.
    open_menu(page, "Formazione e partner", "Corsi")
    assert_accessible(page)
    page.get_by_role("link", name="Nuova edizione").click()
    page.get_by_label("Corso a catalogo").select_option(label="Patente CQC merci")
    page.get_by_label("Ente di formazione").select_option(label="Autoscuola Emilia")
    page.get_by_label("Inizio").fill((TODAY - timedelta(days=20)).isoformat())
    page.get_by_label("Fine", exact=True).fill((TODAY - timedelta(days=30)).isoformat())
    page.get_by_label("Modalità").select_option("presenza")
    page.get_by_label("Ore").fill("140")
    page.get_by_label("Costo (€)").fill("10000")
    page.get_by_label("Posti").fill("2")
    page.get_by_label("Inserimenti concordati con l'ente").fill("2")
    page.get_by_role("button", name="Salva").click()
    # An end before the start is refused, and what was typed stays.
    expect(page.get_by_text("La fine del corso precede il suo inizio.").first).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("Costo (€)")).to_have_value("10000")
    page.get_by_label("Fine", exact=True).fill((TODAY + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Salva").click()
    page.wait_for_url("**/corsi/*/")
    course = Course.objects.get()
    assert_accessible(page)
    page.get_by_text("Aggiungi un'azienda").click()
    page.locator("#id_impegno_company").select_option(label="Trasporti Reno Srl")
    page.locator("#id_impegno_positions").fill("2")
    page.locator("form[action$='/impegni/'] button").click()
    expect(page.get_by_text("Trasporti Reno Srl: 2 assunzioni")).to_be_visible()

    # 2. Two people enrolled from the course page: the seats are taken.
    for person in (anna, luca):
        page.locator("#id_iscrizione_person").fill(person.fiscal_code)
        page.get_by_role("button", name="Iscrivi", exact=True).click()
        expect(page.get_by_text(f"{person} è iscritta al corso.")).to_be_visible()
    expect(page.get_by_text("I posti sono esauriti")).to_be_visible()

    # 3. The ranking for a driver: everyone lacks the CQC; for Sara it leads to the course.
    page.goto(f"/richieste/{request.pk}/")
    page.get_by_role("button", name="Esegui l'abbinamento").click()
    page.wait_for_url("**/abbinamento/**")
    assert_accessible(page)
    page.locator("summary", has_text="Patente CQC: 3 persone").click()
    sara_courses = page.get_by_role("link", name="corsi per Dini Sara")
    expect(sara_courses).to_be_visible()
    sara_courses.click()
    assert_accessible(page)
    expect(page.get_by_text("Corsi da proporre a")).to_be_visible()
    page.get_by_role("button", name="Iscrivi Dini Sara a Patente CQC merci").click()
    expect(
        page.get_by_text("I posti sono esauriti: Dini Sara è in lista d'attesa.")
    ).to_be_visible()
    assert_accessible(page)

    # 4. A lesson and its register, filled as on a tablet.
    page.goto(f"/corsi/{course.pk}/")
    expect(page.get_by_role("heading", name="Lista d'attesa: 1")).to_be_visible()
    page.get_by_text("Aggiungi una lezione").click()
    page.locator("#id_lezione_hours").fill("4")
    page.locator("#id_lezione_topic").fill("Normativa sul trasporto merci")
    page.locator("form[action$='/lezioni/'] button").click()
    expect(page.get_by_text("Lezione aggiunta.")).to_be_visible()
    page.get_by_role("link", name=f"Registro del {TODAY:%d/%m/%Y}").click()
    assert_accessible(page)
    tick(page.get_by_label("Bassi Anna"))
    page.get_by_role("button", name="Salva il registro").click()
    expect(page.get_by_text("Registro salvato: 1 su 2 presenti.")).to_be_visible()

    # 5. Luca withdraws: Sara takes his seat.
    page.locator("summary", has_text="Ritiro di Conti Luca").click()
    page.locator(f"#ritiro-motivo-{course.participations.get(person=luca).pk}").fill(
        "Ha trovato lavoro"
    )
    page.get_by_role("button", name="Registra il ritiro di Conti Luca").click()
    expect(
        page.get_by_text("Ritiro registrato. Entra dalla lista d'attesa: Dini Sara.")
    ).to_be_visible()
    assert_accessible(page)

    # 6. The close: Anna obtains the CQC, Sara completes without it.
    tick(page.locator("#chiusura").locator("..").get_by_label("Bassi Anna"))
    page.get_by_role("button", name="Chiudi il corso").click()
    expect(page.get_by_text("Corso chiuso")).to_be_visible()
    expect(page.get_by_text("qualifica ottenuta")).to_have_count(1)
    expect(page.get_by_role("link", name="Attestato (PDF) di Bassi Anna")).to_be_visible()
    assert_accessible(page)

    # 7. Anna is hired by the committed company: the course's rates move.
    record_placement(
        person=anna,
        company=employer,
        by=coordinator,
        data={
            "placement_type": "assunzione",
            "contract": "tempo determinato",
            "start_on": TODAY,
            "weekly_hours": 38,
            "job_title": "Autista",
        },
    )
    page.reload()
    assert _outcome_row(page, "Tutti i partecipanti") == ["3", "1", "1", "33,3%", "33,3%"]
    assert _outcome_row(page, "Con la qualifica") == ["1", "1", "1", "100,0%", "100,0%"]
    assert_accessible(page)

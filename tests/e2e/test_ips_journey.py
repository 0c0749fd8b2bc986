"""An IPS specialist opens a path on a referral, moves it through the model's phases,
records a job start, and the coordinators' figures move."""

from playwright.sync_api import expect

from approdo.accounts.roles import Role
from approdo.training.models import ProgrammePath
from tests.e2e.conftest import assert_accessible, log_in, open_menu, tick
from tests.factories import UserFactory, company, ready_person


def _ips_figure(page, label: str) -> str:
    row = page.locator("tr", has=page.get_by_role("rowheader", name=label, exact=True))
    return row.locator("td").inner_text()


def test_a_referral_becomes_a_path_and_a_job_start_moves_the_figures(page):
    person = ready_person(first_name="Matteo", last_name="Ferri")
    company("Forno del Navile Srl")
    specialist = UserFactory(role=Role.SPECIALISTA_IPS, username="elena.monti")
    coordinator = UserFactory(role=Role.COORDINATORE, username="giulia.rinaldi")

    log_in(page, coordinator)
    page.goto("/cifre/")
    assert _ips_figure(page, "Inserimenti nel percorso IPS") == "0"
    assert _ips_figure(page, "Percorsi IPS aperti") == "0"
    page.get_by_role("button", name="Esci").click()
    page.wait_for_url("**/accesso/")

    # 1. The referral: from the person's file, with the person's consent.
    log_in(page, specialist)
    page.goto(f"/lavoro/persone/{person.pk}/")
    page.get_by_role("link", name="Apri un percorso IPS").click()
    assert_accessible(page)
    page.get_by_label("Servizio che invia la persona").fill("Centro di salute mentale Navile")
    page.get_by_role("button", name="Apri il percorso").click()
    # Without the consent nothing opens, and what was typed stays.
    expect(page.get_by_text("Senza il consenso della persona").first).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("Servizio che invia la persona")).to_have_value(
        "Centro di salute mentale Navile"
    )
    tick(page.get_by_label("La persona ha dato il consenso", exact=False))
    page.get_by_role("button", name="Apri il percorso").click()
    page.wait_for_url("**/ips/percorsi/*/")
    assert_accessible(page)
    path = ProgrammePath.objects.get(person=person)
    assert path.specialist == specialist

    # 2. Through the phases, with a contact with an employer on the way.
    for phase in ("profilo professionale", "ricerca del lavoro"):
        page.locator("#id_fase_phase").select_option(phase)
        page.get_by_role("button", name="Cambia fase").click()
        expect(page.get_by_text("Fase del percorso aggiornata.")).to_be_visible()
    page.locator("#id_contatto_employer").fill("Bar Centrale")
    page.locator("#id_contatto_kind").select_option("visita")
    page.locator("#id_contatto_outcome").fill("Cercano un aiuto al banco al mattino")
    page.get_by_role("button", name="Registra il contatto").click()
    expect(page.get_by_role("cell", name="Bar Centrale")).to_be_visible()
    assert_accessible(page)

    # 3. The job start, recorded from the path: it counts as an IPS placement.
    page.get_by_role("link", name="Registra l'inizio di un lavoro").click()
    page.locator("#id_company").select_option(label="Forno del Navile Srl")
    page.locator("#id_placement_type").select_option("tirocinio")
    page.locator("#id_start_on").fill(path.start_on.isoformat())
    page.locator("#id_job_title").fill("Aiuto panettiere")
    page.get_by_role("button", name="Registra l'inserimento").click()
    expect(page.get_by_text("Inserimento registrato.")).to_be_visible()
    page.get_by_role("link", name="Apri il percorso").click()
    page.locator("#id_fase_phase").select_option("inizio del lavoro")
    page.get_by_role("button", name="Cambia fase").click()
    expect(page.get_by_role("link", name="Tirocinio presso Forno del Navile Srl")).to_be_visible()
    assert_accessible(page)

    # 4. The service's page: the caseload, the capacity.
    open_menu(page, "Persone", "Servizio IPS")
    assert_accessible(page)
    expect(page.get_by_role("link", name="Ferri Matteo")).to_be_visible()
    loads = page.locator("table", has=page.locator("caption", has_text="per specialista"))
    assert "1" in loads.locator("tr", has_text=str(specialist)).inner_text()
    page.get_by_role("button", name="Esci").click()
    page.wait_for_url("**/accesso/")

    # 5. The coordinators' figures, from what was recorded.
    log_in(page, coordinator)
    page.goto("/cifre/")
    assert _ips_figure(page, "Inserimenti nel percorso IPS") == "1"
    assert _ips_figure(page, "Percorsi IPS aperti") == "1"
    assert _ips_figure(page, "Persone seguite nel percorso IPS") == "1"
    assert_accessible(page)

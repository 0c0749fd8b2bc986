"""Projects, the guarantee fund and the calls for grants, as a coordinator uses them: a
person's business from submission to a committee and a guaranteed loan that uses the fund
and a repayment that frees it; the over-55 incentive refused at 54 and accepted at 55; an
intermediaries' proposal refused after the deadline."""

from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from approdo.accounts.roles import Role
from approdo.partners.models import Partner
from approdo.projects.models import FundMovement, GrantCall, Payment, Project
from tests.e2e.conftest import assert_accessible, log_in, open_menu, tick
from tests.factories import PersonFactory, UserFactory, ready_person

TODAY = timezone.localdate()


def _figure(page, name: str):
    return page.locator(f"[data-figure='{name}']")


def test_a_business_from_its_submission_to_a_guaranteed_loan_and_its_repayment(page):
    FundMovement.objects.create(on=TODAY - timedelta(days=400), kind="versamento", amount=30000)
    person = ready_person(first_name="Amina", last_name="Diallo")
    log_in(page, UserFactory(role=Role.COORDINATORE, username="giulia.rinaldi"))

    # 1. Submitted from the person's file, then coached.
    page.goto(f"/lavoro/persone/{person.pk}/")
    page.get_by_role("link", name="Registra un progetto di autoimpiego").click()
    assert_accessible(page)
    page.get_by_label("Titolo del progetto").fill("Sartoria di quartiere")
    page.get_by_role("button", name="Salva").click()
    page.wait_for_url("**/progetti/*/")
    expect(page.get_by_text("Candidato", exact=True).first).to_be_visible()
    assert_accessible(page)
    page.locator("#id_stato_to_state").select_option(label="In accompagnamento")
    page.get_by_role("button", name="Cambia stato").click()
    expect(page.get_by_text("Stato del progetto aggiornato.")).to_be_visible()

    # 2. The committee approves it with an amount; the minutes are a PDF.
    open_menu(page, "Progetti e fondi", "Comitato di valutazione")
    assert_accessible(page)
    page.get_by_role("link", name="Registra una seduta").click()
    assert_accessible(page)
    page.get_by_label("Componenti presenti").fill("Presidente, Comune\nReferente della banca")
    page.get_by_label("Decisione su «Sartoria di quartiere»").select_option(label="Approvato")
    page.get_by_label("Importo approvato per «Sartoria di quartiere» (euro)").fill("6000")
    page.get_by_role("button", name="Registra la seduta").click()
    expect(page.get_by_text("Seduta registrata")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Scarica il verbale (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.get_by_role("link", name="Sartoria di quartiere").click()
    expect(page.get_by_text("Approvato dal comitato").first).to_be_visible()

    # 3. A loan beyond what the fund has is refused with the figure; one within is recorded.
    page.locator("summary", has_text="Registra un finanziamento").click()
    page.get_by_label("Importo del finanziamento (euro)").fill("40000")
    page.get_by_label("Garanzia del fondo (euro)").fill("35000")
    page.get_by_role("button", name="Registra il finanziamento").click()
    expect(page.get_by_text("supera la disponibilità del fondo").first).to_be_visible()
    expect(page.get_by_text("sono disponibili 30.000,00 €").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Importo del finanziamento (euro)").fill("12000")
    page.get_by_label("Garanzia del fondo (euro)").fill("10000")
    page.get_by_role("button", name="Registra il finanziamento").click()
    expect(page.get_by_text("Finanziamento garantito registrato")).to_be_visible()

    # 4. The fund's available amount drops; a repayment frees part of it.
    open_menu(page, "Progetti e fondi", "Fondo di garanzia")
    assert_accessible(page)
    expect(_figure(page, "available")).to_have_text("20.000,00 €")
    page.locator("#id_movimento_kind").select_option("svincolo")
    page.locator("#id_movimento_amount").fill("4000")
    loan = Payment.objects.get(kind="finanziamento garantito")
    page.get_by_label("Numero del finanziamento").fill(str(loan.pk))
    page.get_by_role("button", name="Registra il movimento").click()
    expect(page.get_by_text("Movimento registrato.")).to_be_visible()
    expect(_figure(page, "available")).to_have_text("24.000,00 €")
    expect(_figure(page, "outstanding")).to_have_text("6.000,00 €")
    assert Project.objects.get().state == "valutato positivamente"


def test_the_over_55_incentive_is_refused_at_54_and_accepted_at_55(page):
    hired = TODAY - timedelta(days=30)
    young = PersonFactory(
        first_name="Paolo",
        last_name="Neri",
        birth_date=date(hired.year - 55, hired.month, hired.day) + timedelta(days=1),
        registered_at=timezone.now() - timedelta(days=300),
    )
    older = PersonFactory(
        first_name="Rita",
        last_name="Gallo",
        birth_date=date(hired.year - 55, hired.month, hired.day),
        registered_at=timezone.now() - timedelta(days=300),
    )
    Partner.objects.create(name="Coop. Soc. Il Ponte", kind="terzo settore")
    GrantCall.objects.create(
        kind="incentivo over 55",
        title="Incentivo per l'assunzione di persone dai 55 anni",
        year=TODAY.year,
        opens_on=TODAY - timedelta(days=365),
        yearly_cap=10000,
        minimum_age=55,
        eligible_kinds=["terzo settore"],
    )
    log_in(page, UserFactory(role=Role.COORDINATORE, username="giulia.rinaldi"))
    open_menu(page, "Progetti e fondi", "Contributi")
    assert_accessible(page)
    page.get_by_role("link", name="Incentivo per l'assunzione di persone dai 55 anni").click()
    assert_accessible(page)
    page.get_by_role("link", name="Registra una domanda").click()
    page.get_by_label("Ente").select_option(label="Coop. Soc. Il Ponte")
    page.get_by_label("E-mail per le comunicazioni").fill("amministrazione@ponte.example.it")
    page.get_by_label("Importo richiesto (euro)").fill("10000")
    page.get_by_label("Codice fiscale della persona assunta").fill(young.fiscal_code)
    page.get_by_label("Data di assunzione").fill(hired.isoformat())
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("la persona aveva 54 anni").first).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("Importo richiesto (euro)")).to_have_value("10000")
    page.get_by_label("Codice fiscale della persona assunta").fill(older.fiscal_code)
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Domanda registrata: i requisiti sono verificati.")).to_be_visible()
    assert_accessible(page)
    tick(page.get_by_label("Ammessa", exact=True))
    page.get_by_role("button", name="Registra la decisione").click()
    expect(page.get_by_text("Decisione registrata")).to_be_visible()
    expect(page.get_by_text("10.000,00 €").first).to_be_visible()
    expect(page.get_by_role("heading", name="Rate mensili")).to_be_visible()
    assert_accessible(page)


def test_a_late_intermediaries_proposal_is_refused_with_the_deadline(page):
    deadline = TODAY - timedelta(days=3)
    Partner.objects.create(name="Agenzia Lavoro Emilia", kind="agenzia per il lavoro")
    call = GrantCall.objects.create(
        kind="progetti intermediari",
        title="Progetti degli intermediari",
        year=deadline.year,
        opens_on=deadline - timedelta(days=120),
        deadline=deadline,
        yearly_cap=40000,
        eligible_kinds=["agenzia per il lavoro"],
    )
    # From the public page, the call says it is closed, and when.
    page.goto(f"/bandi/{call.pk}/domanda/")
    expect(page.get_by_text(f"chiuso il {deadline:%d/%m/%Y}")).to_be_visible()
    assert_accessible(page)
    # Entered by staff with today's date: refused, naming the deadline.
    log_in(page, UserFactory(role=Role.COORDINATORE, username="giulia.rinaldi"))
    page.goto(f"/contributi/{call.pk}/domanda/")
    page.get_by_label("Ente").select_option(label="Agenzia Lavoro Emilia")
    page.get_by_label("E-mail per le comunicazioni").fill("progetti@agenzia.example.it")
    page.get_by_label("Importo richiesto (euro)").fill("30000")
    page.get_by_label("Titolo del progetto").fill("Lavoro in rete")
    page.get_by_label("Descrizione del progetto").fill("Inserimenti nella logistica.")
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text(f"si presentavano entro il {deadline:%d/%m/%Y}").first).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("Titolo del progetto")).to_have_value("Lavoro in rete")
    # Dated by the deadline (received on time by post), it is taken.
    page.get_by_label("Data di presentazione").fill(deadline.isoformat())
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Domanda registrata.")).to_be_visible()

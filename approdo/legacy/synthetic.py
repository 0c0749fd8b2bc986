"""A synthetic legacy export in the conventions of the old system (FORMAT.md).

Clean rows only, with the export's Italian conventions (dates GG/MM/AAAA, `;`,
S/N, `|` lists, mixed case in enumerations); proportions follow the real sample:
interviews, companies, requests, placements with renewals, courses, participants
and IPS paths grow with the number of people. The import benchmark and the
tests use it (the tests add the dirty rows they check).
"""

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from approdo.people.identity import fiscal_code_for

from .validation import COLUMNS

SURNAMES = "Rossi Bianchi Ferrari Esposito Romano Colombo Ricci Marino Greco Bruno Gallo Conti "
SURNAMES += "Costa Giordano Mancini Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani"
FIRST = {
    "M": "Marco Luca Giuseppe Paolo Ahmed Mohamed Ion Andrea Matteo Karim Davide Simone".split(),
    "F": "Anna Laura Giulia Maria Fatima Elena Sara Chiara Ioana Valentina Amina Silvia".split(),
}
COMUNI = ["Bologna"] * 8 + ["Imola", "Casalecchio di Reno", "San Lazzaro di Savena", "Budrio"]
ABROAD = {"Marocco": "Z330", "Romania": "Z129", "Albania": "Z100", "Pakistan": "Z236"}
JOBS = [
    "Addetto alle pulizie",
    "Magazziniere",
    "Aiuto cuoco",
    "Cameriere di sala",
    "Giardiniere",
    "Saldatore",
    "Cassiere",
    "Facchino",
]
CONTRACTS = ["tempo determinato"] * 5 + ["tempo indeterminato", "apprendistato", "somministrazione"]
TYPES = ["assunzione"] * 6 + ["Tirocinio", "stage", "mini job", "lavoro autonomo"]
START = date(2018, 1, 1)
DAYS = (date(2025, 12, 31) - START).days


def day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def write(folder: Path, name: str, rows) -> int:
    with open(folder / name, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quotechar='"', lineterminator="\r\n")
        handle.write(";".join(COLUMNS[name]) + "\r\n")
        count = 0
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def write_synthetic_export(folder: Path, *, people: int, seed: int = 2017) -> dict[str, int]:
    """Write every file of an export with `people` people; returns the rows per file."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    people_count = people
    company_count = max(20, people_count // 40)
    registered: dict[int, date] = {}
    surnames = SURNAMES.split()

    def people():
        codes = set()
        for pid in range(1, people_count + 1):
            sex = rng.choice("MF")
            last, first = rng.choice(surnames), rng.choice(FIRST[sex])
            born = date(1960, 1, 1) + timedelta(days=rng.randrange(16000))
            citizenship = rng.choice(["Italia"] * 6 + list(ABROAD))
            place = "A944" if citizenship == "Italia" else ABROAD[citizenship]
            code = fiscal_code_for(last, first, sex, born, place)
            if code in codes:  # homonyms born the same day: the old system had no code
                code = ""
            codes.add(code)
            joined = START + timedelta(days=rng.randrange(DAYS))
            registered[pid] = joined
            left = rng.random() < 0.4
            yield [
                pid,
                last,
                first,
                code,
                sex,
                day(born),
                citizenship,
                rng.choice(COMUNI),
                "BO",
                "40100",
                f"{first.lower()}.{last.lower()}{pid}@example.org",
                f"3{rng.randrange(10**8, 10**9)}",
                day(joined),
                rng.choice(["portale", "sportello", "segnalazione"]),
                rng.choice(["licenza media", "diploma", "laurea", "qualifica professionale"]),
                "madrelingua" if citizenship == "Italia" else rng.choice(["A2", "B1", "B2"]),
                rng.choice(["", "B", "B|C|CQC", "AM"]),
                "fuori protocollo" if left else "in carico",
                rng.choice(["lavora", "irreperibile", "altro"]) if left else "",
                day(joined + timedelta(days=200)) if left else "",
                "S",
                day(joined),
            ]

    counts = {"persone.csv": write(folder, "persone.csv", people())}

    def interviews():
        next_id = 1
        for pid, joined in registered.items():
            if rng.random() < 0.15:
                continue  # still waiting
            first_on = joined + timedelta(days=rng.randrange(5, 60))
            in_target = rng.random() < 0.8
            yield [
                next_id,
                pid,
                day(first_on),
                "primo colloquio",
                "in target" if in_target else "fuori target",
                rng.choice(["pronto", "non pronto", "profilo fragile"]) if in_target else "",
                rng.choice(["presenza", "video", "telefono"]),
                rng.choice(["Anna Fabbri", "Paolo Guidi", "Marta Serra"]),
                "Disponibile da subito; cerca lavoro su turni" if rng.random() < 0.2 else "",
            ]
            next_id += 1
            for _ in range(rng.choice([0, 0, 1, 2])):
                yield [
                    next_id,
                    pid,
                    day(first_on + timedelta(days=rng.randrange(30, 300))),
                    "monitoraggio",
                    "",
                    "",
                    "presenza",
                    "Anna Fabbri",
                    "",
                ]
                next_id += 1

    counts["colloqui.csv"] = write(folder, "colloqui.csv", interviews())

    def companies():
        for cid in range(1, company_count + 1):
            board = rng.random() < 0.2
            contacted = START + timedelta(days=rng.randrange(DAYS))
            yield [
                cid,
                f"Azienda {cid} {rng.choice(surnames)} srl",
                f"{cid:011d}",
                rng.choice(["56.10.11", "49.41.00", "81.21.00", ""]),
                rng.choice(COMUNI),
                day(contacted),
                "S" if board else "N",
                day(contacted + timedelta(days=60)) if board else "",
                "Referente",
                f"hr{cid}@example.com",
                "051000000",
            ]

    counts["aziende.csv"] = write(folder, "aziende.csv", companies())
    vacancy_company: dict[int, int] = {}

    def requests():
        for vid in range(1, company_count * 3 + 1):
            company = rng.randrange(1, company_count + 1)
            vacancy_company[vid] = company
            kind = rng.choice(TYPES)
            yield [
                vid,
                company,
                day(START + timedelta(days=rng.randrange(DAYS))),
                rng.choice(JOBS),
                rng.randrange(1, 4),
                rng.choice(COMUNI),
                kind,
                rng.choice(CONTRACTS) if kind == "assunzione" else "",
                12 if kind == "mini job" else rng.choice([20, 30, 36, 40]),
                rng.choice(["", "B"]),
                rng.choice(["", "A2", "B1"]),
                "Disponibilità su turni;\nesperienza gradita",
                rng.choice(["aperta", "chiusa", "chiusa"]),
            ]

    counts["richieste.csv"] = write(folder, "richieste.csv", requests())
    placed = rng.sample(sorted(registered), k=people_count * 3 // 10)

    def placements():
        next_id = 1
        for pid in placed:
            vid = rng.randrange(1, company_count * 3 + 1)
            start = registered[pid] + timedelta(days=rng.randrange(30, 400))
            kind = rng.choice(TYPES)
            ips = "IPS" if rng.random() < 0.03 else ""
            yield [
                next_id,
                pid,
                vacancy_company[vid],
                vid,
                day(start),
                day(start + timedelta(days=180)),
                kind,
                rng.choice(CONTRACTS) if kind == "assunzione" else "",
                12 if kind == "mini job" else 30,
                rng.choice(JOBS),
                "",
                ips,
            ]
            if rng.random() < 0.2:  # renewed or transformed
                yield [
                    next_id + 1,
                    pid,
                    vacancy_company[vid],
                    "",
                    day(start + timedelta(days=181)),
                    "",
                    "assunzione",
                    rng.choice(CONTRACTS),
                    36,
                    rng.choice(JOBS),
                    next_id,
                    ips,
                ]
                next_id += 1
            next_id += 1

    counts["inserimenti.csv"] = write(folder, "inserimenti.csv", placements())
    course_count = max(5, people_count // 500)

    def courses():
        for cid in range(1, course_count + 1):
            start = START + timedelta(days=rng.randrange(DAYS))
            yield [
                cid,
                f"{rng.choice(JOBS)} – edizione {cid}",
                rng.choice(["IRECOOP", "Ecipar", "CEFAL"]),
                rng.choice(["tecnico-professionale", "lingua italiana", "sicurezza", "HACCP"]),
                day(start),
                day(start + timedelta(days=60)),
                rng.choice(["presenza", "FAD", "mista"]),
                rng.choice([16, 40, 120]),
                f"{rng.randrange(1000, 40000)},00",
            ]

    counts["corsi.csv"] = write(folder, "corsi.csv", courses())
    trainees = rng.sample(sorted(registered), k=people_count // 10)

    def participations():
        for pid in trainees:
            yield [
                rng.randrange(1, course_count + 1),
                pid,
                day(registered[pid] + timedelta(days=20)),
                rng.choice(["completato", "completato", "ritirato"]),
                rng.choice("SN"),
            ]

    counts["partecipazioni.csv"] = write(folder, "partecipazioni.csv", participations())

    def paths():
        for pid in rng.sample(sorted(registered), k=max(1, people_count // 50)):
            yield [pid, "IPS", day(registered[pid] + timedelta(days=30)), ""]

    counts["percorsi.csv"] = write(folder, "percorsi.csv", paths())
    counts.update(_projects_and_funds(folder, rng, registered))
    return counts


PROJECT_STATES = ("candidato", "rifiutato", "in accompagnamento", "stand by", "avviato")


def _projects_and_funds(folder: Path, rng: random.Random, registered: dict) -> dict[str, int]:
    """Self-employment projects of some people, a few social-innovation ones, grants and
    guaranteed loans, and the fund's movements (guarantees always within its ceiling)."""
    proposers = rng.sample(sorted(registered), k=max(2, len(registered) // 40))
    # One deposit that covers every guarantee below.
    ceiling = str(4000 * len(proposers))
    projects, payments, movements = [], [], [[1, day(START), "versamento", ceiling, "", ""]]
    for index, pid in enumerate(proposers):
        project_id = len(projects) + 1
        submitted = registered[pid] + timedelta(days=rng.randrange(30, 300))
        # The first business started, so that even a small export has a guaranteed loan.
        state = "avviato" if index == 0 else rng.choice(PROJECT_STATES)
        projects.append(
            [
                project_id,
                "autoimpiego",
                rng.choice(JOBS).capitalize() + " in proprio",
                pid,
                "",
                day(submitted),
                state,
                day(submitted + timedelta(days=60)) if state != "candidato" else "",
                day(submitted + timedelta(days=50)) if state == "avviato" else "",
                "",
                "",
                "",
            ]
        )
        if state == "avviato":
            paid_on = day(submitted + timedelta(days=70))
            payments.append(
                [len(payments) + 1, project_id, paid_on, "4000,00", "finanziamento garantito"]
            )
            movements.append(
                [len(movements) + 1, paid_on, "garanzia", "4000,00", project_id, len(payments)]
            )
            if rng.random() < 0.5:
                repaid = day(submitted + timedelta(days=400))
                movements.append(
                    [len(movements) + 1, repaid, "svincolo", "1000,00", project_id, len(payments)]
                )
    for index in range(max(1, len(registered) // 200)):
        project_id = len(projects) + 1
        submitted = START + timedelta(days=rng.randrange(DAYS))
        selected = index % 2 == 0
        projects.append(
            [
                project_id,
                "innovazione sociale",
                f"Progetto di comunità {index + 1}",
                "",
                f"Coop. Soc. {rng.choice(('La Serra', 'Il Ponte', 'Orti Solidali'))}",
                day(submitted),
                "concluso e finanziato" if selected else "rifiutato",
                day(submitted + timedelta(days=90)),
                day(submitted + timedelta(days=60)) if selected else "",
                "6000,00" if selected else "",
                "1" if selected else "",
                "2" if selected else "",
            ]
        )
        if selected:
            payments.append(
                [
                    len(payments) + 1,
                    project_id,
                    day(submitted + timedelta(days=80)),
                    "6000,00",
                    "contributo",
                ]
            )
    return {
        "progetti.csv": write(folder, "progetti.csv", iter(projects)),
        "erogazioni.csv": write(folder, "erogazioni.csv", iter(payments)),
        "fondo_garanzia.csv": write(
            folder, "fondo_garanzia.csv", iter(sorted(movements, key=lambda m: m[0]))
        ),
    }

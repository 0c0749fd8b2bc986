"""What a company receives when people are proposed to it: a short profile of each and
their CV file, never more (no contact details, no health or fragility data)."""

from dataclasses import dataclass
from pathlib import PurePath

from approdo.occupations.models import Occupation
from approdo.people.choices import DocumentKind, Licence
from approdo.people.models import DocumentVersion


@dataclass
class ProposalProfile:
    name: str
    comune: str
    jobs: list[str]
    skills: list[str]
    licences: list[str]
    cv_file: str


def sendable_cvs(people) -> dict[int, tuple[str, DocumentVersion]]:
    """Each person's current CV file, if clean, with the name it travels under."""
    versions = (
        DocumentVersion.objects.filter(document__person__in=people, document__kind=DocumentKind.CV)
        .select_related("document__person")
        .order_by("document_id", "-number")
        .distinct("document_id")
    )
    cvs = {}
    for version in versions:
        if version.servable:
            person = version.document.person
            suffix = PurePath(version.original_name).suffix.lower() or ".pdf"
            cvs[person.pk] = (f"CV {person.last_name} {person.first_name}{suffix}", version)
    return cvs


def cv_offers(people) -> dict[int, str]:
    """What the ranking says of each person's CV: whether it can go to the company (a
    clean file and the consent in force) or why not."""
    cvs = sendable_cvs(people)
    offers = {}
    for person in people:
        if person.consent_cv_at is None:
            offers[person.pk] = "CV non inviabile: manca il consenso"
        elif person.pk in cvs:
            offers[person.pk] = "CV da inviare all'azienda"
        else:
            offers[person.pk] = "Nessun CV nella scheda"
    return offers


def proposal_profile(person, cv: tuple[str, DocumentVersion] | None) -> ProposalProfile:
    occupations = Occupation.objects.filter(pk__in=person.desired_occupations).values_list(
        "name", flat=True
    )
    return ProposalProfile(
        name=f"{person.first_name} {person.last_name}",
        comune=str(person.residence_comune.name) if person.residence_comune_id else "",
        jobs=sorted({*person.desired_jobs, *occupations}),
        skills=list(person.skills),
        licences=[Licence(code).label for code in person.licences if code in Licence.values],
        cv_file=cv[0] if cv else "",
    )

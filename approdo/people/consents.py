"""The purposes a person consents to, one by one: what each means, its legal basis, and the
field of the person's file that says whether it is given now. Defined once here for the
forms, the file, the portal, the e-mails' withdrawal page and the manual."""

from dataclasses import dataclass

from .choices import ConsentPurpose


@dataclass(frozen=True)
class Purpose:
    code: str
    label: str
    # What the person is told when asked, and what withdrawing stops.
    explanation: str
    legal_basis: str
    field: str  # Person's field: when the consent in force was given (None: not given)


PURPOSES: dict[str, Purpose] = {
    ConsentPurpose.PROPOSTA: Purpose(
        ConsentPurpose.PROPOSTA,
        ConsentPurpose.PROPOSTA.label,
        "Gli operatori confrontano il suo profilo con le richieste delle aziende partner e "
        "le propongono le offerte adatte. Senza questo consenso non compare negli "
        "abbinamenti.",
        "Art. 6.1.a GDPR: consenso",
        "consent_proposal_at",
    ),
    ConsentPurpose.INVIO_CV: Purpose(
        ConsentPurpose.INVIO_CV,
        ConsentPurpose.INVIO_CV.label,
        "Quando una candidatura va avanti, gli operatori inviano il suo curriculum "
        "all'azienda. Senza questo consenso il curriculum non esce dal programma.",
        "Art. 6.1.a GDPR: consenso",
        "consent_cv_at",
    ),
}


def consents_in_force(person) -> list[str]:
    """The purposes the person consents to now."""
    return [code for code, purpose in PURPOSES.items() if getattr(person, purpose.field)]

"""Enumerations of the person's file. Values are the programme's Italian words."""

from django.db import models


class Sex(models.TextChoices):
    M = "M", "Maschio"
    F = "F", "Femmina"


class Channel(models.TextChoices):
    PORTALE = "portale", "Portale (online)"
    SPORTELLO = "sportello", "Sportello"
    SEGNALAZIONE = "segnalazione", "Segnalazione di un partner"


class Education(models.TextChoices):
    NESSUNO = "nessuno", "Nessun titolo"
    ELEMENTARE = "licenza elementare", "Licenza elementare"
    MEDIA = "licenza media", "Licenza media"
    QUALIFICA = "qualifica professionale", "Qualifica professionale"
    DIPLOMA = "diploma", "Diploma"
    LAUREA = "laurea", "Laurea"


class ItalianLevel(models.TextChoices):
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"
    MADRELINGUA = "madrelingua", "Madrelingua"


class Licence(models.TextChoices):
    """Driving licences and work certificates that vacancies ask for."""

    AM = "AM", "Patente AM"
    A = "A", "Patente A"
    B = "B", "Patente B"
    C = "C", "Patente C"
    CE = "CE", "Patente CE"
    D = "D", "Patente D"
    CQC = "CQC", "Carta di qualificazione del conducente (CQC)"
    MULETTO = "muletto", "Patentino carrello elevatore (muletto)"
    HACCP = "HACCP", "Attestato HACCP"
    OSS = "OSS", "Qualifica OSS (operatore socio-sanitario)"
    SICUREZZA = "sicurezza", "Formazione generale sicurezza sul lavoro"
    PRIMO_SOCCORSO = "primo soccorso", "Addetto primo soccorso"
    ANTINCENDIO = "antincendio", "Addetto antincendio"


class Shift(models.TextChoices):
    MATTINA = "mattina", "Mattina"
    POMERIGGIO = "pomeriggio", "Pomeriggio"
    SERA = "sera", "Sera"
    NOTTE = "notte", "Notte"
    WEEKEND = "weekend", "Fine settimana"


class Status(models.TextChoices):
    REGISTRATO = "registrato", "Registrato"
    IN_CARICO = "in carico", "In carico"
    FUORI_PROTOCOLLO = "fuori protocollo", "Fuori protocollo"


class ExitReason(models.TextChoices):
    LAVORA = "lavora", "Lavora"
    IRREPERIBILE = "irreperibile", "Irreperibile"
    NON_COLLABORATIVO = "non collaborativo", "Non collaborativo"
    NON_IN_TARGET = "non in target", "Non in target al primo colloquio"
    ALTRO = "altro", "Altro"


class DocumentKind(models.TextChoices):
    IDENTITY = "documento identita", "Documento d'identità"
    CV = "cv", "Curriculum vitae"
    PRIVACY = "informativa privacy", "Informativa privacy firmata"
    OTHER = "altro", "Altro documento"


class AgeBand(models.TextChoices):
    UNDER_25 = "16-24", "16–24 anni"
    FROM_25 = "25-34", "25–34 anni"
    FROM_35 = "35-49", "35–49 anni"
    FROM_50 = "50+", "50 anni e oltre"


AGE_BAND_LIMITS = {
    AgeBand.UNDER_25: (16, 24),
    AgeBand.FROM_25: (25, 34),
    AgeBand.FROM_35: (35, 49),
    AgeBand.FROM_50: (50, 150),
}


class FirstInterviewOutcome(models.TextChoices):
    IN_TARGET = "in target", "In target"
    FUORI_TARGET = "fuori target", "Non in target"


class Readiness(models.TextChoices):
    PRONTO = "pronto", "Pronto al lavoro"
    NON_PRONTO = "non pronto", "Non pronto"
    FRAGILE = "profilo fragile", "Profilo fragile"


class ConsentPurpose(models.TextChoices):
    """What a person may consent to, each on its own (see people/consents.py)."""

    PROPOSTA = "proposta", "Essere proposto/a alle aziende partner"
    INVIO_CV = "invio_cv", "Invio del curriculum alle aziende"


class ConsentChannel(models.TextChoices):
    SPORTELLO = "sportello", "Allo sportello"
    PORTALE = "portale", "Dal portale"
    EMAIL = "email", "Dal collegamento in una e-mail"
    AREA = "area", "Dall'area personale"
    IMPORTAZIONE = "importazione", "Dal gestionale precedente"


class RightsRequestKind(models.TextChoices):
    """The rights a person may exercise (GDPR art. 15-22)."""

    ACCESSO = "accesso", "Accesso ai dati (art. 15)"
    RETTIFICA = "rettifica", "Rettifica (art. 16)"
    CANCELLAZIONE = "cancellazione", "Cancellazione (art. 17)"
    LIMITAZIONE = "limitazione", "Limitazione del trattamento (art. 18)"
    PORTABILITA = "portabilita", "Portabilità (art. 20)"
    OPPOSIZIONE = "opposizione", "Opposizione (art. 21)"


class RightsRequestStatus(models.TextChoices):
    APERTA = "aperta", "Aperta"
    EVASA = "evasa", "Evasa"
    RESPINTA = "respinta", "Respinta"

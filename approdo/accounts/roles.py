"""Roles of the staff and what each may do.

A capability names an action on a kind of object; per-object rules (who may
see an IPS person's special-category notes, who records an interview's
outcome) live beside the objects, in each app's `permissions.py`.
"""

from django.db import models


class Role(models.TextChoices):
    OPERATORE = "operatore", "Operatore"
    COORDINATORE = "coordinatore", "Coordinatore"
    AMMINISTRATORE = "amministratore", "Amministratore"
    SPECIALISTA_IPS = "specialista_ips", "Specialista IPS"
    SOLA_LETTURA = "sola_lettura", "Sola lettura (revisore)"


VIEW_PEOPLE = "people.view"
EDIT_PEOPLE = "people.edit"
EXPORT_PEOPLE = "people.export"
VIEW_SENSITIVE_NOTES = "people.view_sensitive_notes"
MANAGE_INTAKE = "intake.manage"
MANAGE_ALL_AGENDAS = "intake.manage_all_agendas"
VIEW_AUDIT = "audit.view"
MANAGE_USERS = "accounts.manage"
VIEW_DEMO_MAILBOX = "comms.view_demo_mailbox"
VIEW_COMPANIES = "companies.view"
EDIT_COMPANIES = "companies.edit"
RUN_MATCHING = "matching.run"
MANAGE_MATCHING = "matching.manage"  # weights, occupation vocabulary, fairness report
IMPORT_LEGACY = "legacy.import"
VIEW_FIGURES = "reports.view"  # the dashboard and the yearly report
RESTRICT_PROCESSING = "people.restrict"  # GDPR art. 18, on request
MANAGE_INCIDENTS = "audit.incidents"  # the register of personal data breaches
VIEW_PARTNERS = "partners.view"
EDIT_PARTNERS = "partners.edit"  # partner records, contacts and agreements
VIEW_COURSES = "training.view"
RUN_COURSES = "training.run"  # enrolments, attendance, withdrawals
MANAGE_COURSES = "training.manage"  # the catalogue, editions, their close and the risk share
VIEW_PROJECTS = "projects.view"
RUN_PROJECTS = "projects.run"  # submissions, coaching, documents, jobs created, scores
MANAGE_FUNDS = "projects.manage"  # committee, payments, the guarantee fund, calls for grants
SEND_MAILINGS = "mailings.send"  # mailings to people searches, their templates
RUN_EVENTS = "events.run"  # events, webinar cycles and the job fair: sessions, attendance, stands
SEE_SYSTEM_HEALTH = "system.health"  # warnings such as "no job worker is running"
# Reads every person's file, whatever the team (coordinators, auditors); others read their
# team's people and must give a reason to open another file ("break the glass").
VIEW_WHOLE_PROGRAMME = "people.view_all"

_READ = {VIEW_PEOPLE, VIEW_COMPANIES, VIEW_PARTNERS, VIEW_COURSES, VIEW_PROJECTS}
_WORKING = _READ | {
    EDIT_PEOPLE,
    EXPORT_PEOPLE,
    MANAGE_INTAKE,
    EDIT_COMPANIES,
    RUN_MATCHING,
    RUN_COURSES,
    RUN_PROJECTS,
}
_COORDINATING = {
    MANAGE_ALL_AGENDAS,
    VIEW_AUDIT,
    VIEW_DEMO_MAILBOX,
    MANAGE_MATCHING,
    IMPORT_LEGACY,
    VIEW_FIGURES,
    SEE_SYSTEM_HEALTH,
    RESTRICT_PROCESSING,
    VIEW_WHOLE_PROGRAMME,
    EDIT_PARTNERS,
    MANAGE_COURSES,
    MANAGE_FUNDS,
    SEND_MAILINGS,
    RUN_EVENTS,
}

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.OPERATORE: frozenset(_WORKING),
    Role.SPECIALISTA_IPS: frozenset(_WORKING | {VIEW_SENSITIVE_NOTES}),
    Role.COORDINATORE: frozenset(_WORKING | _COORDINATING),
    Role.AMMINISTRATORE: frozenset(_WORKING | _COORDINATING | {MANAGE_USERS, MANAGE_INCIDENTS}),
    Role.SOLA_LETTURA: frozenset(_READ | {VIEW_AUDIT, VIEW_FIGURES, VIEW_WHOLE_PROGRAMME}),
}


def roles_with(capability: str) -> list[str]:
    """The roles that have `capability`."""
    return [role for role, capabilities in ROLE_CAPABILITIES.items() if capability in capabilities]

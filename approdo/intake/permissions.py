"""Per-object rules on interviews and agendas."""

from approdo.accounts.roles import MANAGE_ALL_AGENDAS, MANAGE_INTAKE


def can_record_outcome(user, interview) -> bool:
    """The interview's own operator, or a coordinator."""
    return user.can(MANAGE_INTAKE) and (
        interview.operator_id == user.pk or user.can(MANAGE_ALL_AGENDAS)
    )


def can_manage_agenda_of(user, operator) -> bool:
    return user.can(MANAGE_INTAKE) and (operator.pk == user.pk or user.can(MANAGE_ALL_AGENDAS))

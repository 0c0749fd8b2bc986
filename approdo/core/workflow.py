"""A state field's allowed moves, declared once next to its choices.

Candidacies, personnel requests and people's statuses each declare a Workflow;
their services lock the row, call `check`, write the new state and log the
move (who, when, why) in their own history table. Forms offer `next_states`,
models answer `is_final`, and a refused move gets one Italian message.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models


@dataclass(frozen=True)
class Workflow:
    states: type[models.TextChoices]
    moves: Mapping[str, frozenset[str]]
    # "{current}" and "{target}" stand for the states' labels in lower case.
    refused: str
    # Messages for moves refused for a reason worth saying, by target state.
    refused_to: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        unknown = {
            state
            for source, targets in self.moves.items()
            for state in {source, *targets}
            if state not in self.states.values
        }
        if unknown:
            raise ValueError(f"States not in {self.states.__name__}: {sorted(unknown)}")

    def next_states(self, current: str) -> list[str]:
        """The states reachable from `current`, in the order of the choices."""
        targets = self.moves.get(current, frozenset())
        return [state for state in self.states.values if state in targets]

    def allows(self, current: str, target: str) -> bool:
        return target in self.moves.get(current, frozenset())

    def is_final(self, state: str) -> bool:
        return not self.moves.get(state)

    def check(self, current: str, target: str) -> None:
        """Raise a ValidationError in Italian if the move is not allowed."""
        if self.allows(current, target):
            return
        template = self.refused_to.get(target, self.refused)
        raise ValidationError(
            template.format(
                current=self.states(current).label.lower(),
                target=self.states(target).label.lower()
                if target in self.states.values
                else target,
            )
        )

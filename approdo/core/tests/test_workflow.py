import pytest
from django.core.exceptions import ValidationError
from django.db import models

from approdo.core.workflow import Workflow


class Light(models.TextChoices):
    RED = "rosso", "Rosso"
    GREEN = "verde", "Verde"
    BROKEN = "guasto", "Guasto"


LIGHT = Workflow(
    states=Light,
    moves={Light.RED: frozenset({Light.GREEN, Light.BROKEN}), Light.GREEN: frozenset({Light.RED})},
    refused="Dal «{current}» non si passa al «{target}».",
    refused_to={Light.GREEN: "Un semaforo «{current}» non diventa verde."},
)


def test_allowed_moves_pass_and_are_offered_in_the_order_of_the_choices():
    LIGHT.check(Light.RED, Light.GREEN)
    assert LIGHT.next_states(Light.RED) == [Light.GREEN, Light.BROKEN]
    assert LIGHT.next_states(Light.BROKEN) == []


def test_a_state_without_moves_is_final():
    assert LIGHT.is_final(Light.BROKEN)
    assert not LIGHT.is_final(Light.GREEN)


def test_a_refused_move_says_why_in_italian():
    with pytest.raises(ValidationError) as refused:
        LIGHT.check(Light.GREEN, Light.BROKEN)
    assert refused.value.messages == ["Dal «verde» non si passa al «guasto»."]


def test_a_move_can_have_its_own_message():
    with pytest.raises(ValidationError) as refused:
        LIGHT.check(Light.BROKEN, Light.GREEN)
    assert refused.value.messages == ["Un semaforo «guasto» non diventa verde."]


def test_a_workflow_naming_unknown_states_is_refused_at_declaration():
    with pytest.raises(ValueError, match="blu"):
        Workflow(states=Light, moves={Light.RED: frozenset({"blu"})}, refused="")

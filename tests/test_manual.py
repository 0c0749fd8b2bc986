"""The manual quotes the definitions of the figures the pages show, word for word."""

import re
from pathlib import Path

import pytest

from approdo.events.selectors import FIGURES_DEFINITION as EVENT_FIGURES
from approdo.jobfair.selectors import FIGURES_DEFINITION as FAIR_FIGURES

MANUAL = Path(__file__).resolve().parents[1] / "docs" / "manuale-delle-procedure.md"


def _words(text: str) -> str:
    return " ".join(re.sub(r"^> ?", "", text, flags=re.MULTILINE).split())


@pytest.mark.parametrize("definition", [EVENT_FIGURES, FAIR_FIGURES], ids=["events", "fair"])
def test_the_manual_quotes_the_definition_of_the_figures(definition):
    assert _words(definition) in _words(MANUAL.read_text())

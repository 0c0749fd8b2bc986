"""Checks over every template that no single page test would see."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "approdo"
TEMPLATES = sorted(ROOT.glob("*/templates/**/*.html"))

# Bootstrap Italia's warning and info backgrounds are dark: dark text on them is about 2.4:1
# (WCAG AA asks 4.5:1); their own white text is what passes.
DARK_ON_DARK = re.compile(
    r"\bbg-(warning|info|primary|secondary|danger|success)\b[^\"']*\btext-dark\b"
)


def test_templates_are_found():
    assert len(TEMPLATES) > 50


def test_no_dark_text_on_a_dark_badge():
    offending = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in TEMPLATES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if DARK_ON_DARK.search(line)
    ]
    assert offending == []

"""Validators of free text that other people will read: names, titles."""

import unicodedata

from django.core.exceptions import ValidationError

# Characters that change how text around them is displayed (they can make "exe.pdf" read as
# "fdp.exe") or are invisible: never part of a name.
_DIRECTION_CONTROLS = {chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def validate_plain_text(value: str) -> None:
    """Refuse control characters and text-direction overrides."""
    for character in value or "":
        if character in _DIRECTION_CONTROLS or unicodedata.category(character) == "Cc":
            raise ValidationError(
                "Il testo contiene un carattere di controllo invisibile "
                f"(U+{ord(character):04X}): lo riscriva senza copiarlo da altri documenti.",
                code="control_character",
            )

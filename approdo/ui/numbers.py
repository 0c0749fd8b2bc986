"""Numbers as the pages print them, in Italian."""


def percent(share: float | None) -> str:
    """0.138 -> "13,8%"."""
    return "–" if share is None else f"{share * 100:.1f}%".replace(".", ",")

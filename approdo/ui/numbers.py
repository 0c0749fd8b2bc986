"""Numbers as the pages print them, in Italian."""


def percent(share: float | None) -> str:
    """0.138 -> "13,8%"."""
    return "–" if share is None else f"{share * 100:.1f}%".replace(".", ",")


def euro(amount) -> str:
    """Decimal("12500.5") -> "12.500,50 €"."""
    if amount is None:
        return "–"
    whole, cents = f"{amount:,.2f}".split(".")
    return f"{whole.replace(',', '.')},{cents} €"

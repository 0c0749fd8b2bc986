"""The occupation vocabulary: lookups from free text, and coordinators' edits."""

from django.db import transaction

from approdo.places.geography import normalise

from .models import Occupation


def occupations_in_text(text: str) -> list[Occupation]:
    """Vocabulary entries named in free text ("oss, mulettista") by name or synonym."""
    phrases = [normalise(part) for part in text.replace(";", ",").split(",")]
    phrases = [phrase for phrase in phrases if phrase]
    if not phrases:
        return []
    return list(Occupation.objects.filter(active=True, search_terms__overlap=phrases))


@transaction.atomic
def save_occupation(
    *,
    occupation: Occupation | None,
    name: str,
    isco_code: str,
    synonyms: list[str],
    active: bool = True,
) -> Occupation:
    """Create or change a vocabulary entry (coordinators)."""
    occupation = occupation or Occupation()
    occupation.name = name.strip()
    occupation.isco_code = isco_code.strip()
    occupation.synonyms = [s.strip() for s in synonyms if s.strip()]
    occupation.active = active
    occupation.full_clean(exclude=["search_terms"])
    occupation.save()
    return occupation

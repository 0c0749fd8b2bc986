"""The occupation vocabulary: lookups from free text, and coordinators' edits."""

from difflib import SequenceMatcher

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


# Words that do not tell jobs apart ("autista DI camion", "addetto ALLE pulizie").
_FILLER = frozenset(
    "a ad al alla alle allo ai agli da dal dalla dalle dei degli delle del della di e ed in "
    "nel nella nelle per con su sul sulla".split()
)
# Below this likeness a title names no vocabulary entry.
CLOSEST_MIN_LIKENESS = 0.75


def _stems(text: str) -> frozenset[str]:
    """Significant words without their last vowel: "autisti" and "autista" are one stem."""
    return frozenset(
        word[:-1] if len(word) > 4 and word[-1] in "aeio" else word
        for word in normalise(text).replace("-", " ").replace("/", " ").split()
        if word not in _FILLER
    )


def closest_occupation(text: str) -> tuple[Occupation, float] | None:
    """The vocabulary entry a free-text job title most plausibly names, with its likeness
    (1.0: named exactly), or None when none is plausible: by name and synonyms, then by the
    title's significant words, then by similar spelling."""
    found = occupations_in_text(text)
    if found:
        return found[0], 1.0
    wanted = _stems(text)
    if not wanted:
        return None
    best: tuple[Occupation, float] | None = None
    for occupation in Occupation.objects.filter(active=True):
        for term in occupation.search_terms:
            stems = _stems(term)
            overlap = len(wanted & stems) / len(wanted | stems) if stems else 0.0
            spelling = SequenceMatcher(None, normalise(text), term).ratio()
            # Below 1: only a name or synonym written as such is an exact match.
            likeness = min(max(overlap, spelling), 0.99)
            if best is None or likeness > best[1]:
                best = (occupation, likeness)
    return best if best and best[1] >= CLOSEST_MIN_LIKENESS else None


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

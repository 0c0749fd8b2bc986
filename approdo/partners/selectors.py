from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from .models import Agreement, Partner


def partners_with_counts(*, kind: str = "", search: str = "", today: date) -> QuerySet[Partner]:
    """Partners for the list: referrals this year and whether an agreement is in force."""
    in_force = Agreement.objects.filter(
        Q(end_on__isnull=True) | Q(end_on__gte=today), partner=OuterRef("pk"), start_on__lte=today
    )
    partners = Partner.objects.select_related("comune").annotate(
        referrals_this_year=Count("referrals", filter=Q(referrals__referred_on__year=today.year)),
        agreement_in_force=Exists(in_force),
    )
    if kind:
        partners = partners.filter(kind=kind)
    if search:
        partners = partners.filter(name__icontains=search)
    return partners.order_by("name")

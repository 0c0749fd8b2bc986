"""Rate limits kept in PostgreSQL, so that every web process counts the same hits."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models.functions import Now

from .models import RateLimitHit


def client_key(request, scope: str) -> str:
    """A key for the client's address that does not store the address itself."""
    address = request.META.get("REMOTE_ADDR", "")
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]
    return f"{scope}:ip:{digest}"


@transaction.atomic
def allow(key: str, *, limit: int, window: timedelta) -> bool:
    """Count one hit under `key`; False when `limit` hits were already counted in `window`
    (the refused hit is not counted, so a client that waits gets through)."""
    with connection.cursor() as cursor:  # one client's simultaneous hits are counted in turn
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])
    RateLimitHit.objects.filter(key=key, at__lt=Now() - window).delete()
    if RateLimitHit.objects.filter(key=key).count() >= limit:
        return False
    RateLimitHit.objects.create(key=key)
    return True


def exceeded(key: str, *, limit: int, window: timedelta) -> bool:
    """True when `limit` hits were counted under `key` in `window` (nothing is counted)."""
    return RateLimitHit.objects.filter(key=key, at__gte=Now() - window).count() >= limit


def record(key: str) -> None:
    """Count one hit under `key` (a failed login, ...)."""
    RateLimitHit.objects.create(key=key)

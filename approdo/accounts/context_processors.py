from django.conf import settings

from approdo.core.files import free_space_warning
from approdo.core.workers import queue_is_stuck

from .roles import ROLE_CAPABILITIES


def programme(request):
    user = getattr(request, "user", None)
    capabilities = (
        ROLE_CAPABILITIES.get(user.role, frozenset()) if user and user.is_authenticated else ()
    )
    return {
        "programme_name": settings.PROGRAMME_NAME,
        "programme_has_logo": bool(settings.PROGRAMME_LOGO),
        "user_capabilities": capabilities,
        "demo_mailbox": bool(settings.DEMO_MAILBOX_DIR),
        "session_seconds": settings.SESSION_COOKIE_AGE,
        # A callable: the template asks only for the roles that see the warning.
        "queue_is_stuck": queue_is_stuck,
        "free_space_warning": free_space_warning,
    }

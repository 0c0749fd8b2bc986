from django.conf import settings

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
    }

"""View decorators that check the role's capability."""

from functools import wraps

from django.core.exceptions import PermissionDenied


def capability_required(capability: str):
    """Deny the view unless the logged-in user's role grants `capability`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated or not request.user.can(capability):
                raise PermissionDenied("Il suo ruolo non consente questa operazione.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

"""How accounts send an e-mail (a password reset link) without importing the outbox, which
sits above them: comms registers its sender here when it starts."""

from collections.abc import Callable

_sender: Callable[..., object] | None = None


def register_sender(sender: Callable[..., object]) -> None:
    """`sender(to=, template=, context=)` queues an e-mail (comms.services.queue_email)."""
    global _sender
    _sender = sender


def send(*, to: str, template: str, context: dict) -> None:
    if _sender is None:
        raise RuntimeError("No e-mail sender registered (is approdo.comms installed?)")
    _sender(to=to, template=template, context=context)

"""What the portal tells apps above it (see tests/test_layers.py): they connect here."""

from django.dispatch import Signal

# Someone already on file registered again online (kwargs: registration).
registration_repeated = Signal()

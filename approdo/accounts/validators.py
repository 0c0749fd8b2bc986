from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError


class ItalianMinimumLengthValidator(MinimumLengthValidator):
    """Django's length rule; its Italian catalogue lacks this message, so it is written here."""

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                f"La password è troppo corta: deve avere almeno {self.min_length} caratteri.",
                code="password_too_short",
            )

    def get_help_text(self):
        return f"La password deve avere almeno {self.min_length} caratteri."

"""A mail backend that always fails, for delivery-failure tests."""

from django.core.mail.backends.base import BaseEmailBackend


class Backend(BaseEmailBackend):
    def send_messages(self, email_messages: object) -> int:
        raise ConnectionError("SMTP down")

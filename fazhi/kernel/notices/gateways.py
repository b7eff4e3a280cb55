"""SMS gateways. The platform talks to one through `SmsGateway.send`.

A deployment names its gateway class in settings.FAZHI_SMS_GATEWAY (dotted
path). The default, `RecordingSmsGateway`, sends nothing: it keeps the
messages in memory and logs them, which is what development, the demo and
the tests need. A real gateway (a carrier's or the government SMS platform's
HTTP API) subclasses `SmsGateway` and raises `SmsError` on failure.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.utils.module_loading import import_string

from fazhi.kernel.textzh.masking import mask_phone

log = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway could not send; the message says why (kept on the notice)."""


class SmsGateway:
    """Base class: send one text message to one mainland mobile number."""

    def send(self, *, phone: str, text: str) -> str:
        """Send `text` to `phone` (11 digits); return the gateway's message id."""
        raise NotImplementedError


@dataclass(frozen=True)
class RecordedSms:
    phone: str
    text: str


class RecordingSmsGateway(SmsGateway):
    """Records instead of sending (the default gateway)."""

    outbox: ClassVar[list[RecordedSms]] = []

    def send(self, *, phone: str, text: str) -> str:
        self.outbox.append(RecordedSms(phone=phone, text=text))
        log.info("SMS recorded, not sent: %s (%d chars)", mask_phone(phone), len(text))
        return f"recorded-{len(self.outbox)}"


def get_sms_gateway() -> SmsGateway:
    """An instance of the gateway class named by settings.FAZHI_SMS_GATEWAY."""
    path = getattr(
        settings,
        "FAZHI_SMS_GATEWAY",
        "fazhi.kernel.notices.gateways.RecordingSmsGateway",
    )
    gateway = import_string(path)()
    if not isinstance(gateway, SmsGateway):
        raise TypeError(f"{path} is not an SmsGateway")
    return gateway

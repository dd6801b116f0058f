"""The transports configured in settings, one per external channel (a missing one is not used,
except in the demo, where the local recording channel stands in for it)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from minwon.notifications.channels.base import Transport
from minwon.notifications.channels.email import EmailTransport
from minwon.notifications.channels.http import AlimtalkTransport, SmsTransport
from minwon.notifications.channels.recording import RecordingTransport
from minwon.notifications.domain import DeliveryChannel


def transports_from_settings() -> dict[DeliveryChannel, Transport]:
    timeout = settings.NOTIFICATIONS_HTTP_TIMEOUT
    transports: dict[DeliveryChannel, Transport] = {DeliveryChannel.EMAIL: EmailTransport()}
    if settings.SMS_API_URL:
        transports[DeliveryChannel.SMS] = SmsTransport(
            url=settings.SMS_API_URL,
            api_key=settings.SMS_API_KEY,
            sender=settings.SMS_SENDER,
            timeout=timeout,
        )
    if settings.ALIMTALK_API_URL:
        transports[DeliveryChannel.ALIMTALK] = AlimtalkTransport(
            url=settings.ALIMTALK_API_URL,
            api_key=settings.ALIMTALK_API_KEY,
            sender_key=settings.ALIMTALK_SENDER_KEY,
            timeout=timeout,
        )
    if settings.NOTIFICATIONS_RECORDING:
        path = Path(settings.NOTIFICATIONS_RECORDING_FILE)
        if not settings.EMAIL_HOST:
            transports[DeliveryChannel.EMAIL] = RecordingTransport(
                channel=DeliveryChannel.EMAIL, path=path
            )
        for channel in (DeliveryChannel.SMS, DeliveryChannel.ALIMTALK):
            transports.setdefault(channel, RecordingTransport(channel=channel, path=path))
    return transports

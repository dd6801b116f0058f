"""Channels behind one interface (`Transport`): e-mail, SMS, 카카오 알림톡. In-app notices are
rows written by the dispatcher itself (services/dispatch/recording.py), so they need no
transport."""

from minwon.notifications.channels.base import OutgoingMessage, SendError, Transport

__all__ = ["OutgoingMessage", "SendError", "Transport"]

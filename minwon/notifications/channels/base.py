"""The one interface every external channel implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from minwon.notifications.domain import DeliveryChannel, FailureKind


@dataclass(frozen=True)
class OutgoingMessage:
    """A rendered message for one address on one channel.

    `key` ("<idempotency key>:<channel>") goes to the provider with the message (an
    Idempotency-Key header, a Message-ID for e-mail) so a repeat after a crash can be dropped.
    """

    key: str
    to: str
    subject: str
    body: str
    short: str
    template_code: str = ""
    language: str = "ko"


class SendError(Exception):
    """The channel could not deliver; `kind` says whether trying again can help."""

    def __init__(self, kind: FailureKind, code: str, detail: str) -> None:
        self.kind = kind
        self.code = code
        self.detail = detail[:450]
        super().__init__(f"{code}: {detail}")


class Transport(Protocol):
    channel: DeliveryChannel

    def send(self, message: OutgoingMessage) -> str:
        """Deliver one message and return the provider's reference, or raise SendError.

        Must be safe to call from several threads at once (the dispatcher sends in parallel).
        """
        ...

    def close(self) -> None: ...

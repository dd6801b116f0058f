"""The demo's local channel: messages are recorded in a file instead of going to a provider.

A laptop demo has no SMS or 알림톡 contract and usually no mail server, yet a citizen who gives a
phone number must see the receipt number arrive. With NOTIFICATIONS_RECORDING on (the default in
`MINWON_MODE=demo`), every channel without a configured provider is this transport: each message
becomes one JSON line in NOTIFICATIONS_RECORDING_FILE, and `/demo/messages/` shows them. It never
runs in production (settings refuse it there).
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

from minwon.notifications.channels.base import OutgoingMessage, SendError
from minwon.notifications.domain import DeliveryChannel, FailureKind, is_email

_write_lock = threading.Lock()


class RecordingTransport:
    def __init__(self, *, channel: DeliveryChannel, path: Path) -> None:
        self.channel = channel
        self.path = path

    def send(self, message: OutgoingMessage) -> str:
        if self.channel == DeliveryChannel.EMAIL and not is_email(message.to):
            raise SendError(FailureKind.PERMANENT, "email.invalid_address", message.to)
        entry = {
            "at": datetime.now(UTC).isoformat(),
            "channel": self.channel.value,
            "to": message.to,
            "subject": message.subject,
            "body": message.short if self.channel != DeliveryChannel.EMAIL else message.body,
            "key": message.key,
            "language": message.language,
        }
        line = json.dumps(entry, ensure_ascii=False)
        with _write_lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        return f"recorded:{message.key}"

    def close(self) -> None:
        return None


def recorded_messages(path: Path, *, limit: int = 100) -> list[dict[str, object]]:
    """The newest `limit` recorded messages, newest first (unreadable lines are skipped)."""
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()[-limit:]
    out: list[dict[str, object]] = []
    for line in reversed(lines):
        try:
            entry = json.loads(line)
            at = datetime.fromisoformat(str(entry["at"]))
        except (ValueError, KeyError, TypeError):
            continue
        out.append({str(k): str(v) for k, v in entry.items()} | {"at": at})
    return out

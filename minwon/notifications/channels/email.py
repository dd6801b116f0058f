"""E-mail through Django's mail backend (SMTP in production; settings read EMAIL_URL / EMAIL_HOST).

One SMTP connection per sending thread, kept open for the batch and closed by `close()`.
"""

from __future__ import annotations

import contextlib
import smtplib
import threading
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from minwon.notifications.channels.base import OutgoingMessage, SendError
from minwon.notifications.domain import DeliveryChannel, FailureKind, is_email


class EmailTransport:
    channel = DeliveryChannel.EMAIL

    def __init__(
        self,
        *,
        backend: str | None = None,
        from_email: str | None = None,
        domain: str = "minwon.local",
        **connection_options: Any,
    ) -> None:
        self.backend = backend or settings.EMAIL_BACKEND
        self.from_email = from_email or settings.DEFAULT_FROM_EMAIL
        self.domain = domain
        self.options = connection_options
        self._local = threading.local()
        self._opened: list[Any] = []
        self._lock = threading.Lock()

    def _connection(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = get_connection(backend=self.backend, fail_silently=False, **self.options)
            conn.open()
            self._local.conn = conn
            with self._lock:
                self._opened.append(conn)
        return conn

    def _drop_connection(self) -> None:
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            with contextlib.suppress(Exception):  # a broken connection may fail to close
                conn.close()

    def send(self, message: OutgoingMessage) -> str:
        if not is_email(message.to):
            raise SendError(FailureKind.PERMANENT, "email.invalid_address", message.to)
        message_id = f"<{message.key.replace(':', '.')}@{self.domain}>"
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=self.from_email,
            to=[message.to],
            headers={"Message-ID": message_id, "X-Minwon-Key": message.key},
        )
        try:
            sent = self._connection().send_messages([email])
        except smtplib.SMTPRecipientsRefused as exc:
            self._drop_connection()
            detail = "; ".join(
                f"{code} {reply.decode(errors='replace')}"
                for code, reply in exc.recipients.values()
            )
            kind = FailureKind.TRANSIENT if _all_4xx(exc) else FailureKind.PERMANENT
            raise SendError(kind, "email.rejected", detail) from exc
        except smtplib.SMTPResponseException as exc:
            self._drop_connection()
            kind = FailureKind.TRANSIENT if 400 <= exc.smtp_code < 500 else FailureKind.PERMANENT
            raw = exc.smtp_error
            reply = raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw)
            raise SendError(kind, "email.smtp_error", f"{exc.smtp_code} {reply}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            self._drop_connection()
            raise SendError(FailureKind.TRANSIENT, "email.unreachable", str(exc)) from exc
        if sent != 1:
            raise SendError(FailureKind.TRANSIENT, "email.not_sent", "the backend sent nothing")
        return message_id

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            with contextlib.suppress(Exception):  # closing is best effort
                conn.close()
        self._local = threading.local()


def _all_4xx(exc: smtplib.SMTPRecipientsRefused) -> bool:
    return all(400 <= code < 500 for code, _reply in exc.recipients.values())

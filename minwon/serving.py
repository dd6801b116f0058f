"""The HTTP server of `minwon serve` and `minwon demo`: waitress, stopped gracefully.

On SIGTERM (or SIGINT) the server stops accepting connections, lets every request already
received or being received finish and its answer be sent, closes idle keep-alive connections,
and returns once none is busy or `drain_seconds` have passed (issue 14 item 8). A process
manager's stop timeout (systemd's TimeoutStopSec, a container's grace period) should be longer.
"""

from __future__ import annotations

import logging
import select
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from waitress import wasyncore
from waitress.server import create_server

log = logging.getLogger("minwon.serve")


def _busy(channel: Any) -> bool:
    """A request queued or running, one being received (or bytes of one waiting to be read),
    or an answer still being sent."""
    if channel.requests or channel.request is not None or channel.total_outbufs_len:
        return True
    try:
        readable, _, _ = select.select([channel.socket], [], [], 0)
    except (OSError, ValueError):  # closed meanwhile
        return False
    return bool(readable)


def serve(
    app: Callable[..., Any],
    *,
    host: str,
    port: int,
    threads: int = 8,
    drain_seconds: float = 25.0,
) -> None:
    server: Any = create_server(app, host=host, port=port, threads=threads, ident="minwon")
    stopping = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    server.print_listen("Serving on http://{}:{}")
    use_poll = server.adj.asyncore_use_poll
    try:
        while not stopping.is_set():
            wasyncore.loop(timeout=0.5, map=server._map, use_poll=use_poll, count=1)
        # Connections the kernel already completed wait in the listen backlog: take them in
        # (closing the listener would reset them), then close the listening socket only (the
        # trigger that wakes the loop stays).
        for _ in range(1000):
            ready, _, _ = select.select([server.socket], [], [], 0)
            if not ready:
                break
            server.handle_accept()
        wasyncore.dispatcher.close(server)
        busy = sum(1 for c in server.active_channels.values() if _busy(c))
        log.warning("minwon serve: stopping; draining %d busy connection(s)", busy)
        deadline = time.monotonic() + drain_seconds
        while time.monotonic() < deadline:
            channels = list(server.active_channels.values())
            for channel in channels:
                if not _busy(channel):
                    channel.will_close = True  # idle keep-alive: closed by the loop
            if not any(_busy(c) for c in channels) and not server.task_dispatcher.queue:
                break
            wasyncore.loop(timeout=0.1, map=server._map, use_poll=use_poll, count=1)
        else:
            left = sum(1 for c in server.active_channels.values() if _busy(c))
            log.warning("minwon serve: %d connection(s) still busy after %ss", left, drain_seconds)
        for _ in range(10):  # let the loop close what was marked
            if not server.active_channels:
                break
            wasyncore.loop(timeout=0.05, map=server._map, use_poll=use_poll, count=1)
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=2)
        wasyncore.close_all(server._map)
        log.warning("minwon serve: stopped")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

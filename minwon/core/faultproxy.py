"""A TCP proxy on loopback that can cut, stall or half-open a link: for fault tests and bench/.

The machine's shared services (PostgreSQL, Redis, the national simulator …) are never stopped;
a test points Minwon at a `FaultProxy` in front of them and changes its `mode`:

- ``pass``: bytes flow both ways.
- ``drop_answers``: requests reach the server, its answers are thrown away (the client times
  out although the server did the work: the "answer lost on the way back" case).
- ``stall``: nothing moves either way on new or open connections (a partition); bytes held back
  are delivered when the mode returns to ``pass``.
- ``cut``: open connections are closed and new ones are closed on accept (the service is down).

Standard library only; one thread per direction of each connection.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time
from typing import Literal

Mode = Literal["pass", "drop_answers", "stall", "cut"]
_POLL = 0.05


class FaultProxy:
    """`with FaultProxy("127.0.0.1", 5432) as proxy:` listens on proxy.port (a free one)."""

    def __init__(self, upstream_host: str, upstream_port: int, *, mode: Mode = "pass") -> None:
        self.upstream = (upstream_host, upstream_port)
        self.mode: Mode = mode
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(_POLL)
        self.port: int = self._listener.getsockname()[1]
        self.host = "127.0.0.1"
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._thread = threading.Thread(target=self._accept, name="faultproxy", daemon=True)
        self.connections = 0  # accepted so far (tests read it)

    # --- control -------------------------------------------------------------------------
    def set(self, mode: Mode) -> None:
        self.mode = mode
        if mode == "cut":
            self._close_all()

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        self._close_all()
        self._listener.close()
        self._thread.join(timeout=5)

    # --- internals -----------------------------------------------------------------------
    def _now(self) -> Mode:
        return self.mode  # read afresh: another thread changes it

    def _close_all(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            if self.mode == "cut":
                client.close()
                continue
            threading.Thread(target=self._open, args=(client,), daemon=True).start()

    def _open(self, client: socket.socket) -> None:
        # A stalled link does not even complete the upstream connection until it heals.
        while self.mode == "stall" and not self._stop.is_set():
            time.sleep(_POLL)
        if self.mode == "cut" or self._stop.is_set():
            client.close()
            return
        try:
            server = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            client.close()
            return
        with self._lock:
            self._sockets.update({client, server})
        for source, target, answers in ((client, server, False), (server, client, True)):
            threading.Thread(target=self._pump, args=(source, target, answers), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, answers: bool) -> None:
        try:
            while not self._stop.is_set():
                if self.mode == "stall":
                    time.sleep(_POLL)
                    continue
                ready, _, _ = select.select([source], [], [], _POLL)
                if not ready:
                    continue
                data = source.recv(65536)
                if not data:
                    break
                while self._now() == "stall" and not self._stop.is_set():
                    time.sleep(_POLL)
                if self._now() == "cut":
                    break
                if answers and self._now() == "drop_answers":
                    continue
                target.sendall(data)
        except (OSError, ValueError):  # ValueError: the other direction closed the socket
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    sock.close()
            with self._lock:
                self._sockets.discard(source)
                self._sockets.discard(target)

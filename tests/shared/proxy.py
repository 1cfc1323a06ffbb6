"""A TCP forwarder in front of SeaweedFS that makes an outage happen at a known point: once
``trip_after`` bytes went up, it cuts every connection, refuses new ones and calls
``on_trip`` (the test stops the server); ``up()`` lets connections through again."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable


class CuttingProxy:
    def __init__(self, upstream_port: int, trip_after: int,
                 on_trip: Callable[[], None]) -> None:
        self.upstream_port = upstream_port
        self.trip_after = trip_after
        self.on_trip = on_trip
        self.sent_up = 0
        self.down = False
        self.tripped = threading.Event()
        self.trip_thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._socks: set[socket.socket] = set()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _addr = self.listener.accept()
            except OSError:
                return
            if self.down:
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._socks |= {client, upstream}
            threading.Thread(target=self._pump, args=(client, upstream, True),
                             daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False),
                             daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, up: bool) -> None:
        try:
            while data := src.recv(65536):
                if up:
                    with self._lock:
                        self.sent_up += len(data)
                        trip = self.sent_up >= self.trip_after and not self.tripped.is_set()
                    if trip:
                        self._trip()
                        return
                if self.down:
                    return
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def _trip(self) -> None:
        self.down = True
        self.tripped.set()
        with self._lock:
            socks, self._socks = self._socks, set()
        for s in socks:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
        self.trip_thread = threading.Thread(target=self.on_trip, daemon=True)
        self.trip_thread.start()

    def up(self) -> None:
        self.down = False

    def close(self) -> None:
        self.listener.close()

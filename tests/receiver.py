"""A webhook receiver for tests: records signed POSTs, can be down and come back on one port."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from service import signing


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Receiver:
    """Collects deliveries whose signature checks out; de-duplicates on the delivery id."""

    def __init__(self, port: int, secret: str) -> None:
        self.port, self.secret = port, secret
        self.received: dict[str, dict] = {}
        self.duplicates = 0
        self.bad_signatures = 0
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                ok = signing.verify(
                    receiver.secret,
                    self.headers[signing.TIMESTAMP_HEADER],
                    body,
                    self.headers[signing.SIGNATURE_HEADER],
                )
                with receiver.lock:
                    if not ok:
                        receiver.bad_signatures += 1
                    else:
                        delivery = self.headers[signing.DELIVERY_HEADER]
                        payload = json.loads(body)
                        assert payload["delivery_id"] == delivery
                        if delivery in receiver.received:
                            receiver.duplicates += 1
                        receiver.received[delivery] = payload
                self.send_response(204 if ok else 401)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

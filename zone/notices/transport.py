"""One signed POST to a receiver: pinned to the checked address, no redirects, a bounded answer.

``http.client`` follows no redirect (a 3xx is a failed delivery like any non-2xx); the socket connects to
the address :func:`zone.notices.urls.resolve` checked, with the host name kept for ``Host`` and TLS; the
whole exchange has one deadline and at most ``NOTICES_MAX_RESPONSE_BYTES`` of the answer are read.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import datetime

from standardwebhooks.webhooks import Webhook

from zone.notices.urls import Target

USER_AGENT = "zone-notices/1"


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def signed_headers(secret: str, message_id: str, sent_at: datetime, body: str) -> dict[str, str]:
    """The Standard Webhooks headers for ``body``: ``webhook-id``, ``webhook-timestamp``, ``webhook-signature``."""
    signature = Webhook(secret).sign(message_id, sent_at, body)
    return {"webhook-id": message_id, "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": signature}


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self._address = target.address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class Sender:
    """Posts one receiver's notices, keeping the connection open between them while the receiver allows it
    and the checked address stays the same (a new check that resolves elsewhere opens a new connection)."""

    def __init__(self, *, timeout: float, max_bytes: int):
        self.timeout, self.max_bytes = timeout, max_bytes
        self._connection: http.client.HTTPConnection | None = None
        self._target: Target | None = None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection, self._target = None, None

    def post(self, target: Target, headers: dict[str, str], body: bytes) -> Outcome:
        """POST ``body`` to ``target``; the status code, or the error, and how long it took. Never raises."""
        if self._target != target:
            self.close()
        started = time.monotonic()
        deadline = started + self.timeout
        reused = self._connection is not None
        if self._connection is None:
            connection_class = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
            self._connection, self._target = connection_class(target, self.timeout), target
        connection = self._connection
        try:
            connection.request("POST", target.path, body=body, headers={
                **headers, "Content-Type": "application/json", "User-Agent": USER_AGENT})
            response = connection.getresponse()
            read = 0
            while read < self.max_bytes:  # a receiver that trickles its answer is cut off at the deadline
                if time.monotonic() > deadline:
                    raise TimeoutError("the answer took longer than the timeout")
                chunk = response.read(min(1024, self.max_bytes - read))
                if not chunk:
                    break
                read += len(chunk)
            if not response.isclosed() or response.will_close:  # an answer longer than we read, or "close"
                self.close()
            return Outcome(response.status, None, _ms(started))
        except (OSError, http.client.HTTPException) as error:
            self.close()
            if reused and not isinstance(error, TimeoutError):
                # The receiver closed the kept connection meanwhile: nothing was sent on it; try once afresh.
                return self.post(target, headers, body)
            return Outcome(None, f"{type(error).__name__}: {error}"[:500], _ms(started))


def post(target: Target, headers: dict[str, str], body: bytes, *, timeout: float, max_bytes: int) -> Outcome:
    """One POST on a connection of its own."""
    sender = Sender(timeout=timeout, max_bytes=max_bytes)
    try:
        return sender.post(target, headers, body)
    finally:
        sender.close()


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)

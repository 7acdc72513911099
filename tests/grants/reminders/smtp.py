"""A minimal SMTP server for the crash tests: it can hold a message before accepting it.

A message counts as accepted (`accepted`) only once the server has answered 250 to its DATA,
as with a real mail server. While `holding`, the server keeps each finished DATA unanswered
(`pending` counts them) until `release(accept=...)`: the crash test kills the worker while it
waits for that answer, exactly in the middle of sending.
"""

from __future__ import annotations

import socketserver
import threading
from email import message_from_bytes


class _Handler(socketserver.StreamRequestHandler):
    def reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self) -> None:
        owner: SMTPServer = self.server.owner  # type: ignore[attr-defined]
        self.reply("220 grantdesk-test ESMTP")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.wfile.write(b"250-grantdesk-test\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                message = self.read_data()
                if message is None or not owner.deliver(message):
                    return  # the client went away, or the held message was dropped
                self.reply("250 queued")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            elif verb in (b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                self.reply("250 ok")
            else:
                self.reply("502 not implemented")

    def read_data(self) -> bytes | None:
        lines = []
        while line := self.rfile.readline():
            if line in (b".\r\n", b".\n"):
                return b"".join(lines)
            lines.append(line[1:] if line.startswith(b"..") else line)
        return None


class SMTPServer:
    def __init__(self) -> None:
        self.accepted: list = []
        self.pending = 0
        self.holding = False
        self._accept_held = True
        self._released = threading.Event()
        self._lock = threading.Lock()
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.owner = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> SMTPServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release(accept=False)
        self._server.shutdown()
        self._server.server_close()

    def hold(self) -> None:
        self.holding = True
        self._released.clear()

    def release(self, *, accept: bool) -> None:
        """End holding; held messages are accepted, or dropped unanswered (accept=False)."""
        self._accept_held = accept
        self.holding = False
        self._released.set()

    def deliver(self, raw: bytes) -> bool:
        if self.holding:
            with self._lock:
                self.pending += 1
            self._released.wait(120)
            if not self._accept_held:
                return False
        with self._lock:
            self.accepted.append(message_from_bytes(raw))
        return True

"""A local SMTP server and a local Slack webhook whose answers each test chooses."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpFake:
    """Answers DATA with the next code of ``answers`` (250 once they run out)."""

    def __init__(self):
        self.answers: list[str] = []
        self.received = []
        self.delay = 0.0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        answer = self.answers.pop(0) if self.answers else "250 OK"
        if answer.startswith("250"):
            self.received.append(envelope)
        return answer


@pytest.fixture
def smtp(settings):
    handler = SmtpFake()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield handler
    controller.stop()


@pytest.fixture
def silent_server(settings):
    """A server that takes connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", listener.getsockname()[1]
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield listener
    listener.close()


class SlackFake(BaseHTTPRequestHandler):
    answers: list[int] = []
    received: list[dict] = []
    delay = 0.0
    retry_after = "7"

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        status = self.answers.pop(0) if self.answers else 200
        type(self).received.append({"status": status, "body": body, "at": time.monotonic()})
        if self.delay:
            time.sleep(self.delay)
        self.send_response(status)
        if status == 429:
            self.send_header("Retry-After", self.retry_after)
        self.end_headers()
        self.wfile.write(b"ok" if status == 200 else b"no")

    def log_message(self, *args):
        pass


@pytest.fixture
def slack():
    SlackFake.answers, SlackFake.received, SlackFake.delay = [], [], 0.0
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlackFake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    SlackFake.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    yield SlackFake
    server.shutdown()
    server.server_close()

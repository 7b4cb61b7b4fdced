"""Local stand-ins for a mail server and a Slack webhook, with the faults they show in the field.

Both record everything they receive and change behaviour while a test runs
(``smtp.defer(2)``, ``slack.rate_limit(1, retry_after=35)``...), from any thread.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ------------------------------------------------------------------------ SMTP


@dataclass(frozen=True)
class ReceivedEmail:
    """A message the server accepted (answered 250, or would have, had the client waited)."""

    to: tuple[str, ...]
    subject: str
    body: str
    message_id: str
    mail_from: str
    at: float  # time.monotonic()


@dataclass
class HungSession:
    """A connection the server held without answering.

    ``client_left``: the client gave up (hung up) while held, at ``closed_at``.
    """

    phase: str
    opened_at: float
    closed_at: float | None = None
    client_left: bool = False

    def gave_up_after(self) -> float | None:
        return self.closed_at - self.opened_at if self.client_left and self.closed_at else None


@dataclass
class _Behaviour:
    mode: str = "accept"  # accept | defer | reject | hang | slow
    phase: str = "data"  # where reject / hang / slow act: connect | rcpt | data
    times: int | None = None  # defer: how many more DATA commands to answer 451
    seconds: float = 0.0  # slow: delay per message
    code: str = ""


class _FaultySMTP(SMTP):
    """aiosmtpd's server, able to hold a connection before its greeting."""

    def __init__(self, handler, *, fake: SMTPFake, **kwargs):
        super().__init__(handler, **kwargs)
        self.fake = fake

    async def _handle_client(self):
        if self.fake._hangs("connect"):
            hung = self.fake._hung_session("connect")
            try:
                while self.fake._hangs("connect"):
                    await asyncio.sleep(0.05)
                # The server wakes up: the client gave up long ago; say nothing.
                if self.transport is not None:
                    self.transport.close()
            except asyncio.CancelledError:
                hung.client_left = True
                raise
            finally:
                hung.closed_at = hung.closed_at or time.monotonic()
            return
        await super()._handle_client()


class _Controller(Controller):
    def __init__(self, handler, fake: SMTPFake, **kwargs):
        super().__init__(handler, **kwargs)
        self.fake = fake

    def factory(self):
        return _FaultySMTP(self.handler, fake=self.fake, **self.SMTP_kwargs)


class SMTPFake:
    """An SMTP server on 127.0.0.1 recording every message it accepts.

    Behaviours, switchable at any time:

    - ``accept()``: 250 to everything (the default). Also starts listening again after ``refuse()``.
    - ``defer(n)``: 451 to the next ``n`` DATA commands, then 250.
    - ``reject(phase="data")``: 554 to every DATA (or, with ``phase="rcpt"``, every recipient).
    - ``hang(phase="data")``: never answer DATA (``phase="connect"``: accept the connection and
      never send the greeting). Hung sessions are in ``hung_sessions``, with when the client left.
    - ``slow(seconds, phase="data")``: take ``seconds`` per message. ``phase="data"``: the
      server has the whole message and is slow to confirm it (content filtering); it keeps
      the message even if the client hangs up meanwhile, as a real queueing server does.
      ``phase="rcpt"``: slow before the message is transferred; a client that goes away
      meanwhile has given the server nothing.
    - ``refuse()``: stop listening; connections to ``port`` are refused until ``accept()``.

    ``in_flight`` counts messages the server is holding (slow or hung) right now.
    """

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.received: list[ReceivedEmail] = []
        self.hung_sessions: list[HungSession] = []
        self.rcpt_commands = 0  # every RCPT TO, whatever the answer
        self.data_commands = 0  # every DATA that reached the handler, whatever the answer
        self.in_flight = 0
        self._behaviour = _Behaviour()
        self._lock = threading.Lock()
        self._controller: _Controller | None = None

    # -- lifecycle
    def start(self) -> None:
        if self._controller is not None:
            return
        controller = _Controller(
            _Handler(self), self, hostname="127.0.0.1", port=self.port, ready_timeout=10
        )
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        controller, self._controller = self._controller, None
        if controller is not None:
            with self._lock:
                self._behaviour = _Behaviour()  # release anything hung
            controller.stop()

    @property
    def listening(self) -> bool:
        return self._controller is not None

    # -- behaviours
    def _set(self, **kwargs) -> None:
        with self._lock:
            self._behaviour = _Behaviour(**kwargs)

    def accept(self) -> None:
        self._set(mode="accept")
        self.start()

    def defer(self, times: int, code: str = "451 4.3.0 Mailbox busy, try again later") -> None:
        self._set(mode="defer", times=times, code=code)

    def reject(self, phase: str = "data", code: str = "554 5.7.1 Message rejected") -> None:
        assert phase in ("rcpt", "data")
        self._set(mode="reject", phase=phase, code=code)

    def hang(self, phase: str = "data") -> None:
        assert phase in ("connect", "data")
        self._set(mode="hang", phase=phase)

    def slow(self, seconds: float, phase: str = "data") -> None:
        assert phase in ("rcpt", "data")
        self._set(mode="slow", phase=phase, seconds=seconds)

    def refuse(self) -> None:
        self.stop()

    # -- what it saw
    def to(self, address: str) -> list[ReceivedEmail]:
        return [m for m in self.received if address in m.to]

    def by_recipient(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for message in self.received:
            for address in message.to:
                counts[address] = counts.get(address, 0) + 1
        return counts

    def summary(self) -> str:
        lines = [
            f"SMTP fake on port {self.port}: {len(self.received)} accepted, "
            f"{self.rcpt_commands} RCPT, {self.data_commands} DATA commands, "
            f"{len(self.hung_sessions)} hung sessions, "
            f"mode {self._behaviour.mode}"
        ]
        lines += [f"  {m.at:.1f} to={','.join(m.to)} subject={m.subject!r}" for m in self.received]
        return "\n".join(lines)

    # -- used by the server's thread
    def _now(self) -> _Behaviour:
        with self._lock:
            return self._behaviour

    def _hangs(self, phase: str) -> bool:
        behaviour = self._now()
        return behaviour.mode == "hang" and behaviour.phase == phase

    def _hung_session(self, phase: str) -> HungSession:
        hung = HungSession(phase=phase, opened_at=time.monotonic())
        with self._lock:
            self.hung_sessions.append(hung)
        return hung

    def _take_deferral(self) -> str | None:
        with self._lock:
            behaviour = self._behaviour
            if behaviour.mode != "defer" or not behaviour.times:
                return None
            behaviour.times -= 1
            return behaviour.code

    def _record(self, envelope) -> None:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode()
        message = email.message_from_bytes(raw, policy=email.policy.default)
        part = message.get_body(preferencelist=("plain", "html"))
        body = part.get_content() if part is not None else ""
        received = ReceivedEmail(
            to=tuple(envelope.rcpt_tos),
            subject=str(message.get("Subject", "")),
            body=body,
            message_id=str(message.get("Message-ID", "")),
            mail_from=envelope.mail_from or "",
            at=time.monotonic(),
        )
        with self._lock:
            self.received.append(received)


class _Handler:
    def __init__(self, fake: SMTPFake):
        self.fake = fake

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        self.fake.rcpt_commands += 1
        behaviour = self.fake._now()
        if behaviour.mode == "reject" and behaviour.phase == "rcpt":
            return behaviour.code
        if behaviour.mode == "slow" and behaviour.phase == "rcpt":
            self.fake.in_flight += 1
            try:
                await asyncio.sleep(behaviour.seconds)
            finally:
                self.fake.in_flight -= 1
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        fake = self.fake
        fake.data_commands += 1
        deferral = fake._take_deferral()
        if deferral:
            return deferral
        behaviour = fake._now()
        if behaviour.mode == "reject" and behaviour.phase == "data":
            return behaviour.code
        if behaviour.mode == "hang" and behaviour.phase == "data":
            hung = fake._hung_session("data")
            fake.in_flight += 1
            try:
                while fake._hangs("data"):
                    await asyncio.sleep(0.05)
            except asyncio.CancelledError:
                hung.client_left = True
                raise
            finally:
                fake.in_flight -= 1
                hung.closed_at = hung.closed_at or time.monotonic()
            return "421 4.3.2 Service shutting down"  # it never accepted this one
        if behaviour.mode == "slow" and behaviour.phase == "data":
            # The server has the message: it keeps it even if the client hangs up.
            await asyncio.shield(self._accept_slowly(envelope, behaviour.seconds))
            return "250 OK"
        fake._record(envelope)
        return "250 OK"

    async def _accept_slowly(self, envelope, seconds: float) -> None:
        self.fake.in_flight += 1
        try:
            await asyncio.sleep(seconds)
            self.fake._record(envelope)
        finally:
            self.fake.in_flight -= 1


# ----------------------------------------------------------------------- Slack


@dataclass(frozen=True)
class SlackPost:
    body: dict
    status: int  # what the fake answered (or was going to, for a client that left)
    at: float  # time.monotonic() when the request arrived


@dataclass
class _SlackBehaviour:
    mode: str = "ok"  # ok | rate_limit | fail | slow
    times: int | None = None  # how many more posts get the fault (None: all)
    status: int = 500
    retry_after: int = 0
    seconds: float = 0.0


class SlackFake:
    """An incoming-webhook endpoint recording each POST body.

    - ``ok()``: 200 (the default).
    - ``rate_limit(k, retry_after=n)``: 429 with ``Retry-After: n`` to the next ``k`` posts,
      then 200.
    - ``fail(k, status=500)``: ``status`` to the next ``k`` posts, then 200.
    - ``answer_after(seconds, times=None)``: wait ``seconds`` before answering 200 (longer than
      the client's timeout: the post arrived, the client never heard back). ``slow(seconds)``
      is the same for every post.
    """

    def __init__(self):
        self.posts: list[SlackPost] = []
        self._behaviour = _SlackBehaviour()
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                fake._handle(self)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_port
        self.url = f"http://127.0.0.1:{self.port}/services/T000/B000/faults"
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _set(self, **kwargs) -> None:
        with self._lock:
            self._behaviour = _SlackBehaviour(**kwargs)

    def ok(self) -> None:
        self._set(mode="ok")

    def rate_limit(self, times: int, retry_after: int) -> None:
        self._set(mode="rate_limit", times=times, retry_after=retry_after)

    def fail(self, times: int, status: int = 500) -> None:
        self._set(mode="fail", times=times, status=status)

    def answer_after(self, seconds: float, times: int | None = None) -> None:
        self._set(mode="slow", times=times, seconds=seconds)

    def slow(self, seconds: float) -> None:
        self.answer_after(seconds)

    @property
    def delivered(self) -> list[SlackPost]:
        """Posts answered 200 (including those whose client stopped waiting)."""
        return [p for p in self.posts if p.status == 200]

    def summary(self) -> str:
        lines = [f"Slack fake on port {self.port}: {len(self.posts)} posts"]
        lines += [f"  {p.at:.1f} {p.status} {p.body.get('text', '')!r}" for p in self.posts]
        return "\n".join(lines)

    def _fault(self) -> _SlackBehaviour:
        with self._lock:
            behaviour = self._behaviour
            if behaviour.mode == "ok" or behaviour.times == 0:
                return _SlackBehaviour()
            if behaviour.times is not None:
                behaviour.times -= 1
            return _SlackBehaviour(**behaviour.__dict__)

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        arrived = time.monotonic()
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {"unparsed": raw.decode(errors="replace")}
        behaviour = self._fault()
        status = {"rate_limit": 429, "fail": behaviour.status}.get(behaviour.mode, 200)
        with self._lock:
            self.posts.append(SlackPost(body=body, status=status, at=arrived))
        if behaviour.mode == "slow":
            time.sleep(behaviour.seconds)
        try:
            request.send_response(status)
            if status == 429:
                request.send_header("Retry-After", str(behaviour.retry_after))
            request.send_header("Content-Type", "text/plain")
            request.end_headers()
            request.wfile.write(b"ok" if status == 200 else b"error")
        except OSError:
            pass  # the client stopped waiting

"""Real processes for fault tests: a private redis-server, a Celery worker, a beat stand-in.

Every wait is bounded; every process is started in its own process group and
stopped by its own id, never by name.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .fakes import free_port

T = TypeVar("T")


def wait_until(
    predicate: Callable[[], T],
    timeout: float,
    *,
    interval: float = 0.2,
    what: str = "the condition",
    details: Callable[[], str] | None = None,
) -> T:
    """Poll ``predicate`` until it returns something truthy, returned; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            extra = f"\n{details()}" if details else ""
            raise AssertionError(f"Waited {timeout:.0f} s for {what}, in vain.{extra}")
        time.sleep(interval)


def _stop_group(process: subprocess.Popen, sig: int, timeout: float) -> None:
    """Signal ``process``'s own group (it leads it) and reap it; SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def _tail(path: Path, lines: int) -> str:
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return f"({path} does not exist)"
    return "\n".join(text.splitlines()[-lines:])


# ----------------------------------------------------------------------- Redis


class RedisServer:
    """``redis-server`` on a port of its own, keeping nothing on disk; restartable on that port."""

    def __init__(self, directory: Path, port: int | None = None):
        self.port = port or free_port()
        self.directory = directory
        self.log = directory / f"redis-{self.port}.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 15) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no"]
        command += ["--dir", str(self.directory), "--logfile", str(self.log)]
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until(self.ping, timeout, what=f"redis-server on port {self.port}", details=self.tail)

    def stop(self, *, kill: bool = False) -> None:
        """Stop the broker (SIGTERM; SIGKILL with ``kill``). Queued messages are gone with it."""
        if self.process is not None:
            _stop_group(self.process, signal.SIGKILL if kill else signal.SIGTERM, 10)
        self.process = None

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def tail(self, lines: int = 20) -> str:
        return _tail(self.log, lines)


# ---------------------------------------------------------------------- Worker


class Worker:
    """A real ``celery -A config worker`` process (prefork), restartable, killable mid-task."""

    def __init__(
        self,
        *,
        cwd: Path,
        log: Path,
        env: dict[str, str],
        queues: str,
        concurrency: int = 1,
    ):
        self.cwd = cwd
        self.log = log
        self.env = dict(env)
        self.queues = queues
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None
        self.starts = 0
        self._log_offset = 0

    def start(self, *, extra_env: dict[str, str] | None = None, timeout: float = 45) -> None:
        """Start the worker and wait until it consumes (its log says "ready")."""
        assert self.process is None or self.process.poll() is not None, "already running"
        self.starts += 1
        env = {**os.environ, **self.env, **(extra_env or {})}
        with self.log.open("a") as log:
            log.write(f"\n===== worker start #{self.starts} at {time.strftime('%H:%M:%S')} =====\n")
            log.flush()
            self._log_offset = log.tell()
            self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
                [
                    *(sys.executable, "-m", "celery", "-A", "config", "worker"),
                    *("--pool", "prefork", "--concurrency", str(self.concurrency)),
                    *("--queues", self.queues, "--loglevel", "INFO"),
                    *("--hostname", f"faults{self.starts}-{os.getpid()}@%h"),
                    *("--without-gossip", "--without-mingle", "--without-heartbeat"),
                ],
                cwd=self.cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait_until(
            lambda: self.process.poll() is not None or " ready." in self.log_since_start(),
            timeout,
            what="the worker to be ready",
        )
        if self.process.poll() is not None:
            raise AssertionError(f"The worker exited at start:\n{self.tail()}")

    def kill9(self) -> None:
        """SIGKILL the whole worker (main process and pool children) at once, mid-task."""
        if self.process is not None:
            _stop_group(self.process, signal.SIGKILL, 10)

    def stop(self, timeout: float = 20) -> None:
        """A warm shutdown (SIGTERM), then SIGKILL after ``timeout``."""
        if self.process is not None:
            _stop_group(self.process, signal.SIGTERM, timeout)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_until(self, predicate: Callable[[], T], timeout: float, *, what: str = "it") -> T:
        return wait_until(
            predicate, timeout, what=what, details=lambda: f"Worker log:\n{self.tail()}"
        )

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_since_start(self) -> str:
        try:
            with self.log.open("r", errors="replace") as log:
                log.seek(self._log_offset)
                return log.read()
        except FileNotFoundError:
            return ""

    def tail(self, lines: int = 60) -> str:
        return _tail(self.log, lines)


# ------------------------------------------------------------------------ Beat


class Beat:
    """Stands in for celery beat: sends the given task names every ``every`` seconds.

    Sends through the test process's Celery app, so it uses whatever broker the
    app points at; a send that fails (the broker is down) is counted, as beat
    would log it, and the next tick tries again.
    """

    def __init__(self, app, tasks: list[str], every: float):
        self.app = app
        self.tasks = list(tasks)
        self.every = every
        self.sent = 0
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Beat:
        assert self._thread is None, "already ticking"
        self._thread = threading.Thread(target=self._run, name="fault-beat", daemon=True)
        self._thread.start()
        return self

    def tick(self) -> None:
        for name in self.tasks:
            try:
                self.app.send_task(name)
                self.sent += 1
            except Exception as error:  # the broker is down: beat logs it and goes on
                self.failures.append(f"{name}: {error!r}"[:300])

    def _run(self) -> None:
        while not self._stop.is_set():
            self.tick()
            self._stop.wait(self.every)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(30)
        self._thread = None

"""Run a parser on untrusted bytes in a child process with memory, CPU and wall-clock limits.

A PDF of a few kilobytes can inflate to gigabytes or walk a structure for minutes. Parsing it in the
worker that serves the request would hold that worker (and its memory) for as long as the file wants;
here the parse runs in a forked child under ``RLIMIT_AS`` (memory), ``RLIMIT_CPU`` (CPU seconds) and a
wall-clock timeout, and the caller gets the result or :class:`LimitExceeded` within the timeout.

The child is a ``fork()`` of the caller: no interpreter start-up, the parser already imported, the data
already in memory. It touches nothing it inherited but the data (no database connection, no lock of
another thread: CPython resets the import and logging locks on fork) and leaves with ``os._exit``, so
no clean-up of the parent's resources runs twice. Linux (``/proc``) and other POSIX systems.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import resource
import select
import signal
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

MEMORY = "memory"
CPU = "cpu"
TIMEOUT = "timeout"
_NO_MEMORY_TO_ANSWER = 3  # the child's exit status when even the answer could not be made
_forking = threading.Lock()


@dataclass(frozen=True)
class Limits:
    """How much one parse may take: address space above what the worker already maps (MB), CPU time
    (whole seconds, the kernel's unit) and wall-clock time (seconds, the bound on the caller's wait)."""

    memory_mb: int = 256
    cpu_seconds: int = 1
    timeout_seconds: float = 10.0

    @classmethod
    def from_config(cls, config: Any = None) -> Limits:
        """The limits set by ``PDF_CHECK_MEMORY_MB``, ``PDF_CHECK_CPU_SECONDS``, ``PDF_CHECK_TIMEOUT_SECONDS``
        (the current app's configuration when ``config`` is not given; the defaults outside an app)."""
        default = cls()
        if config is None:
            from flask import current_app, has_app_context

            if not has_app_context():
                return default
            config = current_app.config
        return cls(memory_mb=int(config.get("PDF_CHECK_MEMORY_MB", default.memory_mb)),
                   cpu_seconds=max(1, int(config.get("PDF_CHECK_CPU_SECONDS", default.cpu_seconds))),
                   timeout_seconds=float(config.get("PDF_CHECK_TIMEOUT_SECONDS", default.timeout_seconds)))


class LimitExceeded(Exception):
    """The parse was stopped by a limit; ``limit`` is ``"memory"``, ``"cpu"``, ``"timeout"`` or the name of a
    parser's own safety limit that the parsing function raised this for."""

    def __init__(self, limit: str):
        super().__init__(f"stopped by the {limit} limit")
        self.limit = limit


class ParseFailed(Exception):
    """The parse raised an error, or the child ended without an answer (e.g. killed by a signal)."""


def run_limited(function: Callable[..., T], /, *args: Any, limits: Limits | None = None) -> T:
    """Return ``function(*args)`` computed in a child process under ``limits`` (the app's by default).

    ``function`` must return something picklable. Raises :class:`LimitExceeded` when a limit stopped it
    (the reason is also logged) and :class:`ParseFailed` when it raised or died otherwise.
    """
    limits = limits or Limits.from_config()
    with _forking:  # no other thread's child may inherit this pipe's write end: EOF must mean "done"
        try:
            read_end, write_end = os.pipe()
        except OSError as error:
            log.error("Cannot start a limited parse: %s", error)
            raise ParseFailed(f"cannot start the parser: {error}") from error
        try:
            pid = os.fork()
        except OSError as error:  # out of processes or memory: the file is not read at all
            os.close(read_end)
            os.close(write_end)
            log.error("Cannot start a limited parse: %s", error)
            raise ParseFailed(f"cannot start the parser: {error}") from error
        if pid == 0:  # the child: never returns
            os.close(read_end)
            _child(write_end, function, args, limits)
        os.close(write_end)
    try:
        payload, timed_out = _collect(read_end, limits.timeout_seconds)
    finally:
        os.close(read_end)
    if timed_out:
        _kill(pid)
    status = _reap(pid)
    if timed_out:
        return _stopped(TIMEOUT, function)
    kind, value = _answer(payload)
    if kind == "ok":
        return value
    if kind == "limit":
        return _stopped(value, function)
    if kind == "error":
        raise ParseFailed(value)
    if status is not None and os.WIFSIGNALED(status):
        signum = os.WTERMSIG(status)
        if signum == signal.SIGXCPU:  # the soft CPU limit: its default action ends the process
            return _stopped(CPU, function)
        if signum == signal.SIGKILL:  # not ours (we kill only on timeout): the kernel ran out of memory for it
            return _stopped(MEMORY, function)
        raise ParseFailed(f"the parser died of signal {signal.Signals(signum).name}")
    if status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == _NO_MEMORY_TO_ANSWER:
        return _stopped(MEMORY, function)
    raise ParseFailed("the parser ended without an answer")


def _answer(payload: bytes) -> tuple[str | None, Any]:
    """The child's (kind, value), or (None, None) when it wrote nothing whole (it was stopped mid-way)."""
    if not payload:
        return None, None
    try:
        # Our own code pickled this in a fork of this very process: nothing it could do with a crafted
        # pickle that it could not do directly.
        return pickle.loads(payload)  # noqa: S301
    except Exception:
        return None, None


def ran_out_of_memory(error: BaseException) -> bool:
    """True when ``error`` is, or was raised while handling, a ``MemoryError``: parsers that wrap every
    failure in their own error type still report the memory limit this way."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, MemoryError):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _stopped(limit: str, function: Callable) -> Any:
    log.warning("%s.%s on an uploaded file was stopped by the %s limit", function.__module__,
                function.__qualname__, limit, extra={"limit": limit})
    raise LimitExceeded(limit)


def _collect(fd: int, timeout: float) -> tuple[bytes, bool]:
    """Everything the child writes until it closes the pipe, and whether the deadline passed first."""
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP)
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not poller.poll(remaining * 1000):
            return b"", True
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _reap(pid: int) -> int | None:
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:  # reaped by someone else's SIGCHLD handler: the payload tells enough
        return None


def _mapped_bytes() -> int:
    """The address space this process maps now (what ``RLIMIT_AS`` counts)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:  # no /proc: count from nothing (the limit is then absolute)
        return 0


def _child(fd: int, function: Callable, args: tuple, limits: Limits) -> None:
    code = 1
    try:
        # Everything inherited goes to the collector's permanent generation: a collection here then walks
        # only what the parse makes. Walking the worker's whole heap would write to (and so copy) its pages
        # and charge seconds of CPU to a valid file in a long-lived worker.
        gc.freeze()
        logging.disable(logging.CRITICAL)  # a hostile file must not flood the log either
        warnings.simplefilter("ignore")
        for name in ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGCHLD"):
            signal.signal(getattr(signal, name), signal.SIG_DFL)  # not the worker's handlers
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
        ceiling = _mapped_bytes() + limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
        try:
            outcome: tuple[str, Any] = ("ok", function(*args))
        except MemoryError:
            outcome = ("limit", MEMORY)
        except LimitExceeded as stopped:  # the parser's own safety limit
            outcome = ("limit", stopped.limit)
        except Exception as error:
            outcome = ("limit", MEMORY) if ran_out_of_memory(error) else (
                "error", f"{type(error).__name__}: {error}"[:1000])
        try:
            payload = pickle.dumps(outcome)
        except MemoryError:
            payload = pickle.dumps(("limit", MEMORY))
        except Exception as error:
            payload = pickle.dumps(("error", f"the result cannot be returned: {error}"[:1000]))
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view):]
        code = 0
    except MemoryError:
        code = _NO_MEMORY_TO_ANSWER
    finally:
        os._exit(code)

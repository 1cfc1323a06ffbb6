"""A lean helper process: started at its first use, given work over its pipes, stopped at
exit, and never needed (a caller goes on without it once it fails).

A batch save hands the walk and hashing of many small drafts to a second process (a
second core: ``blobs/hashers.py``), and the content parser its big JSON files
(``drafts/content.py``). ``multiprocessing`` would do that at the price of a resource
tracker process (~13 MB) and of a worker that imports ``multiprocessing``,
``concurrent.futures`` and the caller's whole module (~23 MB). ``Worker`` starts the
program itself with ``subprocess`` instead (never a fork of a process with threads; the
same way on Windows, where there is no fork): the child imports this module and the one
module of the function it is asked to run, nothing else.

- The program: ``python -I -S -c`` with the package's folder first on ``sys.path``; in the
  frozen program (``sys.frozen``, PyInstaller: ``sys.executable`` is Draft Keeper itself)
  the program with ``WORKER_ARG`` as its first argument, which ``packaging/launch.py``
  hands to ``serve`` before importing anything else. On Windows without a console window.
- Work: a request is ``fn`` (a module-level function, by module and name) and one
  argument; its answer the function's return value. Both travel as ``marshal`` data (the
  interpreter's own format: nothing to import; plain str, int, tuple, list, dict, None),
  each prefixed by its length. One thread of the caller sends the requests in turn and
  reads each answer (so neither side ever waits on a full pipe), completing a
  ``concurrent.futures.Future``.
- Breaking: a child that dies or answers nonsense fails the work given to it and marks
  the worker ``broken``: every later ``submit`` answers None, and the caller does the
  work itself. A function that raises fails only its own request.
- Stopping: a child idle for ``IDLE_S`` is ended (the next request starts another);
  ``close`` (registered with ``atexit`` at the start) closes the child's input, which
  ends it, and kills it if it is still busy a moment later. A child whose caller was
  killed reads the end of its input after its current request and ends too.
"""

from __future__ import annotations

import marshal
import os
import sys

TYPE_CHECKING = False  # (typing is not imported at run time: the child stays lean)
if TYPE_CHECKING:
    import subprocess
    from collections.abc import Callable
    from concurrent.futures import Future
    from typing import IO, Any

WORKER_ARG = "--draftkeeper-worker"  # the frozen program's first argument for a worker
STOP_WAIT_S = 1.0  # at close: how long a child may take to end before it is killed
# a child with nothing to do for this long is ended (its memory given back between a
# window's or watch's batch saves); the next request starts another (~20 ms of the other
# core: it imports next to nothing)
IDLE_S = 1.0
_HEAD = 4  # bytes of the length before each message (little-endian)


class WorkerFailed(Exception):
    """The worker could not do a request: it died, or the function raised."""


def _send(out: IO[bytes], value: Any) -> None:
    data = marshal.dumps(value)
    out.write(len(data).to_bytes(_HEAD, "little") + data)
    out.flush()


def _read_exactly(source: IO[bytes], size: int) -> bytes:
    parts = []
    while size:
        part = source.read(size)
        if not part:
            raise EOFError
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _receive(source: IO[bytes]) -> Any:
    size = int.from_bytes(_read_exactly(source, _HEAD), "little")
    return marshal.loads(_read_exactly(source, size))


def serve() -> None:
    """In the child: answer requests from stdin on stdout until stdin ends."""
    import importlib
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the caller, which ends us
    source, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # (a print in a function must not garble the answers)
    while True:
        try:
            module, name, arg = _receive(source)
        except EOFError:
            return
        try:
            if not module.startswith("draftkeeper."):  # (only this program's functions)
                raise ValueError(f"not a Draft Keeper module: {module}")
            answer = (True, getattr(importlib.import_module(module), name)(arg))
            data = marshal.dumps(answer)  # (an answer that is no marshal data fails here)
        except Exception as exc:
            data = marshal.dumps((False, f"{type(exc).__name__}: {exc}"))
        out.write(len(data).to_bytes(_HEAD, "little") + data)
        out.flush()


def command() -> list[str]:
    """How this program starts a worker."""
    if getattr(sys, "frozen", False):
        return [sys.executable, WORKER_ARG]
    here = os.path.dirname(os.path.abspath(__file__))
    top = os.path.dirname(os.path.dirname(os.path.dirname(here)))  # (holds draftkeeper/)
    code = ("import sys; sys.path.insert(0, sys.argv[1]); "
            "from draftkeeper.core.platform.workers import serve; serve()")
    # -I -S: no site (its .pth files and site-packages: the child needs the standard
    # library and this package only; ~1.7 MB less), no environment or user paths
    return [sys.executable, "-I", "-S", "-c", code, top]


class Worker:
    """One helper process for this process, started at the first ``submit``."""

    def __init__(self, program: Callable[[], list[str]] = command,
                 idle_s: float = IDLE_S) -> None:
        import _thread  # (threading's lock, without threading's start: no thread yet)

        self._program = program
        self._lock = _thread.allocate_lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._queue: Any = None  # (request, future) for the thread; None: stop
        self._registered = False  # (its close, with atexit)
        self.idle_s = idle_s
        self.broken = False  # it failed once: the callers go on without it

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs."""
        proc = self._proc
        return None if proc is None else proc.pid

    def submit(self, fn: Callable[[Any], Any], arg: object) -> Future[Any] | None:
        """``fn(arg)`` in the child, to come (``fn`` a module-level function; ``arg`` and
        its answer marshal data); None when there is no child to ask."""
        from concurrent.futures import Future

        with self._lock:
            if self.broken:
                return None
            try:
                if self._proc is None:
                    self._start()
            except Exception:
                self.broken = True
                return None
            future: Future[Any] = Future()
            self._queue.put(((fn.__module__, fn.__name__, arg), future))
            return future

    def _start(self) -> None:
        import subprocess
        import threading
        from queue import SimpleQueue

        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # (Windows only)
        proc = subprocess.Popen(self._program(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, creationflags=flags)
        self._proc, self._queue = proc, SimpleQueue()
        threading.Thread(target=self._talk, args=(proc, self._queue), daemon=True,
                         name="dk-worker").start()
        if not self._registered:
            import atexit

            atexit.register(self.close)
            self._registered = True

    def _talk(self, proc: subprocess.Popen[bytes], queue: Any) -> None:
        """The thread: each request in turn to the child, and its answer back; the child
        ended once it has had nothing to do for ``idle_s``."""
        from queue import Empty

        assert proc.stdin is not None and proc.stdout is not None
        while True:
            try:
                item = queue.get(timeout=self.idle_s)
            except Empty:
                with self._lock:  # (a submit meanwhile queues here, or starts a new one)
                    if not queue.empty():
                        continue
                    if self._proc is proc:
                        self._proc = self._queue = None
                _end(proc)
                return
            if item is None:
                break
            request, future = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                _send(proc.stdin, request)
                ok, answer = _receive(proc.stdout)
            except Exception as exc:  # (gone, or nonsense: EOFError, OSError, ValueError)
                self._fail(proc, future, exc)
                break
            if ok:
                future.set_result(answer)
            else:
                future.set_exception(WorkerFailed(answer))
        while (item := queue.get_nowait() if not queue.empty() else None) is not None:
            item[1].cancel()  # (the worker stopped: work still queued is not done)

    def _fail(self, proc: subprocess.Popen[bytes], future: Future[Any],
              exc: BaseException) -> None:
        future.set_exception(WorkerFailed(f"the worker stopped ({exc!r})"))
        with self._lock:
            if self._proc is not proc:
                return  # (closed meanwhile: ``close`` ends it)
            self.broken = True
        _end(proc)

    def close(self) -> None:
        """Stop the child (a request under way is dropped); a later ``submit`` starts a
        new one."""
        with self._lock:
            proc, self._proc = self._proc, None
            queue, self._queue = self._queue, None
        if proc is None:
            return
        queue.put(None)
        _end(proc)


def _end(proc: subprocess.Popen[bytes]) -> None:
    """End the child: the end of its input, then a kill if it is still busy."""
    import subprocess

    try:
        if proc.stdin is not None:
            proc.stdin.close()
    except OSError:
        pass  # (a broken pipe: it is gone already)
    try:
        proc.wait(STOP_WAIT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()

"""The worker processes that run queries: pyoxigraph cannot cancel a query, so each runs in a process of its own
(the store opened with ``Store.read_only``, the network closed to it by ``sandbox``), and one that overruns the
time limit is killed and replaced.
"""
from __future__ import annotations

import logging
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from kg.errors import StoreError
from kg.serve.guard import check_query
from kg.serve.messages import Reply, one_line, text_reply
from kg.serve.running import Job, run_job
from kg.serve.sandbox import forbid_network

log = logging.getLogger("kg.serve")

DEFAULT_WORKERS = min(8, max(4, os.cpu_count() or 1))
"""Worker processes by default: one per core, at least 4 so that a slow query leaves room for quick ones."""
WORKER_START_SECONDS = 60.0


def _exit_with_parent(parent: int) -> None:
    """Exit this process when ``parent`` is gone (checked each second)."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def worker_main(fd: int, store_path: str) -> None:
    """A worker process: forbid itself the network, open the store read-only, then answer Jobs on the
    connection ``fd``."""
    sandbox = forbid_network()  # first, before any thread starts: only threads started later inherit it
    if sandbox is not None:
        log.warning("query worker %d runs without its network filter (%s); the query guard still applies",
                    os.getpid(), sandbox)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(os.getppid())
    conn = Connection(fd)
    try:
        store = ox.Store.read_only(store_path)
    except OSError as err:
        conn.send(("error", f"{store_path}: cannot open the store read-only: {one_line(err)}"))
        return
    check_query("ASK {}")  # imports and warms up rdflib's parser before the first query
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(run_job(store, job))


class _Worker:
    """One worker process and our end of its connection."""

    def __init__(self, store_path: Path) -> None:
        ours, theirs = socket.socketpair()
        code = "import sys; from kg.serve.pool import worker_main; worker_main(int(sys.argv[1]), sys.argv[2])"
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            p for p in (str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH")) if p))
        try:
            self.process = subprocess.Popen([sys.executable, "-c", code, str(theirs.fileno()), str(store_path)],
                                            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, env=env)
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.ready = False

    @property
    def pid(self) -> int:
        """The worker's process id."""
        return self.process.pid

    def wait_ready(self, timeout: float) -> None:
        """Wait for the worker to open the store.

        Raises:
            StoreError: it could not, or took longer than ``timeout``.
        """
        if self.ready:
            return
        try:
            if not self.conn.poll(timeout):
                raise StoreError(f"a worker process did not start within {timeout:.0f} s")
            status, detail = self.conn.recv()
        except (EOFError, OSError):
            raise StoreError("a worker process exited while starting") from None
        if status != "ready":
            raise StoreError(detail)
        self.ready = True

    def stop(self) -> None:
        """Kill the process, reap it and close the connection."""
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            log.warning("worker %d did not exit after SIGKILL", self.pid)
        self.conn.close()


class WorkerPool:
    """A fixed number of worker processes; a request waits for a free one.

    A worker that overruns the time limit, or dies, is killed and replaced, so
    the pool always has ``size`` workers.
    """

    def __init__(self, store_path: Path, size: int) -> None:
        self.store_path = store_path
        self.size = size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    def start(self) -> None:
        """Start every worker and wait until each has opened the store.

        Raises:
            StoreError: a worker cannot open the store.
        """
        started = [self._spawn() for _ in range(self.size)]
        try:
            for worker in started:
                worker.wait_ready(WORKER_START_SECONDS)
        except StoreError:
            self.close()
            raise
        for worker in started:
            self._idle.put(worker)

    def idle(self) -> int:
        """How many ready workers are waiting for a query."""
        return self._idle.qsize()

    def pids(self) -> list[int]:
        """The process ids of the current workers."""
        with self._lock:
            return sorted(w.pid for w in self._workers)

    def _spawn(self) -> _Worker:
        worker = _Worker(self.store_path)
        with self._lock:
            if not self._closed:
                self._workers.add(worker)
                return worker
        worker.stop()
        raise OSError("the worker pool is closed")

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
        worker.stop()

    def _release(self, worker: _Worker, *, broken: bool) -> None:
        """Give the worker back, or start a fresh one in its place when it is ``broken``."""
        if broken:
            self._discard(worker)
            if not self._closed:
                threading.Thread(target=self._replace, args=(self._try_spawn(),), name="kg-serve-respawn",
                                 daemon=True).start()
        elif self._closed:
            self._discard(worker)
        else:
            self._idle.put(worker)

    def _try_spawn(self) -> _Worker | None:
        try:
            return self._spawn()
        except OSError as err:
            if not self._closed:
                log.error("cannot start a query worker: %s", err)
            return None

    def _replace(self, worker: _Worker | None, attempts: int = 3) -> None:
        """Queue ``worker`` once it is ready (start another if it fails), so requests only get ready workers."""
        for attempt in range(attempts):
            if worker is None:
                time.sleep(1.0 + attempt)
                worker = self._try_spawn()
            if self._closed:
                return
            if worker is None:
                continue
            try:
                worker.wait_ready(WORKER_START_SECONDS)
            except StoreError as err:
                self._discard(worker)
                worker = None
                if not self._closed:
                    log.error("a new query worker failed: %s", err)
                continue
            self._release(worker, broken=False)
            return
        if not self._closed:
            log.error("gave up replacing a query worker; %d left", len(self.pids()))

    def _take(self, wait: float) -> _Worker | None:
        """A live idle worker, replacing dead ones on the way; None after ``wait`` seconds."""
        deadline = time.monotonic() + wait
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return None
            if worker.process.poll() is None:
                return worker
            log.error("query worker %d died while idle (exit status %s)", worker.pid, worker.process.returncode)
            self._release(worker, broken=True)

    def run(self, job: Job, *, timeout: float, wait: float) -> Reply:
        """Run ``job`` on a free worker within ``timeout`` seconds, waiting up to ``wait`` for one."""
        worker = self._take(wait)
        if worker is None:
            return text_reply(503, f"all {self.size} query workers stayed busy for {wait:.0f} s; try again later",
                              (("Retry-After", "5"),))
        broken = True
        try:
            if self._closed:
                return text_reply(503, "the server is shutting down")
            worker.conn.send(job)
            if not worker.conn.poll(timeout):
                log.warning("query stopped after %.1f s (worker %d killed): %s", timeout, worker.pid,
                            one_line(job.query, 200))
                return text_reply(503, f"query stopped: it ran longer than the server's time limit of {timeout:g} s; "
                                       f"narrow it or add a LIMIT")
            reply = worker.conn.recv()
            broken = False
            return reply
        except (EOFError, OSError) as err:
            if self._closed:
                return text_reply(503, "the server is shutting down")
            log.error("query worker %d failed: %s", worker.pid, err)
            return text_reply(500, "the query worker failed (it may have run out of memory); it has been replaced")
        finally:
            self._release(worker, broken=broken)

    def close(self) -> None:
        """Stop every worker, busy or not."""
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.stop()


__all__ = ["DEFAULT_WORKERS", "WorkerPool", "worker_main"]

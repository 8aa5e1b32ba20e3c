"""The worker processes that run queries: pyoxigraph cannot cancel a query, so each runs in a process of its own
(the store opened with ``Store.read_only``, the network closed to it by ``sandbox``), and one that overruns the
time limit is killed and replaced. Slow queries are kept from taking every worker (see ``WorkerPool``).

A store on a SPARQL server (``kg.remote``) is opened as a read-only client, which sends no update; such a
worker needs the network to reach the server, so it runs without the filter, and the query guard alone keeps
SERVICE and LOAD from it. Killing it closes its connection: start the server with a time limit of its own
(``oxigraph serve --timeout-s``) so that it stops the query too.
"""
from __future__ import annotations

import logging
import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from kg.backend import Backend
from kg.errors import StoreError
from kg.remote import RemoteStore, is_remote
from kg.serve.guard import check_query
from kg.serve.messages import Reply, one_line, text_reply
from kg.serve.running import Job, run_job
from kg.serve.sandbox import forbid_network

log = logging.getLogger("kg.serve")

DEFAULT_WORKERS = min(8, max(4, os.cpu_count() or 1))
"""Worker processes at most by default: one per core, at least 4 so that a slow query leaves room for quick ones."""
START_WORKERS = 2
"""Worker processes started with the server; more are started as requests need them, up to the maximum."""
DEFAULT_QUEUE_WAIT = 10.0
"""Seconds a request waits for a worker before the answer is 503 with ``Retry-After``."""
DEFAULT_SLOW_PER_CLIENT = 2
"""Slow queries one client address may have running at once."""
SLOW_AFTER = 1.0
"""Seconds after which a running query counts as slow (at most half the time limit)."""
KNOWN_SLOW = 1024
"""Query texts, and client addresses, remembered as slow."""
SLOW_NICENESS = 10
"""The CPU niceness a worker runs a slow query at."""
WORKER_START_SECONDS = 60.0


def _exit_with_parent(parent: int) -> None:
    """Exit this process when ``parent`` is gone (checked each second)."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def worker_main(fd: int, store_path: str) -> None:
    """A worker process: forbid itself the network (unless the store is on a server), open the store read-only,
    then answer Jobs on the connection ``fd``."""
    remote = is_remote(store_path)
    sandbox = forbid_network() if not remote else None  # first, before any thread starts: only later ones inherit it
    if sandbox is not None:
        log.warning("query worker %d runs without its network filter (%s); the query guard still applies",
                    os.getpid(), sandbox)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(os.getppid())
    conn = Connection(fd)
    store: Backend
    try:
        store = RemoteStore(store_path, read_only=True) if remote else ox.Store.read_only(store_path)
    except (OSError, StoreError) as err:
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

    def __init__(self, store_path: Path | str) -> None:
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
        self.niced = False
        self.stopped = False
        self._stopping = threading.Lock()

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

    def lower_priority(self) -> None:
        """Run at a lower CPU priority (a slow query): the workers of quick queries get the cores first."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.pid, SLOW_NICENESS)
            self.niced = True
        except OSError:  # gone already, or not allowed: it just keeps its priority
            pass

    def restore_priority(self) -> bool:
        """Back to the normal priority; False when that is not allowed (raising it back needs privileges)."""
        if not self.niced:
            return True
        try:
            os.setpriority(os.PRIO_PROCESS, self.pid, 0)
        except OSError:
            return False
        self.niced = False
        return True

    def stop(self) -> None:
        """Kill the process, reap it and close the connection, once: the pool's close and a request thread
        giving back a broken worker may both stop it (closing its connection twice closed a descriptor number
        that another connection could have been given meanwhile)."""
        with self._stopping:
            if self.stopped:
                return
            self.stopped = True
            if self.process.poll() is None:
                self.process.kill()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                log.warning("worker %d did not exit after SIGKILL", self.pid)
            self.conn.close()


@dataclass
class _Running:
    """A query on a worker: whose (the client's address), when its time is up, and whether it counts as slow."""

    client: str
    deadline: float
    slow: bool


class _Processes:
    """The pool's worker processes: started, queued while idle, stopped, and replaced in the background."""

    def __init__(self, store_path: Path | str, cond: threading.Condition) -> None:
        self.store_path = store_path
        self.cond = cond  # the pool's: it guards the sets below and wakes requests waiting for an idle worker
        self.idle: deque[_Worker] = deque()  # first in, first out: every worker gets used, a dead one seen
        self.all: set[_Worker] = set()
        self.closed = False

    def spawn(self) -> _Worker:
        """Start a worker process (OSError once the pool is closed)."""
        worker = _Worker(self.store_path)
        with self.cond:
            if not self.closed:
                self.all.add(worker)
                return worker
        worker.stop()
        raise OSError("the worker pool is closed")

    def discard(self, worker: _Worker) -> None:
        with self.cond:
            self.all.discard(worker)
        worker.stop()

    def release(self, worker: _Worker, *, broken: bool) -> None:
        """Give the worker back, or start a fresh one in its place when it is ``broken``."""
        if broken:
            self.discard(worker)
            if not self.closed:
                self.start_in_background(self.try_spawn())
        elif self.closed:
            self.discard(worker)
        else:
            with self.cond:
                self.idle.append(worker)
                self.cond.notify_all()

    def start_in_background(self, worker: _Worker | None) -> None:
        """Queue ``worker`` (or a new one, when None) once it is ready, from a thread of its own."""
        threading.Thread(target=self._replace, args=(worker,), name="kg-serve-respawn", daemon=True).start()

    def try_spawn(self) -> _Worker | None:
        try:
            return self.spawn()
        except OSError as err:
            if not self.closed:
                log.error("cannot start a query worker: %s", err)
            return None

    def _replace(self, worker: _Worker | None, attempts: int = 3) -> None:
        """Queue ``worker`` once it is ready (start another if it fails), so requests only get ready workers."""
        for attempt in range(attempts):
            if worker is None:
                time.sleep(1.0 + attempt)
                worker = self.try_spawn()
            if self.closed:
                return
            if worker is None:
                continue
            try:
                worker.wait_ready(WORKER_START_SECONDS)
            except StoreError as err:
                self.discard(worker)
                worker = None
                if not self.closed:
                    log.error("a new query worker failed: %s", err)
                continue
            self.release(worker, broken=False)
            return
        if not self.closed:
            with self.cond:
                left = len(self.all)
            log.error("gave up replacing a query worker; %d left", left)

    def close(self) -> list[_Worker]:
        """Mark the processes closed and forget them; the ones that were running, to stop."""
        with self.cond:
            self.closed = True
            workers = list(self.all)
            self.all.clear()
            self.idle.clear()
            self.cond.notify_all()
        return workers


class _SlowSuspects:
    """The query texts and client addresses whose last query was slow (at most ``KNOWN_SLOW`` of each, the latest)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queries: OrderedDict[str, None] = OrderedDict()  # query texts (with their datasets)
        self._clients: OrderedDict[str, None] = OrderedDict()  # client addresses

    def suspect(self, key: str, client: str) -> bool:
        """Whether the query ``key``, or the last query of ``client``, was slow."""
        with self._lock:
            return key in self._queries or client in self._clients

    def remember(self, key: str, client: str, slow: bool) -> None:
        """Note whether the query ``key`` of ``client`` was slow: a slow one makes both suspect (their next
        queries start as slow ones), a quick one clears both."""
        with self._lock:
            for known, name in ((self._queries, key), (self._clients, client)):
                if slow:
                    known[name] = None
                    known.move_to_end(name)
                    while len(known) > KNOWN_SLOW:
                        known.popitem(last=False)
                else:
                    known.pop(name, None)


class WorkerPool:
    """Worker processes, from ``start`` up to ``size``, started as requests need them.

    A request takes an idle worker, or has one started while there is room, and waits at most ``wait`` seconds
    (then 503 with ``Retry-After``). A query is *slow* once it has run ``slow_after`` seconds (at most half the
    time limit), or from the start when the same text, or the last query of the same client, was slow (until one
    of its queries is quick). Slow queries may hold at most
    ``slow_per_client`` workers per client address and, together, half of ``size`` (at least one): a slow
    query past either cap waits for a place when it is known to be slow, and is stopped (503, ``Retry-After``)
    when it turns slow. A slow query's worker runs at a lower CPU priority (niceness ``SLOW_NICENESS``). So
    clients sending queries that run to the time limit can take neither every worker nor every core from the
    quick ones.

    A worker that overruns the time limit, or dies, is killed and replaced.
    """

    def __init__(self, store_path: Path | str, size: int, *, start: int = START_WORKERS, slow_after: float = SLOW_AFTER,
                 slow_per_client: int = DEFAULT_SLOW_PER_CLIENT) -> None:
        self.store_path = store_path
        self.size = size
        self.initial = max(1, min(size, start))
        self.slow_after = slow_after
        self.slow_per_client = slow_per_client
        self.max_slow = max(1, size // 2)
        self._running: dict[int, _Running] = {}
        self._suspects = _SlowSuspects()
        self._cond = threading.Condition(threading.RLock())
        self._processes = _Processes(store_path, self._cond)

    def start(self) -> None:
        """Start the first workers and wait until each has opened the store.

        Raises:
            StoreError: a worker cannot open the store.
        """
        started = [self._processes.spawn() for _ in range(self.initial)]
        try:
            for worker in started:
                worker.wait_ready(WORKER_START_SECONDS)
        except StoreError:
            self.close()
            raise
        for worker in started:
            self._processes.release(worker, broken=False)

    def idle(self) -> int:
        """How many ready workers are waiting for a query."""
        with self._cond:
            return len(self._processes.idle)

    def pids(self) -> list[int]:
        """The process ids of the current workers."""
        with self._cond:
            return sorted(w.pid for w in self._processes.all)

    def slow_running(self, client: str | None = None) -> int:
        """How many slow queries are running (those of ``client`` only, when given)."""
        with self._cond:
            return sum(1 for r in self._running.values() if r.slow and client in (None, r.client))

    def _slow_place(self, client: str) -> bool:
        """Whether one more slow query of ``client`` fits under both caps (call with the lock held)."""
        slow = [r.client for r in self._running.values() if r.slow]
        return len(slow) < self.max_slow and slow.count(client) < self.slow_per_client

    def _retry_after(self, *, slow_only: bool = False) -> tuple[tuple[str, str], ...]:
        """A ``Retry-After`` header: the seconds until the first running query (slow one) must end."""
        with self._cond:
            deadlines = [r.deadline for r in self._running.values() if r.slow or not slow_only]
        seconds = math.ceil(min(deadlines) - time.monotonic()) if deadlines else 1
        return (("Retry-After", str(max(1, seconds))),)

    def _take(self, client: str, slow: bool, timeout: float, wait: float) -> tuple[_Worker, int] | Reply:
        """An idle worker for a query of ``client`` (a known slow one: with a place for it), registered as
        running; or the 503 to answer after ``wait`` seconds."""
        deadline = time.monotonic() + wait
        with self._cond:
            while True:
                if self._processes.closed:
                    return text_reply(503, "the server is shutting down")
                if not slow or self._slow_place(client):
                    while self._processes.idle:
                        worker = self._processes.idle.popleft()
                        if worker.process.poll() is None:
                            token = id(worker)
                            self._running[token] = _Running(client, time.monotonic() + timeout, slow)
                            return worker, token
                        log.error("query worker %d died while idle (exit status %s)", worker.pid,
                                  worker.process.returncode)
                        self._processes.release(worker, broken=True)
                    if len(self._processes.all) < self.size:  # room to grow: the new worker is queued once ready
                        self._processes.start_in_background(self._processes.try_spawn())
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
        if slow:
            return text_reply(503, f"this query (or your last one) was slow, and as many slow queries as may run at "
                                   f"once ({self.slow_per_client} per client, {self.max_slow} in all) kept running "
                                   f"for {wait:g} s; try again later", self._retry_after(slow_only=True))
        return text_reply(503, f"all {self.size} query workers stayed busy for {wait:g} s; try again later",
                          self._retry_after())

    def run(self, job: Job, *, timeout: float, wait: float, client: str = "") -> Reply:
        """Run ``job`` for ``client`` (an address) on a worker within ``timeout`` seconds, waiting up to ``wait``
        for one (see the class docstring)."""
        key = repr((job.query, job.default_graphs, job.named_graphs))
        known_slow = self._suspects.suspect(key, client)
        taken = self._take(client, known_slow, timeout, wait)
        if isinstance(taken, Reply):
            return taken
        worker, token = taken
        broken = True
        slow_after = min(self.slow_after, timeout / 2)
        started = time.monotonic()
        try:
            if self._processes.closed:
                return text_reply(503, "the server is shutting down")
            worker.conn.send(job)
            if known_slow:
                worker.lower_priority()
            elif not worker.conn.poll(slow_after):
                with self._cond:
                    placed = self._slow_place(client)
                    if placed:
                        self._running[token].slow = True
                if placed:
                    worker.lower_priority()
                else:
                    self._suspects.remember(key, client, slow=True)
                    log.warning("slow query stopped after %.1f s (worker %d killed; slow queries at their cap): %s",
                                slow_after, worker.pid, one_line(job.query, 200))
                    return text_reply(503, f"query stopped after {slow_after:g} s: it is slow, and as many slow "
                                           f"queries as may run at once ({self.slow_per_client} per client, "
                                           f"{self.max_slow} in all) are running; try again later",
                                      self._retry_after(slow_only=True))
            if not worker.conn.poll(max(0.0, started + timeout - time.monotonic())):
                self._suspects.remember(key, client, slow=True)
                log.warning("query stopped after %.1f s (worker %d killed): %s", timeout, worker.pid,
                            one_line(job.query, 200))
                return text_reply(503, f"query stopped: it ran longer than the server's time limit of {timeout:g} s; "
                                       f"narrow it or add a LIMIT")
            reply: Reply = worker.conn.recv()
            broken = not worker.restore_priority()  # a worker that cannot get its priority back is replaced
            self._suspects.remember(key, client, slow=time.monotonic() - started >= slow_after)
            return reply
        except (EOFError, OSError) as err:
            if self._processes.closed:
                return text_reply(503, "the server is shutting down")
            log.error("query worker %d failed: %s", worker.pid, err)
            return text_reply(500, "the query worker failed (it may have run out of memory); it has been replaced")
        finally:
            with self._cond:
                self._running.pop(token, None)
                self._cond.notify_all()
            self._processes.release(worker, broken=broken)

    def close(self) -> None:
        """Stop every worker, busy or not."""
        for worker in self._processes.close():
            worker.stop()


__all__ = ["DEFAULT_QUEUE_WAIT", "DEFAULT_SLOW_PER_CLIENT", "DEFAULT_WORKERS", "SLOW_AFTER", "START_WORKERS",
           "WorkerPool", "worker_main"]

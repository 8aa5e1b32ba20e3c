"""Worker processes for the build: each loads the pipeline once, then analyses the batches it is handed.

The parent hands each worker one batch at a time over the worker's own pipe, so it always knows which batch
each worker holds. When a worker dies (killed, out of memory, a crash inside a C extension), the batch it held
is analysed again one article at a time by a fresh worker, and an article that kills a worker on its own
becomes one :class:`~kg.reading.ReadProblem`; the other articles are not affected.

A worker is a fresh interpreter (``python -m kg.workers``), not a fork: it shares no store handle or thread
with the parent, never touches the store, and never re-runs the caller's script, so ``build(processes=N)``
needs no ``if __name__ == "__main__"`` guard. It runs in a session of its own, so a Ctrl-C in the terminal
reaches the parent only, which then stops every worker; a worker whose parent is gone (killed) sees its pipe
close and exits.

>>> list(outcomes_in_workers([], processes=2, max_chars=10))
[]
"""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from multiprocessing.connection import Connection, wait
from typing import IO, Any

from kg.analysis import Outcome, Task, WorkerDied
from kg.errors import KgError
from kg.reading import ReadProblem

ANALYSE = "kg.analysis:analysed_batch"
"""What a worker runs on each batch, as ``module:function``: ``function(tasks, max_chars=...)``."""
STOP_SECONDS = 5.0  # how long a worker that was asked to stop may take before it is killed


@dataclass(frozen=True)
class _Job:
    """Some consecutive tasks of one batch: the batch's index, the first task's place in it, the tasks."""

    batch: int
    offset: int
    tasks: tuple[Task, ...]


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    jobs: Connection  # to the worker
    answers: Connection  # from the worker
    errors: IO[bytes]  # its stderr, kept to explain a worker that cannot start
    ready: bool = False  # its pipeline is loaded
    job: _Job | None = None


@dataclass
class _Progress:
    """The outcomes met so far, by batch, and the jobs still to hand out."""

    sizes: list[int]
    queue: deque[_Job]
    done: dict[int, list[Outcome | None]] = field(default_factory=dict)

    def record(self, job: _Job, outcomes: Sequence[Outcome]) -> None:
        slots = self.done.setdefault(job.batch, [None] * self.sizes[job.batch])
        slots[job.offset:job.offset + len(outcomes)] = outcomes

    def complete(self, batch: int) -> list[Outcome] | None:
        """The batch's outcomes once all are in, else None."""
        slots = self.done.get(batch)
        if slots is None or any(o is None for o in slots):
            return None
        del self.done[batch]
        return [o for o in slots if o is not None]


def outcomes_in_workers(batches: Sequence[Sequence[Task]], *, processes: int, max_chars: int,
                        analyse: str = ANALYSE) -> Generator[list[Outcome], None, None]:
    """Each batch's outcomes, in the order of ``batches``, analysed by up to ``processes`` worker processes.

    Raises:
        KgError: a worker cannot load the pipeline (the model is not installed), or dies while loading it.
    """
    progress = _Progress([len(b) for b in batches], deque(_Job(n, 0, tuple(b)) for n, b in enumerate(batches)))
    workers: list[_Worker] = []
    try:
        for n in range(len(batches)):
            while (outcomes := progress.complete(n)) is None:
                while len(workers) < min(processes, len(progress.queue) + sum(w.job is not None for w in workers)):
                    workers.append(_start(analyse, max_chars))
                _hand_out(workers, progress.queue)
                _collect(workers, progress)
            yield outcomes
    finally:
        _stop(workers)


def _hand_out(workers: list[_Worker], queue: deque[_Job]) -> None:
    for worker in workers:
        if worker.ready and worker.job is None and queue:
            worker.job = queue.popleft()
            try:
                worker.jobs.send(worker.job.tasks)
            except OSError:  # it has just died: _collect finds its pipe closed and retries the job
                pass


def _collect(workers: list[_Worker], progress: _Progress) -> None:
    """Wait for a worker to answer or die, and take in what it did."""
    waiting: dict[Any, _Worker] = {w.answers: w for w in workers}
    for handle in wait(list(waiting)):
        worker = waiting[handle]
        answer = _answer(worker)
        if answer is None:  # it died: its pipe closed without a (whole) answer
            workers.remove(worker)
            exitcode, why = _ended(worker)
            if not worker.ready:
                raise KgError(f"a build worker process could not start (exit code {exitcode}{why}); "
                              f"try `kg build --processes 1`")
            _retry(worker.job, exitcode, progress)
        elif answer[0] == "error":  # it cannot load the pipeline
            raise KgError(answer[1])
        elif worker.job is None:
            worker.ready = True
        else:
            progress.record(worker.job, answer[1])
            worker.job = None


def _answer(worker: _Worker) -> tuple[str, Any] | None:
    """The worker's message, or None if it died without one."""
    try:
        answer: tuple[str, Any] = worker.answers.recv()
        return answer
    except (EOFError, OSError, pickle.UnpicklingError):  # it died, perhaps halfway through an answer
        return None


def _retry(job: _Job | None, exitcode: int | None, progress: _Progress) -> None:
    """The job of a worker that died: each article again on its own, or, if it was alone, a problem."""
    if job is None:
        return
    if len(job.tasks) > 1:
        progress.queue.extendleft(reversed([_Job(job.batch, job.offset + k, (t,)) for k, t in enumerate(job.tasks)]))
        return
    how = f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit code {exitcode}"
    (task,) = job.tasks
    progress.record(job, [ReadProblem.failed(task.origin, "nlp or extraction",
                                             WorkerDied(f"the worker process died ({how}) while analysing it"))])


def _start(analyse: str, max_chars: int) -> _Worker:
    """A worker process, started; it answers "ready" once its pipeline is loaded."""
    job_read, job_write = os.pipe()
    answer_read, answer_write = os.pipe()
    errors = tempfile.TemporaryFile()
    process = subprocess.Popen([sys.executable, "-m", "kg.workers", str(job_read), str(answer_write), analyse,
                                str(max_chars)], pass_fds=(job_read, answer_write), stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True)
    os.close(job_read)
    os.close(answer_write)
    return _Worker(process, Connection(job_write, readable=False), Connection(answer_read, writable=False), errors)


def _serve(jobs: Connection, answers: Connection, analyse: Callable[..., list[Outcome]], max_chars: int) -> None:
    """A worker's life: load the pipeline, say so, then answer each batch until told to stop or orphaned."""
    try:
        analyse([], max_chars=max_chars)  # loads the pipeline
    except Exception as exc:
        answers.send(("error", str(exc) if isinstance(exc, KgError) else f"{type(exc).__name__}: {exc}"))
        return
    answers.send(("ready", None))
    while True:
        try:
            tasks = jobs.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if tasks is None:
            return
        try:
            answers.send(("done", analyse(tasks, max_chars=max_chars)))
        except OSError:  # the parent is gone
            return


def _ended(worker: _Worker) -> tuple[int, str]:
    """(exit code, ": the last line it wrote on stderr" or "") of a worker that stopped or was stopped.

    A negative exit code is the signal that ended it.
    """
    try:
        exitcode = worker.process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.process.kill()
        exitcode = worker.process.wait()
    worker.jobs.close()
    worker.answers.close()
    worker.errors.seek(0)
    lines = worker.errors.read().decode("utf-8", "replace").strip().splitlines()
    worker.errors.close()
    return exitcode, f": {lines[-1].strip()}" if lines else ""


def _stop(workers: list[_Worker]) -> None:
    """Stop every worker: ask the idle ones, end the busy or loading ones (their work is no longer wanted)."""
    for worker in workers:
        try:
            if worker.ready and worker.job is None:
                worker.jobs.send(None)
            else:
                worker.process.terminate()
        except OSError:
            worker.process.terminate()
    for worker in workers:
        _ended(worker)


def main(argv: list[str]) -> None:
    """``python -m kg.workers JOBS_FD ANSWERS_FD MODULE:FUNCTION MAX_CHARS``: one worker (started by the build)."""
    jobs_fd, answers_fd, analyse, max_chars = argv
    module, _, name = analyse.partition(":")
    _serve(Connection(int(jobs_fd), writable=False), Connection(int(answers_fd), readable=False),
           getattr(import_module(module), name), int(max_chars))


if __name__ == "__main__":
    main(sys.argv[1:])

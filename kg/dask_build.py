"""The build's analysis on a Dask cluster (``kg build --engine dask``): batches of articles out, records back.

Without a scheduler address a ``LocalCluster`` of worker processes (one thread each) is started for the build
and closed after it; with one, a ``Client`` connects to that cluster, whose workers need conflict-kg and the
spaCy model installed. Each worker process loads the pipeline once, at its first batch
(:func:`kg.analysis.pipeline` is cached per process). The records come back to the build, which alone writes
them, one transaction per article, then resolves locally: resolution compares claims across blocks (a claim
placed only in the country meets every block of its type), so its blocks are not independent work to farm out.

Dask itself runs a batch again elsewhere when its worker dies; a batch that still kills workers
(``KilledWorker``) is run again one article per task, and an article that kills workers on its own becomes one
:class:`~kg.reading.ReadProblem`.
"""
from __future__ import annotations

import logging
from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING, Any

from kg.analysis import Outcome, Task, WorkerDied, analysed_batch
from kg.errors import EngineError, KgError, one_line
from kg.reading import ReadProblem

if TYPE_CHECKING:
    from distributed import Client, Future, LocalCluster

CONNECT_SECONDS = 10
"""How long connecting to a scheduler may take before the build gives up with an error."""


def outcomes_on_dask(batches: Sequence[Sequence[Task]], *, scheduler: str | None, processes: int,
                     max_chars: int) -> Generator[list[Outcome], None, None]:
    """Each batch's outcomes, in the order of ``batches``, analysed on the cluster at ``scheduler``, or on a
    local cluster of ``processes`` workers.

    Raises:
        EngineError: dask is not installed, the scheduler cannot be reached, or the cluster fails.
    """
    client, cluster = _connect(scheduler, processes)
    try:
        futures = client.map(analysed_batch, batches, max_chars=max_chars, pure=False)
        for batch, future in zip(batches, futures):
            yield _result(client, future, batch, max_chars)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _connect(scheduler: str | None, processes: int) -> tuple[Client, LocalCluster | None]:
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise EngineError("the dask engine needs dask.distributed; install it with "
                          "`pip install 'conflict-kg[dask]'`") from None
    try:
        if scheduler:
            return Client(scheduler, timeout=CONNECT_SECONDS), None
        with dask.config.set({"distributed.nanny.pre-spawn-environ": _worker_environ()}):
            cluster = LocalCluster(n_workers=processes, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)
        return Client(cluster), cluster
    except (OSError, TimeoutError, ValueError, TypeError, RuntimeError) as err:
        where = f"the Dask scheduler at {scheduler}" if scheduler else "a local Dask cluster"
        hint = ("; a script that starts a local cluster must do so under `if __name__ == '__main__':`, since its "
                "workers import the script again" if isinstance(err, RuntimeError) and not scheduler else "")
        raise EngineError(f"cannot use {where}: {one_line(err)}{hint}") from None


def _worker_environ() -> dict[str, Any]:
    """The environment Dask gives the workers it starts, less its ``MALLOC_TRIM_THRESHOLD_``.

    Dask makes glibc hand freed memory back to the OS eagerly; spaCy allocates and frees much memory per
    document, and its workers analysed FA-KES batches about a third slower so (measured with Dask's task
    stream on 100 articles: 31 s against 44 to 50 s for the whole run).
    """
    import dask

    environ: dict[str, Any] = dask.config.get("distributed.nanny.pre-spawn-environ")
    return {k: v for k, v in environ.items() if k != "MALLOC_TRIM_THRESHOLD_"}


def _result(client: Client, future: Future, batch: Sequence[Task], max_chars: int) -> list[Outcome]:
    """The batch's outcomes; if its workers kept dying, each article's on its own."""
    from distributed import KilledWorker

    try:
        return _gathered(future)
    except KilledWorker:
        pass
    outcomes: list[Outcome] = []
    singles = client.map(analysed_batch, [[task] for task in batch], max_chars=max_chars, pure=False)
    for task, single in zip(batch, singles):
        try:
            outcomes += _gathered(single)
        except KilledWorker:
            died = WorkerDied("every Dask worker that analysed it died")
            outcomes.append(ReadProblem.failed(task.origin, "nlp or extraction", died))
    return outcomes


def _gathered(future: Future) -> list[Outcome]:
    """The future's result; a failure of the cluster (not of an article: those are outcomes) as an EngineError."""
    from distributed import KilledWorker

    try:
        result: list[Outcome] = future.result()
        return result
    except (KilledWorker, KgError):  # KgError: a worker cannot load the pipeline (no model installed there)
        raise
    except Exception as err:  # the scheduler lost, or a worker without conflict-kg
        raise EngineError(f"the Dask cluster failed: {type(err).__name__}: {one_line(err)} (its workers need "
                          f"conflict-kg and the spaCy model installed)") from None


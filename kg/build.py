"""The build: read articles, analyse each once, write what each says to its graph, then resolve.

The input is read once, in full, before any NLP: of two articles with one id
only the later one is built, and unchanged articles (same id, same content
hash) are skipped before the spaCy model is even loaded, so a re-run of the
same input changes nothing and costs little. The content hash is of the record
as the input gives it (and of the reader's version), so an unchanged record is
known before its text is cleaned, and is not cleaned. The articles left are analysed
(parsed and read into records, :mod:`kg.analysis`) in this process, in worker
processes (:mod:`kg.workers`) or on a Dask cluster (:mod:`kg.dask_build`);
only this process writes to the store, in input order, whatever the engine.
Each article is written in one transaction: a build that is interrupted
leaves every article fully in the store or absent, and raises
:class:`BuildInterrupted`; running it again completes it. When the articles
are written, resolution (:mod:`kg.canonical`) makes the canonical layer follow
them, in one more transaction that writes only what changed.

One article's failure costs only that article: an unexpected error while it is
read, cleaned, parsed (a spaCy batch that fails is parsed again one text at a
time, so only the bad text fails), extracted or written, or a worker process
that dies with it, becomes one :class:`ReadProblem` naming it and the stage,
and the build goes on.
"""
from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Generator, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from functools import lru_cache
from math import ceil
from pathlib import Path

from tqdm import tqdm

from kg.analysis import Outcome, Task
from kg.canonical import resolve_store
from kg.claims import Entity
from kg.engines import ENGINES
from kg.errors import EngineError, KgError, StoreError
from kg.iris import content_hash
from kg.limits import MAX_CHARS
from kg.rdf import article_quads
from kg.reading import ReadProblem, Unchanged, read_articles
from kg.store import GraphStore

BATCH_SIZE = 64
"""Articles parsed in one ``nlp.pipe`` batch in this process."""
WORKER_BATCH_SIZE = 16
"""Articles handed to a worker at a time: small enough to keep every worker busy to the end."""
Work = Generator[list[Outcome], None, None]
"""The outcomes of the articles to build, batch by batch, in input order (closed to stop the engine)."""


class BuildInterrupted(KgError, KeyboardInterrupt):
    """A build was interrupted (Ctrl-C); the articles written so far are complete, the rest absent."""


@dataclass
class BuildReport:
    """What a build did: articles added, replaced, unchanged, and the problems met."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    resolved: int = 0  # quads of the canonical layer that resolution changed
    problems: list[ReadProblem] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        """How many inputs were skipped (no article came of them)."""
        return sum(1 for p in self.problems if p.skipped)

    @property
    def articles(self) -> int:
        return self.added + self.replaced + self.unchanged


def _pending(paths: Sequence[Path | str], columns: dict[str, str] | None, max_chars: int, store: GraphStore,
             problem: Callable[[ReadProblem], None], report: BuildReport) -> list[Task]:
    """One read of the input: the articles whose content differs from the store's, in input order.

    Of two articles with one id only the later one is kept, at its own place in the order. Without this, the
    earlier article would be written and then overwritten, and a re-run would find it changed (the store holds
    the later one) and write it back. Only the articles to build are held in memory, not the unchanged ones.
    """
    latest: dict[str, Task | None] = {}  # id -> the article to build, or None: the store holds it unchanged

    def known(article_id: str, input_digest: str) -> bool:
        return store.article_hash(article_id) == _content_hash(input_digest)

    for item in read_articles(paths, columns=columns, max_chars=max_chars, known=known):
        if isinstance(item, ReadProblem):
            problem(item)
            continue
        latest.pop(item.id, None)  # a later article with the same id replaces it, and takes its place
        if isinstance(item, Unchanged):
            latest[item.id] = None
            continue
        try:
            digest = _content_hash(item.input_digest)
            stored = store.article_hash(item.id)
        except Exception as exc:  # one article's failure never costs the others
            problem(ReadProblem.failed(item.origin or item.id, "reading", exc))
            continue
        latest[item.id] = None if stored == digest else Task(item, digest, stored is not None)
    report.unchanged += sum(1 for task in latest.values() if task is None)
    return [task for task in latest.values() if task is not None]


def _content_hash(input_digest: str) -> str:
    """The content hash of an article: of everything its graph depends on, the record it was read from
    (:func:`kg.reading.input_digest`) and the version of the reader (a build after an upgrade reads every
    article again)."""
    return content_hash(f"{input_digest}\x1f{reader_version()}")


PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=4)
def reader_version(root: Path = PACKAGE) -> str:
    """A digest of the code and data that read an article into its graph: the Python files of the package at
    ``root`` and its data folder (the model's name is in :mod:`kg.nlp`).

    >>> len(reader_version()), reader_version() == reader_version(PACKAGE)
    (64, True)
    """
    files = sorted(p for p in [*root.rglob("*.py"), *(root / "data").rglob("*")]
                   if p.is_file() and "__pycache__" not in p.parts)
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _batches(tasks: list[Task], size: int) -> list[list[Task]]:
    return [tasks[n:n + size] for n in range(0, len(tasks), size)]


def _outcomes(tasks: list[Task], *, engine: str, processes: int, scheduler: str | None,
              max_chars: int) -> Work:
    """The outcome of every task, batch by batch in task order, from the engine asked for."""
    if engine == "dask":
        from kg.dask_build import outcomes_on_dask

        return outcomes_on_dask(_batches(tasks, max(1, min(WORKER_BATCH_SIZE, ceil(len(tasks) / processes)))),
                                scheduler=scheduler, processes=processes, max_chars=max_chars)
    if processes > 1 and len(tasks) > 1:
        from kg.workers import outcomes_in_workers

        batches = _batches(tasks, min(WORKER_BATCH_SIZE, ceil(len(tasks) / processes)))  # every worker gets some
        return outcomes_in_workers(batches, processes=processes, max_chars=max_chars)
    return _outcomes_here(_batches(tasks, BATCH_SIZE), max_chars)


def _outcomes_here(batches: list[list[Task]], max_chars: int) -> Work:
    from kg.analysis import analysed, pipeline

    nlp = pipeline(max_chars)
    for batch in batches:
        yield analysed(nlp, batch)


def build(paths: Sequence[Path | str], *, store: GraphStore, columns: dict[str, str] | None = None,
          max_chars: int = MAX_CHARS, progress: bool | None = None,
          on_problem: Callable[[ReadProblem], None] | None = None, processes: int = 1, engine: str = "embedded",
          scheduler: str | None = None) -> BuildReport:
    """Read every article under ``paths`` and write each one's graph to ``store``.

    Args:
        paths: files and folders to read (see ``kg.reading``).
        store: the store to write to.
        columns: CSV column mapping for layouts other than FA-KES.
        max_chars: the longest article text; a longer one is cut at the end of a sentence, with a warning.
        progress: show a progress bar on stderr; default: when stderr is a terminal.
        on_problem: called with each input problem as it is met (default: ignore; all are in the report).
        processes: how many processes parse and extract (1: this one; more: worker processes, each loading the
            model once); with the ``dask`` engine, the workers of the local cluster it starts.
        engine: ``embedded`` (this machine) or ``dask`` (a Dask cluster: ``scheduler``, or a local one).
        scheduler: the address of a running Dask scheduler (``tcp://host:8786``), for the ``dask`` engine.

    Raises:
        BuildInterrupted: on KeyboardInterrupt; every article is then fully in the store or absent.
        StoreError: the store cannot be written.
        EngineError: an unknown engine, a bad number of processes, or a Dask cluster that cannot be used.
    """
    if engine not in ENGINES:
        raise EngineError(f"unknown build engine {engine!r}; expected one of {', '.join(ENGINES)}")
    if processes < 1:
        raise EngineError(f"expected at least 1 build process; got {processes}")
    if scheduler and engine != "dask":
        raise EngineError("a scheduler address needs the dask engine (kg build --engine dask --scheduler ADDRESS)")
    report = BuildReport()
    seen = on_problem or (lambda problem: None)

    def problem(item: ReadProblem) -> None:
        report.problems.append(item)
        seen(item)

    try:
        tasks = _pending(paths, columns, max_chars, store, problem, report)
        if tasks:
            work = _outcomes(tasks, engine=engine, processes=processes, scheduler=scheduler, max_chars=max_chars)
            _write_all(tasks, work, store, problem, report, progress)
        report.resolved = resolve_store(store)
        return report
    except KeyboardInterrupt:
        try:
            resolve_store(store)  # the canonical layer follows the articles written so far
        except KeyboardInterrupt:
            pass  # left as it was; the next build resolves it again
        raise BuildInterrupted(f"interrupted after writing {report.added + report.replaced} article(s), each "
                               f"complete; run the same build again to finish it") from None


def _write_all(tasks: list[Task], work: Work, store: GraphStore,
               problem: Callable[[ReadProblem], None], report: BuildReport, progress: bool | None) -> None:
    """Write each task's outcome as it comes, in task order, with a progress bar of the tasks done."""
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=len(tasks), desc="articles", unit=" art", disable=not show, file=sys.stderr, smoothing=0.1)
    written: set[Entity] = set()  # reference entities this build has written: one writing is enough
    done = 0
    try:
        with closing(work):  # stops the workers, also when interrupted here
            for outcomes in work:
                batch, done = tasks[done:done + len(outcomes)], done + len(outcomes)
                for task, outcome in zip(batch, outcomes, strict=True):
                    if _write(task, outcome, store, problem, written):
                        report.added += not task.existed
                        report.replaced += task.existed
                    bar.update(1)
    finally:
        bar.close()


def _write(task: Task, outcome: Outcome, store: GraphStore, problem: Callable[[ReadProblem], None],
           written: set[Entity]) -> bool:
    """Write one article's record as its graph, in one transaction; False if it failed (or failed before)."""
    if isinstance(outcome, ReadProblem):
        problem(outcome)
        return False
    try:
        new = tuple(e for e in outcome.entities if e.from_text or e not in written)
        store.replace_graph(*article_quads(replace(outcome, entities=new)))
    except StoreError:
        raise  # the store cannot be written: no article can be
    except Exception as exc:
        problem(ReadProblem.failed(task.origin, "writing", exc))
        return False
    written.update(e for e in new if not e.from_text)
    return True

"""The build: read articles, analyse each once, write what each says to its graph, then resolve.

Unchanged articles (same id, same content hash) are skipped before any NLP,
so a re-run of the same input changes nothing and costs little. The input is
read in full first, so that of two articles with one id only the later one is
built. Each article is written in one transaction: a build that is
interrupted leaves every article fully in the store or absent, and raises
:class:`BuildInterrupted`; running it again completes it. When the articles
are written, resolution (:mod:`kg.canonical`) makes the canonical layer follow
them, in one more transaction that writes only what changed.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from kg.canonical import resolve_store
from kg.claims import article_record
from kg.errors import KgError
from kg.extraction import analysed_text
from kg.iris import content_hash
from kg.nlp import load_pipeline
from kg.rdf import article_quads
from kg.reading import Article, ReadProblem, read_articles
from kg.store import GraphStore

BATCH_SIZE = 64


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


def _changed_articles(items: Iterable[Article | ReadProblem], store: GraphStore, report: BuildReport,
                      on_problem: Callable[[ReadProblem], None]) -> Iterator[tuple[str, tuple[Article, str, bool]]]:
    """Articles whose content differs from the store's, as (text, (article, hash, existed)) for nlp.pipe."""
    for item in items:
        if isinstance(item, ReadProblem):
            report.problems.append(item)
            on_problem(item)
            continue
        digest = content_hash(_fingerprint(item))
        stored = store.article_hash(item.id)
        if stored == digest:
            report.unchanged += 1
            continue
        yield analysed_text(item), (item, digest, stored is not None)


def _last_of_each_id(paths: Sequence[Path | str], columns: dict[str, str] | None) -> Iterator[Article | ReadProblem]:
    """Every item read, less any article that a later one with the same id replaces.

    Without this, the earlier article would be written and then overwritten, and a
    re-run would find it changed (the store holds the later one) and write it back.
    The input is read twice (ids only the first time), so memory does not grow with
    the corpus: reading costs little beside the language processing.
    """
    last: dict[str, int] = {}
    articles = (item for item in read_articles(paths, columns=columns) if isinstance(item, Article))
    for n, article in enumerate(articles):
        last[article.id] = n
    n = -1
    for item in read_articles(paths, columns=columns):
        if isinstance(item, Article):
            n += 1
            if last.get(item.id) != n:
                continue
        yield item


def _fingerprint(article: Article) -> str:
    """Everything about an article that the graph depends on, as one string."""
    return "\x1f".join(str(v or "") for v in (article.id, article.title, article.published, article.source,
                                              article.url, article.text))


def build(paths: Sequence[Path | str], *, store: GraphStore, columns: dict[str, str] | None = None,
          progress: bool | None = None, on_problem: Callable[[ReadProblem], None] | None = None) -> BuildReport:
    """Read every article under ``paths`` and write each one's graph to ``store``.

    Args:
        paths: files and folders to read (see ``kg.reading``).
        store: the store to write to.
        columns: CSV column mapping for layouts other than FA-KES.
        progress: show a progress bar on stderr; default: when stderr is a terminal.
        on_problem: called with each input problem as it is met (default: ignore; all are in the report).

    Raises:
        BuildInterrupted: on KeyboardInterrupt; every article is then fully in the store or absent.
    """
    report = BuildReport()
    try:
        return _build(paths, store, columns, progress, on_problem or (lambda problem: None), report)
    except KeyboardInterrupt:
        try:
            resolve_store(store)  # the canonical layer follows the articles written so far
        except KeyboardInterrupt:
            pass  # left as it was; the next build resolves it again
        raise BuildInterrupted(f"interrupted after writing {report.added + report.replaced} article(s), each "
                               f"complete; run the same build again to finish it") from None


def _build(paths: Sequence[Path | str], store: GraphStore, columns: dict[str, str] | None, progress: bool | None,
           on_problem: Callable[[ReadProblem], None], report: BuildReport) -> BuildReport:
    show = sys.stderr.isatty() if progress is None else progress
    nlp = load_pipeline()
    items = _last_of_each_id(paths, columns)
    pending = _changed_articles(items, store, report, on_problem)
    bar = tqdm(desc="articles", unit=" art", disable=not show, file=sys.stderr, smoothing=0.1)
    try:
        for doc, (article, digest, existed) in nlp.pipe(pending, as_tuples=True, batch_size=BATCH_SIZE):
            try:
                record = article_record(article, doc, digest)
            except Exception as err:  # one article's failure never costs the others
                problem = ReadProblem(article.origin or article.id, f"not built: {type(err).__name__}: {err}")
                report.problems.append(problem)
                on_problem(problem)
                continue
            graph, own, shared = article_quads(record)
            store.replace_graph(graph, own, shared)
            if existed:
                report.replaced += 1
            else:
                report.added += 1
            bar.update(1)
    finally:
        bar.close()
    report.resolved = resolve_store(store)
    return report

"""The build: read articles, analyse each once, write what each says to its graph, then resolve.

Unchanged articles (same id, same content hash) are skipped before any NLP,
so a re-run of the same input changes nothing and costs little. The input is
read in full first, so that of two articles with one id only the later one is
built. Each article is written in one transaction: a build that is
interrupted leaves every article fully in the store or absent, and raises
:class:`BuildInterrupted`; running it again completes it. When the articles
are written, resolution (:mod:`kg.canonical`) makes the canonical layer follow
them, in one more transaction that writes only what changed.

One article's failure costs only that article: an unexpected error while it is
read, cleaned, parsed (a spaCy batch that fails is parsed again one text at a
time, so only the bad text fails), extracted or written becomes one
:class:`ReadProblem` naming it and the stage, and the build goes on.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from tqdm import tqdm

from kg.canonical import resolve_store
from kg.claims import article_record
from kg.errors import KgError, StoreError
from kg.extraction import analysed_text
from kg.iris import content_hash
from kg.limits import MAX_CHARS, MAX_TITLE_CHARS
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


Pending = tuple[Article, str, bool]  # an article to build, its content hash, whether the store holds it already


def _changed_articles(items: Iterable[Article | ReadProblem], store: GraphStore,
                      problem: Callable[[ReadProblem], None], report: BuildReport) -> Iterator[tuple[str, Pending]]:
    """Articles whose content differs from the store's, as (text to parse, (article, hash, existed))."""
    for item in items:
        if isinstance(item, ReadProblem):
            problem(item)
            continue
        try:
            digest = content_hash(_fingerprint(item))
            stored = store.article_hash(item.id)
            text = analysed_text(item)
        except Exception as exc:  # one article's failure never costs the others
            problem(ReadProblem.failed(item.origin or item.id, "reading", exc))
            continue
        if stored == digest:
            report.unchanged += 1
            continue
        yield text, (item, digest, stored is not None)


def _batches(items: Iterable[tuple[str, Pending]], size: int) -> Iterator[list[tuple[str, Pending]]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _parsed(nlp: Language, batch: list[tuple[str, Pending]]) -> Iterator[tuple[Pending, Doc | Exception]]:
    """Each text of ``batch`` parsed, or the error it raised.

    A batch is parsed as one; if that fails, each text is parsed again on its own, so that only the bad one fails.
    """
    try:
        docs = list(nlp.pipe([text for text, _ in batch], batch_size=len(batch)))
    except Exception:
        for text, pending in batch:
            try:
                yield pending, nlp(text)
            except Exception as exc:
                yield pending, exc
        return
    yield from zip((pending for _, pending in batch), docs)


def _last_of_each_id(paths: Sequence[Path | str], columns: dict[str, str] | None,
                     max_chars: int) -> Iterator[Article | ReadProblem]:
    """Every item read, less any article that a later one with the same id replaces.

    Without this, the earlier article would be written and then overwritten, and a
    re-run would find it changed (the store holds the later one) and write it back.
    The input is read twice (ids only the first time), so memory does not grow with
    the corpus: reading costs little beside the language processing.
    """
    last: dict[str, int] = {}
    articles = (item for item in read_articles(paths, columns=columns, max_chars=max_chars)
                if isinstance(item, Article))
    for n, article in enumerate(articles):
        last[article.id] = n
    n = -1
    for item in read_articles(paths, columns=columns, max_chars=max_chars):
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
          max_chars: int = MAX_CHARS, progress: bool | None = None,
          on_problem: Callable[[ReadProblem], None] | None = None) -> BuildReport:
    """Read every article under ``paths`` and write each one's graph to ``store``.

    Args:
        paths: files and folders to read (see ``kg.reading``).
        store: the store to write to.
        columns: CSV column mapping for layouts other than FA-KES.
        max_chars: the longest article text; a longer one is cut at the end of a sentence, with a warning.
        progress: show a progress bar on stderr; default: when stderr is a terminal.
        on_problem: called with each input problem as it is met (default: ignore; all are in the report).

    Raises:
        BuildInterrupted: on KeyboardInterrupt; every article is then fully in the store or absent.
        StoreError: the store cannot be written.
    """
    report = BuildReport()
    seen = on_problem or (lambda problem: None)

    def problem(item: ReadProblem) -> None:
        report.problems.append(item)
        seen(item)

    try:
        return _build(paths, store, columns, max_chars, progress, problem, report)
    except KeyboardInterrupt:
        try:
            resolve_store(store)  # the canonical layer follows the articles written so far
        except KeyboardInterrupt:
            pass  # left as it was; the next build resolves it again
        raise BuildInterrupted(f"interrupted after writing {report.added + report.replaced} article(s), each "
                               f"complete; run the same build again to finish it") from None


def _build(paths: Sequence[Path | str], store: GraphStore, columns: dict[str, str] | None, max_chars: int,
           progress: bool | None, problem: Callable[[ReadProblem], None], report: BuildReport) -> BuildReport:
    show = sys.stderr.isatty() if progress is None else progress
    nlp = load_pipeline()
    nlp.max_length = max(nlp.max_length, max_chars + MAX_TITLE_CHARS + 2)  # the title, a blank line, the text
    items = _last_of_each_id(paths, columns, max_chars)
    pending = _changed_articles(items, store, problem, report)
    bar = tqdm(desc="articles", unit=" art", disable=not show, file=sys.stderr, smoothing=0.1)
    try:
        for batch in _batches(pending, BATCH_SIZE):
            for (article, digest, existed), doc in _parsed(nlp, batch):
                if not _write(article, doc, digest, store, problem):
                    continue
                if existed:
                    report.replaced += 1
                else:
                    report.added += 1
                bar.update(1)
    finally:
        bar.close()
    report.resolved = resolve_store(store)
    return report


def _write(article: Article, doc: Doc | Exception, digest: str, store: GraphStore,
           problem: Callable[[ReadProblem], None]) -> bool:
    """Extract what ``doc`` says and write it as the article's graph, in one transaction; False if it failed."""
    origin = article.origin or article.id
    if isinstance(doc, Exception):
        problem(ReadProblem.failed(origin, "nlp", doc))
        return False
    try:
        record = article_record(article, doc, digest)
    except Exception as exc:  # one article's failure never costs the others
        problem(ReadProblem.failed(origin, "extraction", exc))
        return False
    try:
        store.replace_graph(*article_quads(record))
    except StoreError:
        raise  # the store cannot be written: no article can be
    except Exception as exc:
        problem(ReadProblem.failed(origin, "writing", exc))
        return False
    return True

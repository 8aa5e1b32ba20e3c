"""Parse and extract, wherever it runs: a batch of articles in, one record (or one problem) per article out.

The build runs this in its own process, in worker processes (:mod:`kg.workers`) or on Dask workers
(:mod:`kg.dask_build`); what goes in (:class:`Task`) and what comes out (an
:class:`~kg.claims.ArticleRecord` or a :class:`~kg.reading.ReadProblem`) are picklable frozen records, and
nothing here touches the store. spaCy is imported, and the pipeline loaded, only at the first analysis, so a
build with nothing to do never pays for it.

One article's failure costs only that article: a batch that fails to parse is parsed again one text at a
time, so that only the bad text fails.

>>> from kg.reading import Article
>>> task = Task(Article(id="a1", text="Hello."), digest="00", existed=False)
>>> task.origin, analysed_batch([], max_chars=10)
('a1', [])
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.claims import ArticleRecord, article_record
from kg.limits import MAX_TITLE_CHARS
from kg.reading import Article, ReadProblem

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

Outcome = ArticleRecord | ReadProblem
"""What analysing one article gives: its record, or the problem that stopped it."""


class WorkerDied(Exception):
    """The process analysing an article died before it answered (the article is then a problem of its own)."""


@dataclass(frozen=True)
class Task:
    """One article to analyse, with its content hash and whether the store holds an older version of it."""

    article: Article
    digest: str
    existed: bool

    @property
    def origin(self) -> str:
        """Where the article came from (``path`` or ``path:line``), as problems name it."""
        return self.article.origin or self.article.id


def pipeline(max_chars: int) -> Language:
    """This process's pipeline (loaded at the first call), able to parse a title and a text of ``max_chars``."""
    from kg.nlp import load_pipeline  # spaCy: only when there is something to parse

    nlp = load_pipeline()
    nlp.max_length = max(nlp.max_length, max_chars + MAX_TITLE_CHARS + 2)  # the title, a blank line, the text
    return nlp


def analysed_batch(tasks: Sequence[Task], *, max_chars: int) -> list[Outcome]:
    """:func:`analysed` with this process's pipeline: what a worker runs for each batch it is given."""
    return analysed(pipeline(max_chars), tasks) if tasks else []


def analysed(nlp: Language, tasks: Sequence[Task]) -> list[Outcome]:
    """Each task's article parsed with ``nlp`` and read into its record, or the problem met, in task order."""
    from kg.extraction.article import analysed_text  # the extraction stages read the parse: they import spaCy

    outcomes: list[Outcome | None] = [None] * len(tasks)
    texts: list[tuple[int, str]] = []
    for n, task in enumerate(tasks):
        try:
            texts.append((n, analysed_text(task.article)))
        except Exception as exc:  # one article's failure never costs the others
            outcomes[n] = ReadProblem.failed(task.origin, "reading", exc)
    for (n, _), doc in zip(texts, _parsed(nlp, [text for _, text in texts])):
        outcomes[n] = _record(tasks[n], doc)
    return [outcome for outcome in outcomes if outcome is not None]


def _parsed(nlp: Language, texts: list[str]) -> Iterator[Doc | Exception]:
    """Each text parsed, or the error it raised: a batch that fails is parsed again one text at a time."""
    try:
        docs = list(nlp.pipe(texts, batch_size=max(1, len(texts))))
    except Exception:
        for text in texts:
            try:
                yield nlp(text)
            except Exception as exc:
                yield exc
        return
    yield from docs


def _record(task: Task, doc: Doc | Exception) -> Outcome:
    """What the parsed article says, or the problem of the stage that failed."""
    if isinstance(doc, Exception):
        return ReadProblem.failed(task.origin, "nlp", doc)
    try:
        return article_record(task.article, doc, task.digest)
    except Exception as exc:  # one article's failure never costs the others
        return ReadProblem.failed(task.origin, "extraction", exc)

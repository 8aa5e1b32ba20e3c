"""Files, folders, CSV, JSONL and HTML -> Article records.

(Interface only for now: the reading helper fills it in.)
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Article:
    """One article as read: its cleaned body text and its metadata.

    ``text`` is the article's own text with page furniture removed; every
    character offset the graph records points into it.
    """

    id: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None
    origin: str = ""  # where it was read from: "path" or "path:line"


@dataclass(frozen=True)
class ReadProblem:
    """Something in the input that was skipped or read with a warning.

    ``skipped`` is True when no article came of it.
    """

    origin: str  # "path" or "path:line"
    message: str
    skipped: bool = True

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


def read_articles(paths: Sequence[Path | str], *, columns: dict[str, str] | None = None) -> Iterator[Article | ReadProblem]:
    """Yield every article found under ``paths``, and a ReadProblem for whatever is skipped."""
    raise NotImplementedError

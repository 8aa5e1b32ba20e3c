"""The records reading yields (Article, ReadProblem), and how one article is made from a text and its metadata."""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kg import errors
from kg.furniture import clean_text, clean_title, cut_at_sentence, parse_date
from kg.limits import MAX_CHARS, MAX_ID_CHARS, MAX_TITLE_CHARS, RAW_CHARS_PER_CHAR, valid_unicode

FIELDS = ("id", "text", "title", "published", "source", "url")


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
    written: dt.date | None = None  # the date the text gives at its head ("31 Oct 2017 At least seven ..."), if any
    input_digest: str = ""  # of the record it was made from, before cleaning (see input_digest); "" if not read

    @property
    def reference_date(self) -> dt.date | None:
        """The date the text's "on Tuesday" and "last week" are read against: when it was published, or the date
        the text itself gives when that is later (no article tells of days after it came out, so then the
        metadata is wrong).

        >>> Article("a", "", published=dt.date(2017, 10, 16), written=dt.date(2017, 10, 31)).reference_date
        datetime.date(2017, 10, 31)
        >>> Article("a", "", published=dt.date(2017, 11, 2), written=dt.date(2017, 11, 1)).reference_date
        datetime.date(2017, 11, 2)
        """
        if self.written is not None and (self.published is None or self.written > self.published):
            return self.written
        return self.published


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

    @classmethod
    def failed(cls, origin: str, stage: str, exc: BaseException) -> ReadProblem:
        """An input skipped because ``stage`` (reading, cleaning, nlp, extraction, writing) raised ``exc``.

        >>> print(ReadProblem.failed("a.txt:3", "nlp", ValueError("[E088] Text of length 1200000 exceeds...")))
        a.txt:3: not built, nlp failed: ValueError: [E088] Text of length 1200000 exceeds...
        """
        message = one_line(exc)
        if len(message) > 300:
            message = message[:300] + "..."
        return cls(origin, valid_unicode(f"not built, {stage} failed: {type(exc).__name__}: {message}"))


@dataclass(frozen=True)
class Unchanged:
    """A record the caller already holds as an article read from this very input (``ReadOptions.known`` said
    so): not cleaned again."""

    id: str
    origin: str


Item = Article | ReadProblem | Unchanged


@dataclass(frozen=True)
class ReadOptions:
    """How to read: the CSV column mapping, the longest text an article may have, and (if given) which inputs
    are known: ``known(id, digest)`` is True when the caller holds the article of that id read from a record
    of that :func:`input_digest`, which is then yielded as :class:`Unchanged` instead of cleaned again."""

    columns: dict[str, str] | None = None
    max_chars: int = MAX_CHARS
    known: Callable[[str, str], bool] | None = None


@dataclass(frozen=True)
class FileMeta:
    """One row of a metadata.csv: what it says about one file's article."""

    origin: str
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None


def one_line(exc: BaseException | str) -> str:
    """An error message on one line; of an OS error, only its reason (the message names the file already)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return errors.one_line(exc)


def isolated(items: Iterator[Item], origin: str, stage: str) -> Iterator[Item]:
    """``items``, until one raises an unexpected error: that becomes one problem naming ``origin`` and ``stage``."""
    try:
        yield from items
    except Exception as exc:  # one input's failure never costs the others
        yield ReadProblem.failed(origin, stage, exc)


def input_digest(key: str, text: str, max_chars: int, *, title: str | None = None,
                 published: dt.date | None = None, source: str | None = None, url: str | None = None) -> str:
    """A digest of everything an article is made from, before cleaning: its text and metadata as the input
    gives them, and, for a text longer than ``max_chars``, that limit (cleaning never lengthens a text, so a
    shorter one is never cut). The same digest, read by the same code, makes the same article.

    >>> input_digest("a1", "Raids.", 200) == input_digest("a1", "Raids.", 100) != input_digest("a1", "Raids.", 5)
    True
    >>> input_digest("a1", "Raids.", 200, title="x") != input_digest("a1", "Raids.", 200, source="x")
    True
    """
    limit = str(max_chars) if len(text) > max_chars else None
    fields = (key, text, limit, title, published.isoformat() if published else None, source, url)
    joined = "\x1f".join("\x1e" if value is None else value for value in fields)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()  # lone surrogates were replaced before


def make_article(key: str, text: str, origin: str, options: ReadOptions, *, title: str | None = None,
                 published: dt.date | None = None, source: str | None = None,
                 url: str | None = None) -> Iterator[Item]:
    """Clean ``text`` and build the Article (and warnings); metadata given here wins over what the text says.

    A record ``options.known`` holds is :class:`Unchanged` instead, once the warnings about its fields are
    given, unless its text is longer than ``max_chars`` (cleaned again, to say it is cut)."""
    fields = {"id": key, "text": text, "title": title, "source": source, "url": url}
    bad = [name for name, value in fields.items() if value and valid_unicode(value) != value]
    if bad:
        yield ReadProblem(origin, f"lone surrogates (not Unicode text) in {', '.join(bad)}: replaced with U+FFFD",
                          skipped=False)
        key, text = valid_unicode(key), valid_unicode(text)
        title, source, url = (valid_unicode(v) if v else v for v in (title, source, url))
    if title and len(title) > MAX_TITLE_CHARS:
        yield ReadProblem(origin, f"a title of {len(title)} characters is no headline (at most {MAX_TITLE_CHARS}); "
                                  f"ignored", skipped=False)
        title = None
    limit = options.max_chars
    digest = input_digest(key, text, limit, title=title, published=published, source=source, url=url)
    if options.known is not None and len(text) <= limit and options.known(key, digest):
        yield Unchanged(key, origin)
        return
    try:
        cleaned = clean_text(cut_at_sentence(text, RAW_CHARS_PER_CHAR * limit), title=title, source=source)
    except Exception as exc:  # one text's failure never costs the others
        yield ReadProblem.failed(origin, "cleaning", exc)
        return
    body = cleaned.text
    if not body:
        yield ReadProblem(origin, "no article text left after removing page furniture")
        return
    if len(body) > limit or len(text) > RAW_CHARS_PER_CHAR * limit:
        body = cut_at_sentence(body, limit)
        yield ReadProblem(origin, f"text longer than {limit} characters (--max-chars): cut to {len(body)} at the "
                                  f"end of a sentence", skipped=False)
    yield Article(id=key, text=body, title=clean_title(title) or cleaned.title,
                  published=published or cleaned.published, source=(source or "").strip() or None,
                  url=(url or "").strip() or None, origin=origin, written=cleaned.published, input_digest=digest)


def record_article(values: Mapping[str, Any], origin: str, options: ReadOptions, *,
                   date_order: str | None = None) -> Iterator[Item]:
    """An Article from one record's fields (strings or None), or the problem with it."""
    key = str(values.get("id") or "").strip()
    if not key:
        yield ReadProblem(origin, "record has no id")
        return
    if len(key) > MAX_ID_CHARS:
        yield ReadProblem(origin, f"record id of {len(key)} characters (at most {MAX_ID_CHARS})")
        return
    text = values.get("text") or ""
    if not text.strip():
        yield ReadProblem(origin, f"record {key!r} has no text")
        return
    published = None
    raw_date = str(values.get("published") or "").strip()
    if raw_date:
        published = parse_date(raw_date, order=date_order)
        if published is None:
            yield ReadProblem(origin, f"record {key!r}: bad date {raw_date[:80]!r} (expected e.g. YYYY-MM-DD); "
                                      f"using the date in the text, if any", skipped=False)
    yield from make_article(key, text, origin, options, title=values.get("title"), published=published,
                            source=values.get("source"), url=values.get("url"))

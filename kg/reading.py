"""Files, folders, CSV, JSONL and HTML -> Article records.

:func:`read_articles` reads every input it is given and yields an
:class:`Article` for each article found and a :class:`ReadProblem` for
whatever was skipped or read with a warning; bad input never raises.

Inputs:

- ``.txt`` / ``.md``: one article; id = file name without extension; the
  title is the headline at its top, if it starts with one.
- ``.html`` / ``.htm``: one article; main text extracted by trafilatura,
  title and date from the page's metadata.
- ``.json`` (one record or a list of records; read whole) and ``.jsonl``
  (one record per line; streamed): records with ``id`` and ``text`` and
  optional ``title``, ``published``, ``source``, ``url``.
- ``.csv``: the FA-KES layout (``unit_id, article_title, article_content,
  source, date`` with M/D/YYYY dates), columns named like our fields
  (``id, text, ...``), or any layout mapped by ``columns`` (field -> column).
- a folder: the files above, recursively in sorted order; hidden files and
  other extensions are ignored. A ``metadata.csv`` (``id, published, source,
  title, url``) gives metadata for the .txt/.md/.html files of its folder and
  the folders below (only when the folder is read, not a file on its own);
  an empty or bad field falls back to what the text gives.

CSV files are streamed (records may span lines); a numeric date in FA-KES is
read month first, elsewhere only when day and month cannot be swapped.

Every text goes through :func:`kg.furniture.clean_text`, which removes page
furniture and finds a dateline. The publication date comes from metadata
first, then from the text's dateline, else it is None.

Problems have origin ``path`` or ``path:line`` (CSV, JSONL, metadata.csv) or
``path[i]`` (the i-th record of a JSON list).

Hostile input costs only itself (see :mod:`kg.limits`): only regular files are
read (a FIFO or device is refused unopened); a text longer than ``max_chars``
is cut at the end of a sentence, with a warning; JSON nested deeper than
``MAX_JSON_DEPTH`` is refused; lone surrogates and file names that are not
UTF-8 become U+FFFD, with a warning; an unexpected error while reading or
cleaning one file or record skips only it, naming the stage. A repeated id is not an error:
the builder stores articles by id, so the later article replaces the earlier
one, and a warning (``skipped=False``) naming both origins comes just before
the later article.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from kg.errors import InputError
from kg.furniture import clean_text, clean_title, cut_at_sentence, parse_date
from kg.limits import (FILE_BYTES_PER_CHAR, MAX_CHARS, MAX_ID_CHARS, MAX_JSON_DEPTH, MAX_TITLE_CHARS,
                       RAW_CHARS_PER_CHAR, display_path, file_id, json_depth, open_regular, valid_unicode)

__all__ = ["Article", "ReadProblem", "read_articles", "FIELDS", "SUFFIXES"]

FIELDS = ("id", "text", "title", "published", "source", "url")
SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".csv")
METADATA_NAME = "metadata.csv"
METADATA_COLUMNS = ("id", "published", "source", "title", "url")
FAKES_COLUMNS = {"id": "unit_id", "title": "article_title", "text": "article_content", "source": "source",
                 "published": "date"}
_TEXT_SUFFIXES = (".txt", ".md")
_HTML_SUFFIXES = (".html", ".htm")
_SNIFF = 8192


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

    @classmethod
    def failed(cls, origin: str, stage: str, exc: BaseException) -> ReadProblem:
        """An input skipped because ``stage`` (reading, cleaning, nlp, extraction, writing) raised ``exc``.

        >>> print(ReadProblem.failed("a.txt:3", "nlp", ValueError("[E088] Text of length 1200000 exceeds...")))
        a.txt:3: not built, nlp failed: ValueError: [E088] Text of length 1200000 exceeds...
        """
        message = _one_line(exc)
        if len(message) > 300:
            message = message[:300] + "..."
        return cls(origin, valid_unicode(f"not built, {stage} failed: {type(exc).__name__}: {message}"))


Item = Article | ReadProblem


@dataclass(frozen=True)
class _Options:
    """How to read: the CSV column mapping, and the longest text an article may have."""

    columns: dict[str, str] | None = None
    max_chars: int = MAX_CHARS


def read_articles(paths: Sequence[Path | str], *, columns: dict[str, str] | None = None,
                  max_chars: int = MAX_CHARS) -> Iterator[Item]:
    """Yield every article found under ``paths``, and a ReadProblem for whatever is skipped.

    Args:
        paths: files and folders (a single path is accepted too).
        columns: for CSV files, our field name -> CSV column name, e.g.
            ``{"id": "doc", "text": "body"}``; fields not given default to
            columns of the same name.
        max_chars: the longest article text; a longer one is cut at the end of a sentence, with a warning.

    Raises:
        InputError: if ``columns`` names a field we do not have, or ``max_chars`` is not positive (checked at once).

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a1.txt").write_text("Raids kill 95 in Raqa\\nWed Nov 26 2014\\n"
    ...                                    "Air strikes killed 95 people, a monitor said.\\nAFP\\n")
    >>> article, problem = read_articles([folder, folder / "nope.txt"])
    >>> article.id, article.title, article.published
    ('a1', 'Raids kill 95 in Raqa', datetime.date(2014, 11, 26))
    >>> print(article.text)
    Raids kill 95 in Raqa
    Air strikes killed 95 people, a monitor said.
    >>> problem.message, problem.skipped
    ('no such file or folder', True)
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if max_chars < 1:
        raise InputError(f"max_chars must be a positive number of characters, got {max_chars}")
    return _warn_duplicates(_read_all(list(paths), _Options(_check_columns(columns), max_chars)))


def _check_columns(columns: Mapping[str, str] | None) -> dict[str, str] | None:
    if not columns:
        return None
    unknown = sorted(set(columns) - set(FIELDS))
    if unknown:
        raise InputError(f"unknown field(s) in columns: {', '.join(unknown)}; valid fields: {', '.join(FIELDS)}")
    empty = sorted(field for field, column in columns.items() if not str(column).strip())
    if empty:
        raise InputError(f"no CSV column given for field(s): {', '.join(empty)}")
    return {field: str(column).strip() for field, column in columns.items()}


def _warn_duplicates(items: Iterable[Item]) -> Iterator[Item]:
    seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, Article):
            if item.id in seen:
                yield ReadProblem(item.origin, f"duplicate id {item.id!r}: this article replaces the one read "
                                               f"from {seen[item.id]}", skipped=False)
            seen[item.id] = item.origin
        yield item


def _one_line(exc: BaseException | str) -> str:
    """An error message on one line."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return " ".join(str(exc).split()) or type(exc).__name__


def _read_all(paths: list[Path | str], options: _Options) -> Iterator[Item]:
    for raw in paths:
        path = Path(raw)
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
            yield ReadProblem(display_path(path), f"cannot read: {_one_line(exc)}")
            continue
        if is_dir:
            yield from _read_folder(path, options)
        elif not exists:
            yield ReadProblem(display_path(path), "no such file or folder")
        elif path.name.lower() == METADATA_NAME:
            yield ReadProblem(display_path(path), "metadata.csv holds metadata for the files in its folder, not "
                                                  "articles; give the folder instead")
        else:
            yield from _read_file(path, options, None)


# --------------------------------------------------------------------------- folders and metadata.csv


@dataclass(frozen=True)
class _Meta:
    """One row of a metadata.csv: what it says about one file's article."""

    origin: str
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None


def _walk(root: Path, errors: list[OSError]) -> list[Path]:
    """Files under ``root`` with a supported extension, hidden ones left out, in sorted order."""
    found = []
    for folder, dirs, files in os.walk(root, onerror=errors.append):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(folder, name) for name in files
                     if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES)
    return sorted(found, key=lambda p: p.relative_to(root).parts)


class _FolderMetadata:
    """The metadata.csv files of a folder tree, read when first needed; a file uses the nearest one."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tables: dict[Path, dict[str, _Meta]] = {}
        self.used: set[tuple[Path, str]] = set()

    def lookup(self, path: Path) -> tuple[_Meta | None, list[ReadProblem]]:
        problems: list[ReadProblem] = []
        folder = path.parent
        while True:
            if folder not in self.tables:
                self.tables[folder] = _load_metadata(folder / METADATA_NAME, problems)
            meta = self.tables[folder].get(path.stem)
            if meta is not None:
                self.used.add((folder, path.stem))
                return meta, problems
            if folder == self.root or folder.parent == folder:
                return None, problems
            folder = folder.parent

    def unused(self) -> Iterator[ReadProblem]:
        for folder, table in self.tables.items():
            for key, meta in table.items():
                if (folder, key) not in self.used:
                    yield ReadProblem(meta.origin, f"metadata for id {key!r} but no such .txt, .md or .html file",
                                      skipped=False)


def _load_metadata(path: Path, problems: list[ReadProblem]) -> dict[str, _Meta]:
    """The rows of one metadata.csv by id (empty if there is none); problems are appended to ``problems``."""
    if not path.is_file():
        return {}
    origin = display_path(path)
    text = _read_whole_text(path, problems)
    if text is None:
        return {}
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except (StopIteration, csv.Error) as exc:
        problems.append(ReadProblem(origin, f"cannot read the header: {_one_line(exc or 'no lines')}"))
        return {}
    if "id" not in header:
        problems.append(ReadProblem(origin, f"no 'id' column, metadata ignored; expected columns: "
                                            f"{', '.join(METADATA_COLUMNS)}"))
        return {}
    unknown = [name for name in header if name not in METADATA_COLUMNS]
    if unknown:
        problems.append(ReadProblem(origin, f"unknown column(s) ignored: {', '.join(unknown)}; expected columns: "
                                            f"{', '.join(METADATA_COLUMNS)}", skipped=False))
    table: dict[str, _Meta] = {}
    while True:
        where = f"{origin}:{reader.line_num + 1}"
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(ReadProblem(where, f"malformed CSV row, ignored: {_one_line(exc)}", skipped=False))
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(ReadProblem(where, f"expected {len(header)} fields as in the header, found {len(row)}; "
                                               f"row ignored", skipped=False))
            continue
        values = {name: cell.strip() for name, cell in zip(header, row)}
        key = values["id"]
        if not key:
            problems.append(ReadProblem(where, "row has no id; ignored", skipped=False))
            continue
        published = None
        if values.get("published"):
            published = parse_date(values["published"])
            if published is None:
                problems.append(ReadProblem(where, f"bad published date {values['published'][:80]!r} for {key!r} "
                                                   f"(expected YYYY-MM-DD); using the date in the text, if any",
                                            skipped=False))
        if key in table:
            problems.append(ReadProblem(where, f"id {key!r} appears again; this row replaces the one at "
                                               f"{table[key].origin}", skipped=False))
        table[key] = _Meta(where, values.get("title") or None, published, values.get("source") or None,
                           values.get("url") or None)
    return table


def _read_folder(root: Path, options: _Options) -> Iterator[Item]:
    errors: list[OSError] = []
    files = [p for p in _walk(root, errors) if p.name.lower() != METADATA_NAME]
    for error in errors:
        yield ReadProblem(display_path(error.filename or root), f"cannot read folder: {_one_line(error)}")
    if not files and not errors:
        yield ReadProblem(display_path(root), f"no article files in folder (looked for {', '.join(SUFFIXES)})")
    metadata = _FolderMetadata(root)
    for path in files:
        yield from _isolated(_read_in_folder(path, metadata, options), display_path(path), "reading")
    yield from metadata.unused()


def _read_in_folder(path: Path, metadata: _FolderMetadata, options: _Options) -> Iterator[Item]:
    meta = None
    if path.suffix.lower() in _TEXT_SUFFIXES + _HTML_SUFFIXES:
        meta, problems = metadata.lookup(path)
        yield from problems
    yield from _read_file(path, options, meta)


# --------------------------------------------------------------------------- bytes and text


def _check_bytes(data: bytes, origin: str) -> ReadProblem | None:
    if not data.strip():
        return ReadProblem(origin, "empty file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if b"\0" in data[:_SNIFF]:
        return ReadProblem(origin, "binary file (it contains NUL bytes), not text")
    return None


def _decode(data: bytes, origin: str) -> tuple[str, ReadProblem | None]:
    """Text of a whole file: UTF-8 (or UTF-16 with a BOM); invalid bytes become U+FFFD, with a warning."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return data.decode("utf-8-sig", errors="replace"), ReadProblem(
            origin, f"not valid UTF-8 (first bad byte on line {line}); undecodable bytes replaced with U+FFFD",
            skipped=False)


def _read_whole_bytes(path: Path, problems: list[ReadProblem], limit: int | None = None) -> bytes | None:
    """The bytes of a regular file (its first ``limit``, cut at a line break, with a warning), or None."""
    origin = display_path(path)
    try:
        with open_regular(path) as stream:
            data = stream.read(-1 if limit is None else limit + 1)
    except OSError as exc:
        problems.append(ReadProblem(origin, f"cannot read: {_one_line(exc)}"))
        return None
    if limit is not None and len(data) > limit:
        data = data[:data.rfind(b"\n", 0, limit) + 1 or limit]
        problems.append(ReadProblem(origin, f"larger than {limit} bytes ({FILE_BYTES_PER_CHAR} x --max-chars); "
                                            f"only the first {len(data)} read", skipped=False))
    problem = _check_bytes(data, origin)
    if problem:
        problems.append(problem)
        return None
    return data


def _read_whole_text(path: Path, problems: list[ReadProblem], limit: int | None = None) -> str | None:
    data = _read_whole_bytes(path, problems, limit)
    if data is None:
        return None
    text, warning = _decode(data, display_path(path))
    if warning:
        problems.append(warning)
    return text


class _Lines:
    """The decoded lines of a binary file, streamed; remembers line numbers and the first invalid UTF-8."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.number = 0
        self.first_content: int | None = None  # first non-blank line since the last mark()
        self.bad_line: int | None = None
        self.reported = False

    def mark(self) -> None:
        self.first_content = None

    def __iter__(self) -> Iterator[str]:
        for raw in self.stream:
            self.number += 1
            if self.number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = raw.decode("utf-8", errors="replace")
                if self.bad_line is None:
                    self.bad_line = self.number
            if self.first_content is None and line.strip():
                self.first_content = self.number
            yield line

    def utf8_warning(self, origin: str) -> ReadProblem | None:
        if self.bad_line is None or self.reported:
            return None
        self.reported = True
        return ReadProblem(f"{origin}:{self.bad_line}", "not valid UTF-8 (this line and maybe later ones); "
                                                        "undecodable bytes replaced with U+FFFD", skipped=False)


def _open_stream(path: Path) -> tuple[BinaryIO | None, ReadProblem | None]:
    """Open a file to stream it, after checking that it is neither empty nor binary."""
    origin = display_path(path)
    try:
        stream = open_regular(path)
    except OSError as exc:
        return None, ReadProblem(origin, f"cannot read: {_one_line(exc)}")
    head = stream.read(_SNIFF)
    if len(head) < _SNIFF:  # the whole file
        problem = _check_bytes(head, origin)
    else:
        problem = ReadProblem(origin, "binary file (it contains NUL bytes), not text") if b"\0" in head else None
    if problem is None and head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problem = ReadProblem(origin, "UTF-16 text; save it as UTF-8 to read it")
    if problem:
        stream.close()
        return None, problem
    stream.seek(0)
    return stream, None


# --------------------------------------------------------------------------- one file


def _read_file(path: Path, options: _Options, meta: _Meta | None) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if suffix in _TEXT_SUFFIXES:
        items = _read_text(path, meta, options)
    elif suffix in _HTML_SUFFIXES:
        items = _read_html(path, meta, options)
    elif suffix == ".jsonl":
        items = _read_jsonl(path, options)
    elif suffix == ".json":
        items = _read_json(path, options)
    elif suffix == ".csv":
        items = _read_csv(path, options)
    else:
        yield ReadProblem(display_path(path), f"unsupported file type {valid_unicode(suffix) or '(no extension)'!r}; "
                                              f"expected one of {', '.join(SUFFIXES)} or a folder")
        return
    yield from _isolated(items, display_path(path), "reading")


def _isolated(items: Iterator[Item], origin: str, stage: str) -> Iterator[Item]:
    """``items``, until one raises an unexpected error: that becomes one problem naming ``origin`` and ``stage``."""
    try:
        yield from items
    except Exception as exc:  # one input's failure never costs the others
        yield ReadProblem.failed(origin, stage, exc)


def _make_article(key: str, text: str, origin: str, options: _Options, *, title: str | None = None,
                  published: dt.date | None = None, source: str | None = None,
                  url: str | None = None) -> Iterator[Item]:
    """Clean ``text`` and build the Article (and warnings); metadata given here wins over what the text says."""
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
                  url=(url or "").strip() or None, origin=origin)


# Bounded lengths (a link's text, its address, an emphasised phrase), so that an opening mark that is never
# closed costs a bounded scan, not one to the end of the text: quadratic time on "[[[[..." or "*a *a *a ...".
_MD_IMAGE = re.compile(r"!\[[^\]]{0,500}\]\([^)]{0,2000}\)")
_MD_LINK = re.compile(r"\[([^\]]{1,500})\]\([^)]{0,2000}\)")
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M)
_MD_EMPHASIS = re.compile(r"(?<!\w)(\*\*|__|\*|_)(?=\S)(.{1,500}?)(?<=\S)\1(?!\w)")


def _strip_markdown(text: str) -> str:
    """Markdown markup off: headings, emphasis, links (their text kept), images."""
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_HEADING.sub(r"\1", text)
    return _MD_EMPHASIS.sub(r"\2", text)


def _file_key(path: Path) -> tuple[str, ReadProblem | None]:
    """The id of a file's article, and a warning if the file's name is not UTF-8."""
    key = file_id(path)
    if key == path.stem:
        return key, None
    return key, ReadProblem(display_path(path), f"file name is not UTF-8; the article's id is {key!r}", skipped=False)


def _read_text(path: Path, meta: _Meta | None, options: _Options) -> Iterator[Item]:
    problems: list[ReadProblem] = []
    text = _read_whole_text(path, problems, FILE_BYTES_PER_CHAR * options.max_chars)
    yield from problems
    if text is None:
        return
    key, warning = _file_key(path)
    if warning:
        yield warning
    if path.suffix.lower() == ".md":
        text = _strip_markdown(cut_at_sentence(text, RAW_CHARS_PER_CHAR * options.max_chars))
    meta = meta or _Meta("")
    yield from _make_article(key, text, display_path(path), options, title=meta.title, published=meta.published,
                             source=meta.source, url=meta.url)


def _read_html(path: Path, meta: _Meta | None, options: _Options) -> Iterator[Item]:
    problems: list[ReadProblem] = []
    data = _read_whole_bytes(path, problems, FILE_BYTES_PER_CHAR * options.max_chars)
    yield from problems
    if data is None:
        return
    import trafilatura  # slow to import: only when there is HTML to read

    try:
        page = trafilatura.bare_extraction(
            data, with_metadata=True, include_comments=False, include_tables=False, include_images=False,
            date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        yield ReadProblem(display_path(path), f"cannot parse the HTML: {_one_line(exc)}")
        return
    if page is None or not (page.text or "").strip():
        yield ReadProblem(display_path(path), "no article text found in the HTML page")
        return
    key, warning = _file_key(path)
    if warning:
        yield warning
    meta = meta or _Meta("")
    page_date = parse_date(page.date) if page.date else None
    yield from _make_article(key, page.text, display_path(path), options, title=meta.title or page.title,
                             published=meta.published or page_date, source=meta.source or page.sitename,
                             url=meta.url or page.url)


# --------------------------------------------------------------------------- records: JSON, JSONL, CSV


def _record_article(values: Mapping[str, Any], origin: str, options: _Options, *,
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
    yield from _make_article(key, text, origin, options, title=values.get("title"), published=published,
                             source=values.get("source"), url=values.get("url"))


def _json_record(record: Any, origin: str, options: _Options) -> Iterator[Item]:
    if not isinstance(record, dict):
        yield ReadProblem(origin, f"expected a JSON object with id and text, found {type(record).__name__}")
        return
    values: dict[str, str | None] = {}
    for field in FIELDS:
        value = record.get(field)
        if isinstance(value, bool) or not isinstance(value, (str, int, float, type(None))):
            yield ReadProblem(origin, f"field {field!r} should be a string, found {type(value).__name__}")
            return
        values[field] = None if value is None else str(value)
    yield from _record_article(values, origin, options)


def _too_deep(text: str, origin: str) -> ReadProblem | None:
    """The problem with JSON nested deeper than MAX_JSON_DEPTH, which is refused before it is parsed."""
    depth = json_depth(text)
    if depth <= MAX_JSON_DEPTH:
        return None
    return ReadProblem(origin, f"JSON nested {depth} deep; at most {MAX_JSON_DEPTH} levels are read")


def _read_json(path: Path, options: _Options) -> Iterator[Item]:
    problems: list[ReadProblem] = []
    text = _read_whole_text(path, problems)
    yield from problems
    if text is None:
        return
    origin = display_path(path)
    problem = _too_deep(text, origin)
    if problem:
        yield problem
        return
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        yield ReadProblem(f"{origin}:{line}" if line else origin,
                          f"not valid JSON: {_one_line(getattr(exc, 'msg', exc))}")
        return
    if isinstance(data, list):
        if not data:
            yield ReadProblem(origin, "no records (an empty JSON list)")
        for i, record in enumerate(data):
            where = f"{origin}[{i}]"
            yield from _isolated(_json_record(record, where, options), where, "reading")
    else:
        yield from _json_record(data, origin, options)


def _read_jsonl(path: Path, options: _Options) -> Iterator[Item]:
    origin = display_path(path)
    stream, problem = _open_stream(path)
    if stream is None:
        yield problem  # type: ignore[misc]
        return
    with stream:
        lines = _Lines(stream)
        records = 0
        for line in lines:
            where = f"{origin}:{lines.number}"
            warning = lines.utf8_warning(origin)
            if warning:
                yield warning
            if not line.strip():
                continue
            records += 1
            problem = _too_deep(line, where)
            if problem:
                yield problem
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                yield ReadProblem(where, f"not valid JSON: {getattr(exc, 'msg', exc)} "
                                         f"(column {getattr(exc, 'colno', '?')})")
                continue
            yield from _isolated(_json_record(record, where, options), where, "reading")
        if records == 0:
            yield ReadProblem(origin, "no records")


def _csv_layout(header: list[str], columns: dict[str, str] | None,
                origin: str) -> tuple[dict[str, int], str | None, ReadProblem | None]:
    """Which column holds each field, the numeric date order, or the problem with the header."""
    names = [name.strip() for name in header]
    position: dict[str, int] = {}
    for i, name in enumerate(names):
        position.setdefault(name.lower(), i)
    found = ", ".join(names)
    fakes = {"unit_id", "article_title", "article_content"} <= position.keys()
    missing = [column for column in (columns or {}).values() if column.lower() not in position]
    if columns and not (missing and fakes):
        mapping = {field: field for field in FIELDS if field in position}
        mapping.update(columns)
        if missing:
            return {}, None, ReadProblem(origin, f"column(s) {', '.join(missing)} given in columns are not in the "
                                                 f"header; it has: {found}")
        if "id" not in mapping or "text" not in mapping:
            return {}, None, ReadProblem(origin, f"no column for {'id' if 'id' not in mapping else 'text'}: map it "
                                                 f"with columns (e.g. --columns id=...,text=...); the header has: "
                                                 f"{found}")
        return {field: position[column.lower()] for field, column in mapping.items()}, None, None
    if fakes:
        return ({field: position[column] for field, column in FAKES_COLUMNS.items() if column in position},
                "MDY", None)
    if {"id", "text"} <= position.keys():
        return {field: position[field] for field in FIELDS if field in position}, None, None
    return {}, None, ReadProblem(origin, f"not an article CSV: expected columns id, text (and optionally title, "
                                         f"published, source, url), the FA-KES columns unit_id, article_title, "
                                         f"article_content, source, date, or a mapping with --columns "
                                         f"FIELD=COLUMN,...; the header has: {found}")


def _read_csv(path: Path, options: _Options) -> Iterator[Item]:
    origin = display_path(path)
    stream, problem = _open_stream(path)
    if stream is None:
        yield problem  # type: ignore[misc]
        return
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    with stream:
        lines = _Lines(stream)
        reader = csv.reader(lines, strict=True)
        try:
            header = next(reader)
        except (StopIteration, csv.Error) as exc:
            yield ReadProblem(origin, f"cannot read the CSV header: {_one_line(exc or 'no lines')}")
            return
        index, order, problem = _csv_layout(header, options.columns, origin)
        if problem:
            yield problem
            return
        records = 0
        while True:
            lines.mark()
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield ReadProblem(f"{origin}:{lines.first_content or lines.number}",
                                  f"malformed CSV row: {_one_line(exc)}")
                continue
            where = f"{origin}:{lines.first_content or lines.number}"
            warning = lines.utf8_warning(origin)
            if warning:
                yield warning
            if not any(cell.strip() for cell in row):
                continue
            records += 1
            if len(row) != len(header):
                yield ReadProblem(where, f"expected {len(header)} fields as in the header, found {len(row)}")
                continue
            yield from _isolated(_record_article({field: row[i] for field, i in index.items()}, where, options,
                                                 date_order=order), where, "reading")
        if records == 0:
            yield ReadProblem(origin, "no records after the header")

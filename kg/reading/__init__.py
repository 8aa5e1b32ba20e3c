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
first, then from the text's dateline, else it is None. A caller that already
holds an article read from the very same record (``known``: the builder, on a
re-run) gets an :class:`Unchanged` for it instead, and no cleaning.

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

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from kg.errors import InputError
from kg.limits import MAX_CHARS, display_path
from kg.reading.files import SUFFIXES, read_file
from kg.reading.folders import METADATA_NAME, read_folder
from kg.reading.records import FIELDS, Article, Item, ReadOptions, ReadProblem, Unchanged, input_digest, one_line

__all__ = ["Article", "ReadProblem", "Unchanged", "read_articles", "input_digest", "FIELDS", "SUFFIXES"]


def read_articles(paths: Sequence[Path | str], *, columns: dict[str, str] | None = None,
                  max_chars: int = MAX_CHARS, known: Callable[[str, str], bool] | None = None) -> Iterator[Item]:
    """Yield every article found under ``paths``, and a ReadProblem for whatever is skipped.

    Args:
        paths: files and folders (a single path is accepted too).
        columns: for CSV files, our field name -> CSV column name, e.g.
            ``{"id": "doc", "text": "body"}``; fields not given default to
            columns of the same name.
        max_chars: the longest article text; a longer one is cut at the end of a sentence, with a warning.
        known: ``known(id, digest)`` says whether the caller already holds the article of that id read from a
            record of that :func:`input_digest` (a re-run of unchanged input): such a record is yielded as
            :class:`Unchanged`, after the warnings about its fields, and not cleaned again.

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
    return _warn_duplicates(_read_all(list(paths), ReadOptions(_check_columns(columns), max_chars, known)))


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
        if isinstance(item, (Article, Unchanged)):
            if item.id in seen:
                yield ReadProblem(item.origin, f"duplicate id {item.id!r}: this article replaces the one read "
                                               f"from {seen[item.id]}", skipped=False)
            seen[item.id] = item.origin
        yield item


def _read_all(paths: list[Path | str], options: ReadOptions) -> Iterator[Item]:
    for raw in paths:
        path = Path(raw)
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
            yield ReadProblem(display_path(path), f"cannot read: {one_line(exc)}")
            continue
        if is_dir:
            yield from read_folder(path, options)
        elif not exists:
            yield ReadProblem(display_path(path), "no such file or folder")
        elif path.name.lower() == METADATA_NAME:
            yield ReadProblem(display_path(path), "metadata.csv holds metadata for the files in its folder, not "
                                                  "articles; give the folder instead")
        else:
            yield from read_file(path, options, None)

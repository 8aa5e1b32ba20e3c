"""What input may be: regular files, bounded sizes and depths, valid Unicode; the checks reading applies.

Hostile input must cost only itself: a FIFO or a device behind an article's
name is never read (opening it could block, reading it could take all
memory), a text is never longer than ``--max-chars``, a JSON file is never
nested deeper than :data:`MAX_JSON_DEPTH` (Python's parser would raise
RecursionError), and no string with a lone surrogate (``"\\ud800"`` in JSON,
an undecodable byte in a file name) reaches the store, which cannot hold it.

>>> valid_unicode("Raqqa \\ud800") == "Raqqa \\ufffd"
True
>>> json_depth('[{"id": "a1", "text": "[[["}]')
2
"""
from __future__ import annotations

import os
import re
import stat
from itertools import accumulate
from pathlib import Path
from typing import BinaryIO

MAX_CHARS = 200_000
"""The longest article text built, by default (``kg build --max-chars``); spaCy's own limit is 1,000,000."""
RAW_CHARS_PER_CHAR = 4
"""A text is cut to this many times ``max_chars`` before its furniture is removed (which bounds that work)."""
FILE_BYTES_PER_CHAR = 64
"""A .txt, .md or .html file is read up to this many times ``max_chars`` bytes (HTML is mostly markup)."""
MAX_TITLE_CHARS = 1_000
"""A longer title is no headline, and is ignored."""
MAX_ID_CHARS = 1_000
"""A record with a longer id is refused (the id is part of every IRI minted for the article)."""
MAX_JSON_DEPTH = 64
"""How deep a JSON file or JSONL line may nest arrays and objects (a record needs 2)."""

_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading in binary, if it is a regular file (a symbolic link to one will do).

    Nothing else is opened in a way that can block: the kind of file is checked before it is opened, and
    again on the open file (it may have been replaced in between).

    Raises:
        OSError: it cannot be opened, or it is not a regular file (``strerror`` says what it is).
    """
    _check_regular(os.stat(path).st_mode, path)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        _check_regular(os.fstat(fd).st_mode, path)
        return os.fdopen(fd, "rb")  # O_NONBLOCK changes nothing for a regular file
    except BaseException:
        os.close(fd)
        raise


def _check_regular(mode: int, path: Path) -> None:
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "a special file")
        raise OSError(0, f"{kind}, not a regular file", str(path))


def display_path(path: Path | str) -> str:
    """``path`` as valid Unicode for messages: bytes of a file name that are not UTF-8 as ``\\xNN``.

    >>> display_path(os.fsdecode(b"bad\\xffname.txt"))
    'bad\\\\xffname.txt'
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def file_id(path: Path) -> str:
    """The id of a file's article: its name without the extension, bytes that are not UTF-8 as U+FFFD.

    >>> file_id(Path(os.fsdecode(b"bad\\xffname.txt"))) == "bad\\ufffdname"
    True
    """
    return os.fsencode(path.stem).decode("utf-8", "replace")


_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_unicode(value: str) -> str:
    """``value`` with every lone surrogate (which no UTF-8 text can hold) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", value)


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_depth(text: str) -> int:
    """How deep the arrays and objects of the JSON ``text`` nest (brackets in strings do not count), in linear time."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)

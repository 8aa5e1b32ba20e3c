"""A file's bytes -> text: regular files only, binary files refused, UTF-8 (or UTF-16 with a BOM), lines streamed."""
from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from kg.limits import FILE_BYTES_PER_CHAR, display_path, open_regular
from kg.reading.records import ReadProblem, one_line

_SNIFF = 8192


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


def read_whole_bytes(path: Path, problems: list[ReadProblem], limit: int | None = None) -> bytes | None:
    """The bytes of a regular file (its first ``limit``, cut at a line break, with a warning), or None."""
    origin = display_path(path)
    try:
        with open_regular(path) as stream:
            data = stream.read(-1 if limit is None else limit + 1)
    except OSError as exc:
        problems.append(ReadProblem(origin, f"cannot read: {one_line(exc)}"))
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


def read_whole_text(path: Path, problems: list[ReadProblem], limit: int | None = None) -> str | None:
    data = read_whole_bytes(path, problems, limit)
    if data is None:
        return None
    text, warning = _decode(data, display_path(path))
    if warning:
        problems.append(warning)
    return text


class DecodedLines:
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


def open_stream(path: Path) -> BinaryIO | ReadProblem:
    """A file opened to stream it, after checking that it is neither empty nor binary; or the problem with it."""
    origin = display_path(path)
    try:
        stream = open_regular(path)
    except OSError as exc:
        return ReadProblem(origin, f"cannot read: {one_line(exc)}")
    head = stream.read(_SNIFF)
    if len(head) < _SNIFF:  # the whole file
        problem = _check_bytes(head, origin)
    else:
        problem = ReadProblem(origin, "binary file (it contains NUL bytes), not text") if b"\0" in head else None
    if problem is None and head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problem = ReadProblem(origin, "UTF-16 text; save it as UTF-8 to read it")
    if problem:
        stream.close()
        return problem
    stream.seek(0)
    return stream

"""The access log of ``kg serve --access-log FILE``: one line per request, as it is answered.

A line is the Common Log Format (client, ``-``, ``-``, the time, the request
line, the status, the bytes of the body) and then the seconds the answer took::

    127.0.0.1 - - [26/Nov/2014:09:12:03 +0000] "GET /sparql?query=ASK%7B%7D HTTP/1.1" 200 27 0.004

>>> import io
>>> log = AccessLog(io.StringIO())
>>> log.write("127.0.0.1", 'GET /a"b HTTP/1.1', 200, 27, 0.0042, when=0.0)
>>> log.stream.getvalue()
'127.0.0.1 - - [01/Jan/1970:00:00:00 +0000] "GET /a\\\\"b HTTP/1.1" 200 27 0.004\\n'
"""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from kg.errors import ServeError


class AccessLog:
    """Lines written to ``stream``, one whole line at a time whichever thread answers, each flushed at once."""

    def __init__(self, stream: TextIO, *, owned: bool = False) -> None:
        self.stream = stream
        self._owned = owned
        self._lock = threading.Lock()

    @classmethod
    def open(cls, target: str | Path) -> AccessLog:
        """The log appended to the file ``target``, or written to stderr for ``-``.

        Raises:
            ServeError: the file cannot be opened for appending.
        """
        if str(target) == "-":
            return cls(sys.stderr)
        try:
            return cls(open(target, "a", encoding="utf-8"), owned=True)
        except OSError as err:
            raise ServeError(f"{target}: cannot write the access log: {err.strerror or err}") from None

    def write(self, client: str, request_line: str, status: int | str, size: int | str, seconds: float | None, *,
              when: float | None = None) -> None:
        """Log one answered request (``size`` and ``seconds`` ``-`` / None when unknown)."""
        moment = time.localtime() if when is None else time.gmtime(when)  # ``when`` (seconds since the epoch) in UTC
        stamp = time.strftime("%d/%b/%Y:%H:%M:%S %z", moment)
        took = "-" if seconds is None else f"{seconds:.3f}"
        line = f'{client} - - [{stamp}] "{_quoted(request_line)}" {status} {size} {took}\n'
        with self._lock:
            try:
                self.stream.write(line)
                self.stream.flush()
            except (OSError, ValueError):  # a full disk or a closed stream must not stop the answers
                pass

    def close(self) -> None:
        """Close the file (not stderr)."""
        if self._owned:
            self.stream.close()


def _quoted(text: str) -> str:
    """``text`` fit to stand between double quotes on one line: quotes, backslashes and control characters escaped."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(char)
    return "".join(out)


__all__ = ["AccessLog"]

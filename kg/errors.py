"""Errors raised by conflict-kg; the CLI turns each into a one-line message."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


def one_line(message: object) -> str:
    """An error (or any message) on one line: its words with single spaces, else the error's type name.

    >>> one_line(ValueError("no   period")), one_line(KeyError())
    ('no period', 'KeyError')
    """
    return " ".join(str(message).split()) or type(message).__name__


class KgError(Exception):
    """Base of every error conflict-kg raises on purpose."""


class InputError(KgError):
    """An input file or record cannot be read as an article."""


class ResourceError(KgError):
    """A file the package ships (ontology, shapes, a query, a data file, the web page) is missing or broken."""


class StoreError(KgError):
    """The store cannot be opened or written."""


class QueryError(KgError):
    """A named query is unknown, or a query or its parameters are invalid."""


class QueryRefused(QueryError):
    """A query the guard cannot prove harmless (SERVICE, LOAD, an update, or text it cannot read);
    ``status`` is the HTTP status the endpoint answers it with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class EngineError(KgError):
    """A build cannot run as asked: a bad engine or process count, or a Dask cluster that cannot be used."""


class ExportError(KgError):
    """The graph cannot be exported in the format asked for."""


class ServeError(KgError):
    """The SPARQL server cannot start: bad settings, or the address is taken."""


class CurationError(KgError):
    """An analyst's override names no node, or the overrides file cannot be read."""


class ResolutionError(KgError):
    """Resolving the stored claims failed; the articles stay stored and the canonical layer stays as it was."""


@contextmanager
def noted(note: str) -> Iterator[None]:
    """Add ``note`` (what was being worked on) to an error raised inside, for the one-line message that reports it.

    >>> try:
    ...     with noted("claim claim/a1/0"):
    ...         raise ValueError("boom")
    ... except ValueError as err:
    ...     err.__notes__
    ['claim claim/a1/0']
    """
    try:
        yield
    except Exception as exc:
        exc.add_note(note)
        raise

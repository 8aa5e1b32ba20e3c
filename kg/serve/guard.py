"""The endpoint's side of the query guard (``kg.guard``): its refusals as HTTP answers, and whether a query names
its own dataset.
"""
from __future__ import annotations

import re

from kg.errors import QueryRefused
from kg.guard import READ_ONLY, outside_literals, update_refusal
from kg.guard import check_query as _check
from kg.serve.messages import RequestError
from kg.vocab import PREFIXES

_DATASET_KEYWORD = re.compile(r"(?<![\w:?$@\-])FROM(?![\w:\-])", re.IGNORECASE)


def check_query(text: str) -> None:
    """Refuse what a read-only endpoint that makes no outbound request must not run (see ``kg.guard``).

    Raises:
        RequestError: 400 for SERVICE, LOAD or a query the guard cannot read, 403 for an update.

    >>> check_query('SELECT * { ?s ?p "SERVICE <http://example.org/>" } # SERVICE')
    >>> check_query("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    kg.serve.messages.RequestError: SERVICE is refused: no query here may send a request to another endpoint
    """
    try:
        _check(text, prefixes=PREFIXES)
    except QueryRefused as err:
        raise RequestError(err.status, str(err)) from None
    refusal = update_refusal(text, prefixes=PREFIXES)
    if refusal is not None:
        raise RequestError(*refusal)


def names_dataset(text: str) -> bool:
    """Whether the query names its own dataset (``FROM`` or ``FROM NAMED``, outside strings, IRIs and comments).

    >>> names_dataset("SELECT * FROM <http://example.org/g> { ?s ?p ?o }"), names_dataset('ASK { ?s ?p "FROM" }')
    (True, False)
    """
    return _DATASET_KEYWORD.search(outside_literals(text)) is not None


__all__ = ["READ_ONLY", "check_query", "names_dataset"]

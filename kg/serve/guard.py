"""What a query may not do on this endpoint: write, or make it send a request (SERVICE, LOAD).

The query is parsed with rdflib's SPARQL parser and the tree searched; text
rdflib cannot parse is refused when the keyword appears outside strings, IRIs
and comments.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from kg.serve.messages import RequestError

_SKIPPED = re.compile("|".join([
    r"#[^\n\r]*",                                  # comment
    r'"""(?:[^"\\]|\\.|"(?!""))*"""',             # long strings
    r"'''(?:[^'\\]|\\.|'(?!''))*'''",
    r'"(?:[^"\\\n\r]|\\.)*"',                    # short strings
    r"'(?:[^'\\\n\r]|\\.)*'",
    r'<[^<>"{}|^`\\\x00-\x20]*>',                 # IRIs
]), re.DOTALL)
_REFUSED_KEYWORD = re.compile(r"(?<![\w:?$@\-])(SERVICE|LOAD)(?![\w:\-])", re.IGNORECASE)
_DATASET_KEYWORD = re.compile(r"(?<![\w:?$@\-])FROM(?![\w:\-])", re.IGNORECASE)

_SERVICE_REFUSED = "SERVICE is refused: this endpoint never sends requests to other endpoints"
_LOAD_REFUSED = "LOAD is refused: this endpoint never fetches remote data (and it is read-only)"
READ_ONLY = ("this endpoint is read-only: SPARQL Update is not accepted; "
              "send a query (SELECT, ASK, CONSTRUCT, DESCRIBE)")


def _node_names(tree: object) -> set[str]:
    """The names of every rdflib ``CompValue`` in a parse tree."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    names: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            names.add(node.name)
            stack.extend(node.values())
        elif isinstance(node, (ParseResults, list, tuple)):  # ParseResults registers as a Mapping: test it first
            stack.extend(node)
        elif isinstance(node, Mapping):
            stack.extend(node.values())
    return names


def _keywords_outside_literals(text: str) -> set[str]:
    """Which of SERVICE and LOAD appear as words outside comments, strings and IRIs.

    >>> sorted(_keywords_outside_literals('SELECT * { SERVICE <x#LOAD> { ?s ?p "LOAD" } } # LOAD'))
    ['SERVICE']
    """
    return {m.upper() for m in _REFUSED_KEYWORD.findall(_SKIPPED.sub(" ", text))}


def check_query(text: str) -> None:
    """Refuse what a read-only endpoint that makes no outbound request must not run.

    Raises:
        RequestError: 400 for SERVICE or LOAD, 403 for an update.

    >>> check_query('SELECT * { ?s ?p "SERVICE <http://example.org/>" } # SERVICE')
    >>> check_query("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    kg.serve.messages.RequestError: SERVICE is refused: this endpoint never sends requests to other endpoints
    """
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        names = _node_names(parseQuery(text))
    except Exception:  # rdflib's parser raises several types; oxigraph gives the message that counts
        names = None
    if names is not None:  # the parse tree decides; the keyword check is a second lock on the same door
        if "ServiceGraphPattern" in names or "SERVICE" in _keywords_outside_literals(text):
            raise RequestError(400, _SERVICE_REFUSED)
        return
    try:
        names = _node_names(parseUpdate(text))
    except Exception:  # not an update either: fall back to a lexical check
        keywords = _keywords_outside_literals(text)
        if keywords:
            raise RequestError(400, _SERVICE_REFUSED if "SERVICE" in keywords else _LOAD_REFUSED) from None
        return
    raise RequestError(400, _LOAD_REFUSED) if "Load" in names else RequestError(403, READ_ONLY)


def names_dataset(text: str) -> bool:
    """Whether the query names its own dataset (``FROM`` or ``FROM NAMED``, outside strings, IRIs and comments).

    >>> names_dataset("SELECT * FROM <http://example.org/g> { ?s ?p ?o }"), names_dataset('ASK { ?s ?p "FROM" }')
    (True, False)
    """
    return _DATASET_KEYWORD.search(_SKIPPED.sub(" ", text)) is not None


__all__ = ["READ_ONLY", "check_query", "names_dataset"]

"""What a query may do: read the store, and nothing else. It may not make the query engine send a request
(``SERVICE``), fetch data (``LOAD``) or write (SPARQL Update).

Oxigraph, which runs the queries, sends an HTTP request for every ``SERVICE`` it evaluates, and pyoxigraph
offers no way to turn that off, nor a parse tree to look at. So a query runs only when the guard can prove it
has no ``SERVICE``:

1. Oxigraph parses it, without running it (``Store.query`` parses, then refuses the contradictory dataset
   options the check passes before anything is evaluated). Text oxigraph cannot parse as a query can never run
   as one (``Store.query`` runs no update, so no ``LOAD``); the guard passes it on, and running it fails with
   oxigraph's own syntax error. ``update_refusal`` tells an endpoint whether such text is an update, for a
   clear refusal.
2. rdflib's SPARQL 1.1 parser reads it into a tree, and the tree has no ``ServiceGraphPattern``. A query
   rdflib cannot read (SPARQL 1.2's ``VERSION`` and triple terms, hundreds of nested parentheses, ``\\#`` in a
   local name...) is refused: nothing proves it safe.
3. The two parsers must see the same tokens. They read two things differently, and both are settled before
   rdflib sees the text: rdflib expands ``\\u``/``\\U`` escapes everywhere before parsing, oxigraph only inside
   strings and IRIs, so that ``"\\u0022"`` is one string to oxigraph and a quote to rdflib (and a ``SERVICE``
   can hide between two of them): text with such an escape is refused. A comment ends at a carriage return for
   oxigraph and at a line feed for rdflib: rdflib is given the text with every CR made an LF, which changes
   no token.
4. A second lock: ``SERVICE`` as a word outside strings, IRIs and comments is refused even when the tree has
   none. It only ever refuses more; it never lets a query through.

Most queries never write the word: text in which no ``service`` appears in any case (Unicode's caseless
match, so ``ſ`` counts as ``s``) and that has no escape cannot hold the keyword for oxigraph, which reads
keywords only as written, and is let through without the two parses (the slow one, rdflib's, costs tens of
milliseconds).

>>> check_query("SELECT * { ?s ?p 'SERVICE <http://example.org/>' } # SERVICE")
>>> check_query("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
kg.errors.QueryRefused: SERVICE is refused: no query here may send a request to another endpoint
"""
from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import pyoxigraph as ox

from kg.errors import QueryRefused
from kg.vocab import PREFIXES

SERVICE_REFUSED = "SERVICE is refused: no query here may send a request to another endpoint"
LOAD_REFUSED = "LOAD is refused: no query here may fetch remote data (and this is read-only)"
READ_ONLY = ("this endpoint is read-only: SPARQL Update is not accepted; "
             "send a query (SELECT, ASK, CONSTRUCT, DESCRIBE)")
ESCAPES_REFUSED = (r"\u and \U escapes are refused: the guard's parser and the query engine read them "
                   r"differently, so the query cannot be proved free of SERVICE; write the character itself")
UNREADABLE = ("refused: the guard cannot read this query with its SPARQL 1.1 parser ({reason}), so it cannot prove "
              "that the query sends no request (SERVICE); write it in SPARQL 1.1 (no VERSION, no triple terms "
              "<<( )>>, no \\-escapes in prefixed names, fewer nested parentheses)")

_ESCAPE = re.compile(r"\\[uU]")
_SERVICE_ANYWHERE = re.compile("service", re.IGNORECASE)  # Unicode-caseless: matches "ſervice" and "SERVICE"
_SKIPPED = re.compile("|".join([
    r"#[^\n\r]*",                                  # comment
    r'"""(?:[^"\\]|\\.|"(?!""))*"""',             # long strings
    r"'''(?:[^'\\]|\\.|'(?!''))*'''",
    r'"(?:[^"\\\n\r]|\\.)*"',                    # short strings
    r"'(?:[^'\\\n\r]|\\.)*'",
    r'<[^<>"{}|^`\\\x00-\x20]*>',                 # IRIs
]), re.DOTALL)
_SERVICE_WORD = re.compile(r"(?<![\w:?$@\-])SERVICE(?![\w:\-])", re.IGNORECASE)


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


def outside_literals(text: str) -> str:
    """``text`` with its comments, strings and IRIs blanked out.

    >>> outside_literals('SELECT * { <x#y> ?p "a # b" } # note')
    'SELECT * {   ?p   }  '
    """
    return _SKIPPED.sub(" ", text)


def _engine_parses(text: str, prefixes: Mapping[str, str]) -> bool:
    """Whether oxigraph parses ``text`` as a query: nothing is evaluated (see the module docstring)."""
    try:
        ox.Store().query(text, prefixes=dict(prefixes), use_default_graph_as_union=True,
                         default_graph=ox.DefaultGraph())
    except SyntaxError:
        return False
    except ValueError:  # the dataset options contradict each other: raised after parsing, before evaluation
        return True
    raise AssertionError("pyoxigraph evaluated a query given contradictory dataset options")  # pragma: no cover


def _short(err: BaseException) -> str:
    if isinstance(err, RecursionError):
        return "it is nested too deeply"
    return " ".join(str(err).split())[:200] or type(err).__name__


_CACHED_CHARS = 20_000


@functools.lru_cache(maxsize=512)
def _cached_refusal(text: str, prefixes: tuple[tuple[str, str], ...]) -> tuple[int, str] | None:
    return _refusal(text, prefixes)


def _refusal(text: str, prefixes: tuple[tuple[str, str], ...]) -> tuple[int, str] | None:
    """(status, message) of the refusal of ``text``, or None when it may run."""
    from rdflib.plugins.sparql.parser import parseQuery

    if _ESCAPE.search(text):
        return 400, ESCAPES_REFUSED
    if not _SERVICE_ANYWHERE.search(text):
        return None  # no SERVICE keyword can be read from it (see the module docstring)
    rdflib_text = text.replace("\r", "\n")
    if not _engine_parses(text, dict(prefixes)):
        return None  # no query oxigraph can run: running it fails with oxigraph's syntax error, before anything
    if _SERVICE_WORD.search(outside_literals(text)):  # the second lock, first: the plainer message
        return 400, SERVICE_REFUSED
    try:
        names = _node_names(parseQuery(rdflib_text))
    except Exception as err:  # several types, RecursionError among them
        return 400, UNREADABLE.format(reason=_short(err))
    return (400, SERVICE_REFUSED) if "ServiceGraphPattern" in names else None


def update_refusal(text: str, *, prefixes: Mapping[str, str] = PREFIXES) -> tuple[int, str] | None:
    """(status, message) for text that is no query but a SPARQL Update: 400 for ``LOAD``, 403 for any other;
    None otherwise. For an endpoint, to say why it refuses what ``check_query`` left to fail as a query.

    >>> update_refusal("LOAD <http://example.org/data.ttl>")[0], update_refusal("CLEAR ALL")[0]
    (400, 403)
    >>> update_refusal("ASK {}") is None
    True
    """
    from rdflib.plugins.sparql.parser import parseUpdate

    if _engine_parses(text, prefixes):
        return None
    try:
        names = _node_names(parseUpdate(text.replace("\r", "\n")))
    except Exception:  # rdflib's parser raises several types (RecursionError too): no update either
        return None
    return (400, LOAD_REFUSED) if "Load" in names else (403, READ_ONLY)


def check_query(text: str, *, prefixes: Mapping[str, str] = PREFIXES) -> None:
    """Refuse a query unless it provably makes no request (see the module docstring). Text oxigraph cannot
    parse as a query passes: running it fails with oxigraph's syntax error (updates among it: ``Store.query``
    runs no update).

    ``prefixes`` must be those the query will run with (oxigraph refuses an undeclared prefix).

    Raises:
        QueryRefused: 400 for SERVICE, a codepoint escape, or a query the guard cannot read.

    >>> check_query('VERSION "1.2" SELECT * { ?s ?p "service" }')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.QueryRefused: refused: the guard cannot read this query with its SPARQL 1.1 parser (...
    """
    decide = _cached_refusal if len(text) <= _CACHED_CHARS else _refusal  # the same question is often asked again
    refusal = decide(text, tuple(sorted(prefixes.items())))
    if refusal is not None:
        raise QueryRefused(*refusal)


__all__ = ["ESCAPES_REFUSED", "LOAD_REFUSED", "READ_ONLY", "SERVICE_REFUSED", "UNREADABLE", "check_query",
           "outside_literals", "update_refusal"]

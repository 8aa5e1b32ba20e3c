"""SPARQL text the package writes itself: quads as the body of ``INSERT DATA``, and bound values as a ``VALUES``
block, for a store that takes only text (a SPARQL server, see ``kg.remote``).

Every term is written by pyoxigraph's own serialization (``str(term)``: an IRI in ``<...>``, a literal quoted and
escaped), so a value is only ever a value, whatever characters it holds.

>>> import pyoxigraph as ox
>>> print(bind_values("SELECT ?x ?n WHERE { ?x ?p ?n }", {"n": ox.Literal('"} ; DROP ALL')}))
SELECT ?x ?n WHERE { VALUES (?n) { ("\\"} ; DROP ALL") } ?x ?p ?n }
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from kg.errors import QueryError

_TOKEN = re.compile(r'''
    (?P<skip>\#[^\n]*                                       # a comment
      | """(?:[^"\\]|\\.|"(?!""))*""" | \'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'   # long strings
      | "(?:[^"\\\n]|\\.)*" | '(?:[^'\\\n]|\\.)*'         # strings
      | <[^<>"{}|^`\\\x00-\x20]*>                           # an IRI
      | [?$]\w+ | [A-Za-z_][\w.-]*:[\w.-]* | :[\w.-]*)       # a variable, a prefixed name
    | (?P<word>[A-Za-z]+)
    | (?P<brace>[{}])
    ''', re.VERBOSE | re.DOTALL)


def quad_text(quads: Iterable[ox.Quad]) -> str:
    """Quads as the body of an ``INSERT DATA`` (or ``DELETE DATA``) block, grouped by graph.

    >>> g, s = ox.NamedNode("http://example.org/g"), ox.NamedNode("http://example.org/s")
    >>> print(quad_text([ox.Quad(s, s, ox.Literal("a"), g)]))
    GRAPH <http://example.org/g> {
    <http://example.org/s> <http://example.org/s> "a" .
    }
    """
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    return "\n".join(f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items())


def variable(name: str) -> ox.Variable:
    """The SPARQL variable called ``name`` (without its ``?``).

    Raises:
        QueryError: ``name`` is no SPARQL variable name.

    >>> str(variable("actor"))
    '?actor'
    """
    try:
        return ox.Variable(name)
    except ValueError:
        raise QueryError(f"{name!r} is no SPARQL variable name: expected letters, digits and _") from None


def values_block(substitutions: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """A ``VALUES`` block binding each variable to its term.

    Raises:
        QueryError: a name is no SPARQL variable name, or a value is neither an IRI nor a literal.

    >>> values_block({"a": ox.NamedNode("http://example.org/a"), "n": ox.Literal("x", language="en")})
    'VALUES (?a ?n) { (<http://example.org/a> "x"@en) }'
    >>> values_block({"a b": ox.Literal("1")})
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: 'a b' is no SPARQL variable name: expected letters, digits and _
    """
    names, terms = [], []
    for name, term in substitutions.items():
        names.append(str(variable(name)))
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise QueryError(f"?{name}: only an IRI or a literal can be bound, not {type(term).__name__}")
        terms.append(str(term))
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


def _where_group(sparql: str) -> tuple[int, int]:
    """The offsets just inside the braces of the query's WHERE group: after its ``{`` and at its ``}``.

    The braces of comments, strings and IRIs are not counted; a CONSTRUCT's template is skipped.

    Raises:
        QueryError: there is no WHERE group, or it is the template of a short ``CONSTRUCT WHERE``.
    """
    depth, opened, construct, where = 0, -1, False, False
    for match in _TOKEN.finditer(sparql):
        if match["word"]:
            word = match["word"].upper()
            construct = construct or (depth == 0 and word == "CONSTRUCT")
            where = where or (depth == 0 and word == "WHERE")
        elif match["brace"] == "{":
            if depth == 0 and opened < 0 and (where or not construct):
                if construct:
                    raise QueryError("values can be bound in a CONSTRUCT only in its long form, "
                                     "CONSTRUCT { template } WHERE { pattern }")
                opened = match.end()
            depth += 1
        elif match["brace"] == "}":
            depth -= 1
            if depth == 0 and opened >= 0:
                return opened, match.start()
            if depth == 0 and construct:
                construct = False  # past the template: the next group is the pattern
                where = True
    raise QueryError("expected a query with a WHERE { ... } group to bind values in")


def bind_values(sparql: str, substitutions: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """``sparql`` with ``substitutions`` joined at the start of its WHERE group, as pyoxigraph's ``substitutions``
    bind them: the group's patterns, OPTIONALs and FILTERs see the values, its sub-queries do not.

    A group that is a lone sub-query is wrapped in braces, so that the ``VALUES`` may stand beside it.

    Raises:
        QueryError: see :func:`values_block` and :func:`_where_group`.

    >>> bind_values("ASK { FILTER(?x > 1) } # {", {"x": ox.Literal("2")})
    'ASK { VALUES (?x) { ("2") } FILTER(?x > 1) } # {'
    >>> bind_values("SELECT ?x { SELECT ?x { ?x ?p ?o } }", {"x": ox.NamedNode("http://example.org/x")})
    'SELECT ?x { VALUES (?x) { (<http://example.org/x>) } { SELECT ?x { ?x ?p ?o } } }'
    """
    if not substitutions:
        return sparql
    start, end = _where_group(sparql)
    inner = sparql[start:end]
    first = next((m["word"] for m in _TOKEN.finditer(inner) if not m["skip"]), None)
    body = f" {{{inner}}} " if (first or "").upper() == "SELECT" else inner
    return f"{sparql[:start]} {values_block(substitutions)}{body}{sparql[end:]}"


__all__ = ["bind_values", "quad_text", "values_block", "variable"]

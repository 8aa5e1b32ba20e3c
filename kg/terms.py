"""Values -> RDF terms and back: names and IRIs of actors, places and events, dates, numbers, flags.

A named query's parameters are read by their declared types (see ``kg.queries``);
:func:`find` and :func:`resolve` look a node up by any of its names;
:func:`to_python` turns a result's terms into Python values.

>>> resolve(GraphStore.open(None), "ckg:AirStrike", "event")
Traceback (most recent call last):
...
kg.errors.QueryError: no event <https://w3id.org/conflict-kg/ontology#AirStrike> in the graph
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.dates import DateValue
from kg.errors import QueryError
from kg.iris import IRI_KINDS, name_key
from kg.store import GraphStore, internal_query
from kg.vocab import CKG, EVENT_TYPES, ID_NS, PREFIXES, XSD, XSD_NS

if TYPE_CHECKING:
    from kg.queries import NamedQuery, Parameter

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
"""A term a query result can hold."""

_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S*")
_INTEGER_TYPES = frozenset("integer int long short byte nonNegativeInteger positiveInteger negativeInteger "
                           "nonPositiveInteger unsignedLong unsignedInt unsignedShort unsignedByte".split())
_FLOAT_TYPES = frozenset({"decimal", "double", "float"})
_FROM_LEXICAL: dict[str, Callable[[str], object]] = {
    **{XSD_NS + name: int for name in _INTEGER_TYPES}, **{XSD_NS + name: float for name in _FLOAT_TYPES},
    XSD_NS + "boolean": lambda text: text.strip() in ("true", "1"),
    XSD_NS + "date": dt.date.fromisoformat, XSD_NS + "dateTime": dt.datetime.fromisoformat}
"""The Python value of a literal of each datatype :func:`to_python` converts, by the datatype's IRI."""
_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}
_CLASS_OF = {"actor": CKG.Actor, "place": CKG.Place, "event": CKG.Event}


def _iri(value: str) -> ox.NamedNode:
    """An IRI from ``<iri>``, an absolute IRI, a prefixed name or an instance key (``event/…``)."""
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES and not local.startswith("//"):
        text = PREFIXES[prefix] + local
    elif text.split("/", 1)[0] in IRI_KINDS and "/" in text:
        text = ID_NS + text
    if not _ABSOLUTE_IRI.fullmatch(text):
        raise QueryError(f"expected an IRI (absolute, prefixed like ckg:AirStrike, or a key like "
                         f"actor/islamic-state), got {value!r}")
    try:
        return ox.NamedNode(text)
    except ValueError as err:
        raise QueryError(f"not a valid IRI: {value!r} ({err})") from None


def _looks_like_iri(value: str) -> bool:
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        return True
    prefix, colon, local = text.partition(":")
    if colon and (prefix in PREFIXES or local.startswith("//")):
        return True
    kind, slash, _ = text.partition("/")
    return bool(slash) and kind in IRI_KINDS




def label_of(store: GraphStore, node: ox.NamedNode | str) -> str | None:
    """The ``rdfs:label`` of ``node`` (the first, when it has several), or None."""
    node = node if isinstance(node, ox.NamedNode) else ox.NamedNode(node)
    for row in store.query(internal_query("label"), substitutions={"node": node}):
        return row["label"].value
    return None


def find(store: GraphStore, value: str | ox.NamedNode, kind: str) -> list[ox.NamedNode]:
    """The nodes of ``kind`` (``actor``, ``place`` or ``event``) that ``value`` names best, or is.

    A name matches an ``rdfs:label`` or ``skos:altLabel``, case-insensitively;
    label matches win over alias matches, and of places, the broadest win (a
    country over a city of the same name, a city over a neighbourhood). More
    than one node means the name is ambiguous; none, that nothing of that kind
    has it.

    >>> find(GraphStore.open(None), "Nowhere", "place")
    []
    """
    cls = _CLASS_OF[kind]
    if isinstance(value, ox.NamedNode) or _looks_like_iri(value):
        node = value if isinstance(value, ox.NamedNode) else _iri(value)
        return [node] if any(True for _ in store.query(internal_query("is_a"), substitutions={"node": node, "cls": cls})) else []
    found: dict[int, set[str]] = {}
    for row in store.query(internal_query("named_exactly"), substitutions={"name": ox.Literal(value.strip()), "cls": cls}):
        found.setdefault(int(row["how"].value), set()).add(row["node"].value)
    if not found:
        key = name_key(value)
        for row in store.query(internal_query("named_in_any_case"), substitutions={"key": ox.Literal(key), "cls": cls}):
            found.setdefault(0 if name_key(row["label"].value) == key else 1, set()).add(row["node"].value)
    if not found:
        return []
    nodes = [ox.NamedNode(iri) for iri in sorted(found[min(found)])]
    return _broadest(store, nodes) if kind == "place" else nodes




def _broadest(store: GraphStore, places: list[ox.NamedNode]) -> list[ox.NamedNode]:
    """Of places sharing a name, those with the fewest places around them (a city over its neighbourhoods)."""
    if len(places) < 2:
        return places
    depth = {p: int(next(iter(store.query(internal_query("place_depth"), substitutions={"node": p})))["depth"].value) for p in places}
    return [p for p in places if depth[p] == min(depth.values())]


def resolve(store: GraphStore, value: str | ox.NamedNode, kind: str) -> ox.NamedNode:
    """The one node of ``kind`` (``actor``, ``place`` or ``event``) that ``value`` names or is.

    Raises:
        QueryError: nothing of that kind has that name or IRI (the message suggests
            close names), or several have it (the message lists them).

    >>> resolve(GraphStore.open(None), "Nowhere", "place")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: no place named 'Nowhere' in the graph
    """
    nodes = find(store, value, kind)
    if len(nodes) == 1:
        return nodes[0]
    if nodes:
        choices = "; ".join(f"{label_of(store, n) or n.value} <{n.value}>" for n in nodes)
        raise QueryError(f"{value!r} names several {kind}s: {choices}; pass an IRI instead")
    if isinstance(value, ox.NamedNode) or _looks_like_iri(value):
        raise QueryError(f"no {kind} {value if isinstance(value, ox.NamedNode) else _iri(value)} in the graph")
    names = sorted({row["l"].value for row in store.query(internal_query("names_of_class"), substitutions={"cls": _CLASS_OF[kind]})})
    close = difflib.get_close_matches(value.strip(), names, n=5, cutoff=0.6)
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    raise QueryError(f"no {kind} named {value!r} in the graph{hint}")


def _event_type(value: str | ox.NamedNode) -> ox.NamedNode:
    if isinstance(value, ox.NamedNode):
        return value
    choices = {re.sub(r"[\s_-]", "", name.lower()): name for name in (*EVENT_TYPES, "Event")}
    key = re.sub(r"[\s_-]", "", value.strip().lower())
    if ":" in value:
        return _iri(value)
    name = choices.get(key) or choices.get(key.removesuffix("s"))
    if name is None:
        raise QueryError(f"unknown event type {value!r}; expected one of: {', '.join((*EVENT_TYPES, 'Event'))}")
    return CKG.term(name)


def _date(value: object) -> ox.Literal:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        value = DateValue.from_date(value)
    if not isinstance(value, DateValue):
        try:
            value = DateValue.parse(str(value))
        except ValueError as err:
            raise QueryError(f"expected a date: YYYY, YYYY-MM or YYYY-MM-DD, got {str(value)!r} ({err})") from None
    return ox.Literal(value.lexical(), datatype=XSD.term(value.xsd))


def to_term(store: GraphStore, param: Parameter, value: object) -> ox.NamedNode | ox.Literal:
    """The RDF term to bind for ``value``, read as ``param``'s type.

    Raises:
        QueryError: ``value`` is not a valid value of that type (the message says what is).

    >>> from kg.queries import Parameter
    >>> to_term(GraphStore.open(None), Parameter("since", "date", "on or after"), "2014-11")
    <Literal value=2014-11 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#gYearMonth>>
    """
    if isinstance(value, (ox.NamedNode, ox.Literal)) and param.type not in ("actor", "place", "event"):
        return value
    try:
        if param.type in _CLASS_OF:
            return resolve(store, value if isinstance(value, ox.NamedNode) else str(value), param.type)
        if param.type == "event_type":
            return _event_type(value if isinstance(value, ox.NamedNode) else str(value))
        if param.type == "iri":
            return _iri(str(value))
        if param.type == "date":
            return _date(value)
        if param.type == "integer":
            if isinstance(value, bool) or not re.fullmatch(r"\s*[+-]?\d+\s*", str(value)):
                raise QueryError(f"expected an integer, got {value!r}")
            return ox.Literal(str(int(str(value))), datatype=XSD.integer)
        if param.type == "boolean":
            text = str(value).strip().lower()
            if text not in _TRUE | _FALSE:
                raise QueryError(f"expected true or false, got {value!r}")
            return ox.Literal("true" if text in _TRUE else "false", datatype=XSD.boolean)
        return ox.Literal(str(value))
    except QueryError as err:
        raise QueryError(f"parameter {param.name}: {err}") from None


def adhoc_term(value: object) -> ox.NamedNode | ox.Literal:
    """A binding for ad-hoc SPARQL: ``<iri>`` or an IRI-like value -> IRI; Python values -> typed literals."""
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=XSD.boolean)
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=XSD.integer)
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=XSD.double)
    if isinstance(value, (dt.date, DateValue)):
        return _date(value)
    text = str(value)
    if text.startswith("<") and text.endswith(">"):
        return _iri(text)
    return ox.Literal(text)


def bind(store: GraphStore, query: NamedQuery, bindings: Mapping[str, object]) -> dict[str, ox.NamedNode | ox.Literal]:
    """Check ``bindings`` against ``query``'s parameters and convert them to RDF terms.

    ``None`` values count as not given.

    Raises:
        QueryError: an unknown or missing parameter, or a value that is not of its type.
    """
    given = {k: v for k, v in bindings.items() if v is not None and v != ""}
    for name in given:
        query.parameter(name)
    missing = [p.name for p in query.parameters if p.required and p.name not in given]
    if missing:
        example = " ".join(f"-p {p.name}={_quote(p.example or '...')}" for p in query.parameters if p.required)
        raise QueryError(f"query {query.name!r} needs parameter {', '.join(missing)} (e.g. {example})")
    return {name: to_term(store, query.parameter(name), value) for name, value in given.items()}


def _quote(text: str) -> str:
    return f'"{text}"' if re.search(r"\s", text) else text


def to_python(term: Term | None) -> object:
    """A Python value for an RDF term: IRIs and strings as str, numbers, booleans, ``xsd:date`` as a date.

    ``xsd:gYearMonth`` and ``xsd:gYear`` stay strings (``"2017-06"``, ``"2013"``).

    >>> to_python(ox.Literal("63", datatype=XSD.integer)), to_python(ox.Literal("2014-11-25", datatype=XSD.date))
    (63, datetime.date(2014, 11, 25))
    >>> to_python(ox.Literal("2017-06", datatype=XSD.gYearMonth)), to_python(CKG.AirStrike)
    ('2017-06', 'https://w3id.org/conflict-kg/ontology#AirStrike')
    """
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        convert = _FROM_LEXICAL.get(term.datatype.value)
        if convert is not None:
            try:
                return convert(term.value)
            except ValueError:
                pass
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


__all__ = ["Term", "bind", "find", "label_of", "resolve", "to_python", "to_term", "adhoc_term"]

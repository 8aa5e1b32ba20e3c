"""Named queries: the ``queries/*.rq`` files, their parameters, and running them.

A named query is a SPARQL file in ``queries/``; its file stem is its name in
the CLI (``kg query NAME``) and the API (``KnowledgeGraph.query(NAME)``). The
prefixes of ``kg.vocab.PREFIXES`` are predeclared, so files declare none.

The file starts with a header of ``#`` lines::

    # Events of an actor, as agent, target or participant, in a date range.
    # A person's events count for the actor they are affiliated with.
    #
    # param: actor (actor, required) — an actor or person: IRI or any of its names, e.g. Islamic State
    # param: since (date) — on or after this date: YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2014-01-01

* The first line is the **summary** (one line); other lines that are not
  ``param:`` lines make the **description**.
* ``# param: NAME (TYPE[, required]) — DESCRIPTION, e.g. EXAMPLE`` declares a
  parameter: ``?NAME`` in the query. The dash may be ``—``, ``-`` or ``:``;
  the example, after the last ``e.g.``, must be a value that works on the
  seeds' graph (a test runs every query with its examples).

Parameter types, and what a value may be (always a string from the CLI):

==============  ===============================================================
``actor``       an actor or person: an IRI, or any of its names (``rdfs:label``
                or ``skos:altLabel``, case-insensitive), e.g. ``Daesh``
``place``       a place, the same way, e.g. ``Raqqa``
``event``       an event: an IRI or its label
``event_type``  an event class: ``AirStrike``, ``air strike``, ``Event``…
``iri``         an IRI: absolute, prefixed (``ckg:AirStrike``) or an instance
                key (``event/airstrike/…``, as tables print them)
``date``        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a ``datetime.date`` in
                Python); bound as ``xsd:gYear``, ``xsd:gYearMonth`` or ``xsd:date``
``string``      a plain string literal
``integer``     an ``xsd:integer``
``boolean``     ``true``/``false`` (also ``yes``/``no``, ``1``/``0``)
==============  ===============================================================

Values are bound with pyoxigraph's ``substitutions``, never written into the
query text. What pyoxigraph 0.5.13 does shapes how the files are written:

* A substituted variable must be in the ``SELECT`` projection, so every
  parameter is projected (and in ``GROUP BY`` when the query aggregates).
  :func:`run_query` drops a parameter's column from the result when the
  parameter is bound (it would repeat the value) or when it is empty.
* ``BOUND(?p)`` is false for a substituted variable, and ``BIND(?p AS ?x)``
  binds nothing. An optional parameter filters with
  ``FILTER(!COALESCE(sameTerm(?p, ?p), false) || condition)``: "not given, or
  the condition holds".
* Its plans vary from run to run, and a pattern or path in which an unbound
  parameter is a free end can take seconds. So an optional parameter appears
  only in expressions (``EXISTS { ?event ckg:place ?at FILTER(sameTerm(?at,
  ?p)) }``), and ``*`` paths start from a bound node. A required parameter is
  always bound, and may appear in patterns.
* ``GROUP_CONCAT``, ``MIN`` and ``MAX`` give nothing when any value in a group
  is unbound, so optional values are aggregated in a sub-select per event
  whose rows all have them (``OPTIONAL { SELECT ?event (GROUP_CONCAT(…)) … }``).
* The default graph is the union of the article graphs, and a triple stated by
  three articles matches three times: select ``DISTINCT``, count ``DISTINCT``.

Dates of events are compared by the period they cover: an event dated only
to a month or a year is kept when that period overlaps ``since``..``until``.

>>> store = GraphStore.open(None)
>>> run_query(store, "ASK { ckg:AirStrike rdfs:subClassOf ckg:Event }").rows
({'ask': True},)
>>> load_query("events_by_actor").parameters[0].name
'actor'
"""
from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.dates import DateValue
from kg.errors import QueryError
from kg.iris import IRI_KINDS
from kg.resources import resource_dir
from kg.store import GraphStore
from kg.vocab import CKG, EVENT_TYPES, ID_NS, PREFIXES, XSD, XSD_NS

PARAMETER_TYPES = ("actor", "place", "event", "event_type", "iri", "date", "string", "integer", "boolean")
RESULT_FORMATS = ("table", "json", "csv")

_NAME = re.compile(r"[a-z][a-z0-9_]*")
_PARAM = re.compile(r"param:\s*(?P<name>[A-Za-z_]\w*)\s*\(\s*(?P<type>\w+)\s*(?:,\s*(?P<required>\w+)\s*)?\)"
                    r"\s*(?:—|–|-|:)\s*(?P<rest>.*)")
_EXAMPLE = re.compile(r"(?P<description>.*)\s+e\.g\.\s+(?P<example>.+)")  # the last "e.g."
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S*")
_INTEGER_TYPES = frozenset("integer int long short byte nonNegativeInteger positiveInteger negativeInteger "
                           "nonPositiveInteger unsignedLong unsignedInt unsignedShort unsignedByte".split())
_FLOAT_TYPES = frozenset({"decimal", "double", "float"})
_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}
_MAX_CELL = 60
_CLASS_OF = {"actor": CKG.Actor, "place": CKG.Place, "event": CKG.Event}


@dataclass(frozen=True)
class Parameter:
    """One parameter of a named query, as its header declares it."""

    name: str
    type: str  # one of PARAMETER_TYPES
    description: str
    example: str | None = None
    required: bool = False


@dataclass(frozen=True)
class NamedQuery:
    """A query file: its name (the file stem), summary, description, parameters and text."""

    name: str
    summary: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path | None = None
    description: str = ""

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name``.

        Raises:
            QueryError: the query has no such parameter (the message lists those it has).
        """
        for p in self.parameters:
            if p.name == name:
                return p
        have = ", ".join(p.name for p in self.parameters) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r}; its parameters: {have}")


@dataclass(frozen=True)
class QueryResult:
    """What a query returned: column names, rows of Python values, and the RDF terms behind them.

    ``kind`` is ``select``, ``ask`` (one row, column ``ask``) or ``graph``
    (CONSTRUCT/DESCRIBE: columns ``subject``, ``predicate``, ``object``).
    """

    columns: tuple[str, ...]
    rows: tuple[dict[str, object], ...]
    terms: tuple[tuple[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None, ...], ...] = ()
    kind: str = "select"

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, object]]:
        return iter(self.rows)


# --------------------------------------------------------------------------- loading


def parse_header(text: str, *, origin: str = "query") -> tuple[str, str, tuple[Parameter, ...]]:
    """(summary, description, parameters) from the leading ``#`` lines of a query.

    Raises:
        QueryError: a ``param:`` line is malformed or names an unknown type.

    >>> summary, _, params = parse_header('''# Places an actor attacked.
    ... # param: actor (actor, required) — the attacker, e.g. Syrian government
    ... SELECT * WHERE {}''')
    >>> summary, params[0].type, params[0].required, params[0].example
    ('Places an actor attacked.', 'actor', True, 'Syrian government')
    """
    lines: list[str] = []
    params: list[Parameter] = []
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        content = stripped.lstrip("#").strip()
        if not content.lower().startswith("param:"):
            lines.append(content)
            continue
        match = _PARAM.fullmatch(content)
        if match is None:
            raise QueryError(f"{origin}:{number}: expected '# param: NAME (TYPE[, required]) — DESCRIPTION, "
                             f"e.g. EXAMPLE', got {content!r}")
        kind, required = match["type"], (match["required"] or "optional").lower()
        if kind not in PARAMETER_TYPES:
            raise QueryError(f"{origin}:{number}: unknown parameter type {kind!r}; expected one of: "
                             f"{', '.join(PARAMETER_TYPES)}")
        if required not in ("required", "optional"):
            raise QueryError(f"{origin}:{number}: expected 'required' or 'optional' after the type, got {required!r}")
        rest = match["rest"].strip()
        example = _EXAMPLE.fullmatch(rest)
        description, sample = (example["description"], example["example"].strip()) if example else (rest, None)
        params.append(Parameter(match["name"], kind, description.strip().rstrip(",;"), sample, required == "required"))
    while lines and not lines[-1]:
        lines.pop()
    summary = lines[0] if lines else ""
    description = " ".join(line for line in lines[1:] if line)
    return summary, description, tuple(params)


def _load(path: Path) -> NamedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"{path}: cannot read the query: {getattr(err, 'strerror', None) or err}") from None
    summary, description, params = parse_header(text, origin=str(path))
    return NamedQuery(path.stem, summary, params, text, path, description)


def _folder(directory: Path | str | None) -> Path:
    """``directory``, or the installed ``queries/``; a folder that is not there is an error, not "no queries"."""
    if directory is None:
        return resource_dir("queries")
    root = Path(directory)
    if not root.is_dir():
        raise QueryError(f"{root}: no such folder of queries")
    return root


def list_queries(directory: Path | str | None = None) -> list[NamedQuery]:
    """Every named query in ``directory`` (default: the installed ``queries/``), sorted by name.

    Raises:
        QueryError: the folder is not there, or a query file in it cannot be read or has a malformed header.
        ResourceError: the installed queries are missing.

    >>> "casualty_figures" in [q.name for q in list_queries()]
    True
    """
    return [_load(path) for path in sorted(_folder(directory).glob("*.rq"))]


def load_query(name: str, directory: Path | str | None = None) -> NamedQuery:
    """The named query ``name``.

    Raises:
        QueryError: there is no such query (the message lists the valid names).

    >>> load_query("meetings").summary
    'Diplomatic meetings: who met whom, where and when.'
    """
    root = _folder(directory)
    path = root / f"{name}.rq"
    if not _NAME.fullmatch(name) or not path.is_file():
        names = ", ".join(sorted(p.stem for p in root.glob("*.rq"))) or "none"
        raise QueryError(f"unknown query {name!r}; expected one of: {names}")
    return _load(path)


# --------------------------------------------------------------------------- binding values


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


_EXACT = """SELECT DISTINCT ?node ?how ?cls ?name WHERE {
  { ?node rdfs:label ?name BIND(0 AS ?how) } UNION { ?node skos:altLabel ?name BIND(1 AS ?how) }
  ?node a/rdfs:subClassOf* ?cls .
}"""
_ANY_CASE = """SELECT DISTINCT ?node ?how ?cls ?name WHERE {
  { ?node rdfs:label ?l BIND(0 AS ?how) } UNION { ?node skos:altLabel ?l BIND(1 AS ?how) }
  FILTER(LCASE(STR(?l)) = LCASE(STR(?name)))
  ?node a/rdfs:subClassOf* ?cls .
}"""
_IS_A = "SELECT ?node ?cls WHERE { ?node a/rdfs:subClassOf* ?cls } LIMIT 1"
_NAMES = "SELECT DISTINCT ?l ?cls WHERE { ?node a/rdfs:subClassOf* ?cls ; rdfs:label|skos:altLabel ?l }"
_LABEL = "SELECT ?label ?node WHERE { ?node rdfs:label ?label } ORDER BY ?label LIMIT 1"


def label_of(store: GraphStore, node: ox.NamedNode | str) -> str | None:
    """The ``rdfs:label`` of ``node`` (the first, when it has several), or None."""
    node = node if isinstance(node, ox.NamedNode) else ox.NamedNode(node)
    for row in store.query(_LABEL, substitutions={"node": node}):
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
        return [node] if any(True for _ in store.query(_IS_A, substitutions={"node": node, "cls": cls})) else []
    name = ox.Literal(value.strip())
    for sparql in (_EXACT, _ANY_CASE):
        found: dict[int, set[str]] = {}
        for row in store.query(sparql, substitutions={"name": name, "cls": cls}):
            found.setdefault(int(row["how"].value), set()).add(row["node"].value)
        if found:
            nodes = [ox.NamedNode(iri) for iri in sorted(found[min(found)])]
            return _broadest(store, nodes) if kind == "place" else nodes
    return []


_DEPTH = "SELECT (COUNT(DISTINCT ?up) AS ?depth) ?node WHERE { ?node ckg:locatedIn* ?up } GROUP BY ?node"


def _broadest(store: GraphStore, places: list[ox.NamedNode]) -> list[ox.NamedNode]:
    """Of places sharing a name, those with the fewest places around them (a city over its neighbourhoods)."""
    if len(places) < 2:
        return places
    depth = {p: int(next(iter(store.query(_DEPTH, substitutions={"node": p})))["depth"].value) for p in places}
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
    names = sorted({row["l"].value for row in store.query(_NAMES, substitutions={"cls": _CLASS_OF[kind]})})
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


def _adhoc_term(value: object) -> ox.NamedNode | ox.Literal:
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


# --------------------------------------------------------------------------- running


def to_python(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> object:
    """A Python value for an RDF term: IRIs and strings as str, numbers, booleans, ``xsd:date`` as a date.

    ``xsd:gYearMonth`` and ``xsd:gYear`` stay strings (``"2017-06"``, ``"2013"``).

    >>> to_python(ox.Literal("63", datatype=XSD.integer)), to_python(ox.Literal("2014-11-25", datatype=XSD.date))
    (63, datetime.date(2014, 11, 25))
    >>> to_python(ox.Literal("2017-06", datatype=XSD.gYearMonth)), to_python(CKG.AirStrike)
    ('2017-06', 'https://w3id.org/conflict-kg/ontology#AirStrike')
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if not isinstance(term, ox.Literal):
        return str(term)
    datatype = term.datatype.value
    local = datatype[len(XSD_NS):] if datatype.startswith(XSD_NS) else None
    try:
        if local in _INTEGER_TYPES:
            return int(term.value)
        if local in _FLOAT_TYPES:
            return float(term.value)
        if local == "boolean":
            return term.value.strip() in ("true", "1")
        if local == "date":
            return dt.date.fromisoformat(term.value)
        if local == "dateTime":
            return dt.datetime.fromisoformat(term.value)
    except ValueError:
        pass
    return term.value


def _execute(store: GraphStore, sparql: str, substitutions: dict[str, ox.NamedNode | ox.Literal],
             origin: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    try:
        return store.query(sparql, substitutions=substitutions)
    except SyntaxError as err:
        message = " ".join(str(err).split())
        raise QueryError(f"{origin}: not valid SPARQL: {message[:300]}") from None
    except RuntimeError as err:
        message = " ".join(str(err).split())
        if "SELECT projection" in message:
            message += " (pyoxigraph binds only variables that the SELECT clause lists)"
        raise QueryError(f"{origin}: {message}") from None
    except OSError as err:
        raise QueryError(f"{origin}: cannot read the store: {err}") from None


def _collect(answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> tuple[str, tuple[str, ...], list[tuple]]:
    if isinstance(answer, ox.QueryBoolean):
        return "ask", ("ask",), [(ox.Literal("true" if bool(answer) else "false", datatype=XSD.boolean),)]
    if isinstance(answer, ox.QuerySolutions):
        columns = tuple(v.value for v in answer.variables)
        return "select", columns, [tuple(solution[c] for c in columns) for solution in answer]
    triples = [(t.subject, t.predicate, t.object) for t in answer]
    return "graph", ("subject", "predicate", "object"), triples


def run_query(store: GraphStore, name_or_sparql: str, bindings: Mapping[str, object] | None = None, *,
              directory: Path | str | None = None) -> QueryResult:
    """Run a named query (``name_or_sparql`` is a name) or SPARQL text, with ``bindings``.

    For a named query, values are read by the parameters' declared types (see
    the module docstring) and a bound parameter's column is left out. For
    SPARQL text, a ``<...>`` value is an IRI and other values literals of their
    Python type; only projected variables can be bound.

    Raises:
        QueryError: unknown query or parameter, missing parameter, bad value, or invalid SPARQL.

    >>> store = GraphStore.open(None)
    >>> run_query(store, "SELECT ?n WHERE { BIND(42 AS ?n) }").rows
    ({'n': 42},)
    >>> run_query(store, "events_by_actor", {"colour": "red"})
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: query 'events_by_actor' has no parameter 'colour'; its parameters: actor, since, until
    """
    bindings = bindings or {}
    if _NAME.fullmatch(name_or_sparql.strip()):
        query = load_query(name_or_sparql.strip(), directory)
        substitutions = bind(store, query, bindings)
        kind, columns, raw = _collect(_execute(store, query.text, substitutions, str(query.path or query.name)))
        params = {p.name for p in query.parameters}
        keep = [i for i, c in enumerate(columns)
                if c not in params or (c not in substitutions and any(r[i] is not None for r in raw))]
        columns, raw = tuple(columns[i] for i in keep), [tuple(r[i] for i in keep) for r in raw]
    else:
        substitutions = {k: _adhoc_term(v) for k, v in bindings.items() if v is not None}
        kind, columns, raw = _collect(_execute(store, name_or_sparql, substitutions, "query"))
    rows = tuple({c: to_python(t) for c, t in zip(columns, r)} for r in raw)
    return QueryResult(columns, rows, tuple(raw), kind)


# --------------------------------------------------------------------------- output


def _short(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    """A cell for the table: instance IRIs as keys (``event/…``), vocabulary IRIs as prefixed names."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        if term.value.startswith(ID_NS):
            return term.value[len(ID_NS):]
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace) and re.fullmatch(r"[\w.-]*", term.value[len(namespace):]):
                return f"{prefix}:{term.value[len(namespace):]}"
        return term.value
    return _text(to_python(term))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return " ".join(str(value).split())


def _json_value(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """``result`` as text: an aligned ``table``, ``json`` (a list of row objects) or ``csv``.

    An ASK query's table is just ``true`` or ``false``. Tables shorten IRIs (``event/airstrike/…``, which ``-p`` accepts back;
    ``ckg:AirStrike``) and cut cells other than the last at 60 characters;
    JSON and CSV keep every value whole.

    >>> print(format_result(QueryResult(("n", "word"), ({"n": 1, "word": "one"}, {"n": 22, "word": None}))))
    n   word
    --  ----
    1   one
    22
    (2 rows)
    """
    if fmt == "json":
        rows = [{c: _json_value(v) for c, v in row.items()} for row in result.rows]
        return json.dumps(rows, ensure_ascii=False, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([_text(row[c]) if not isinstance(row[c], str) else row[c] for c in result.columns]
                         for row in result.rows)
        return buffer.getvalue().rstrip("\n")
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r}; expected one of: {', '.join(RESULT_FORMATS)}")
    if result.kind == "ask":
        return _text(result.rows[0]["ask"])
    if result.terms:
        cells = [[_short(t) for t in row] for row in result.terms]
    else:
        cells = [[_text(row[c]) for c in result.columns] for row in result.rows]
    last = len(result.columns) - 1
    cells = [[c if i == last or len(c) <= _MAX_CELL else c[:_MAX_CELL - 1] + "…" for i, c in enumerate(row)]
             for row in cells]
    widths = [max([len(name)] + [len(row[i]) for row in cells]) for i, name in enumerate(result.columns)]
    lines = ["  ".join(name.ljust(w) for name, w in zip(result.columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    count = len(result.rows)
    lines.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(lines)


def describe_queries(directory: Path | str | None = None) -> str:
    """The named queries as text for ``kg queries``: name, summary, then one line per parameter.

    >>> print(describe_queries().splitlines()[0])  # doctest: +ELLIPSIS
    actors — ...
    """
    out: list[str] = []
    for query in list_queries(directory):
        out.append(f"{query.name} — {query.summary}")
        width = max((len(p.name) for p in query.parameters), default=0)
        kinds = [f"({p.type}{', required' if p.required else ''})" for p in query.parameters]
        kind_width = max((len(k) for k in kinds), default=0)
        for p, kind in zip(query.parameters, kinds):
            example = f", e.g. {p.example}" if p.example else ""
            out.append(f"    {p.name.ljust(width)}  {kind.ljust(kind_width)}  {p.description}{example}")
        out.append("")
    out.append('Run one with: kg query NAME -p KEY=VALUE ...  (e.g. kg query events_by_actor -p actor="Islamic State")')
    return "\n".join(out)


__all__ = ["NamedQuery", "Parameter", "QueryResult", "PARAMETER_TYPES", "RESULT_FORMATS",
           "list_queries", "load_query", "run_query", "parse_header", "find", "resolve", "to_term", "to_python", "bind",
           "format_result", "describe_queries", "label_of"]

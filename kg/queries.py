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
* ``# param: none`` says the query takes none (the same as no ``param:`` line).
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

The queries the package runs itself (counting, looking names up, the export's
reads) sit beside them in ``queries/internal/``, with the same kind of header;
``kg queries`` and :func:`list_queries` read only the top folder, so they are
not named queries. :func:`kg.store.internal_query` loads one by name.

>>> store = GraphStore.open(None)
>>> run_query(store, "ASK { ckg:AirStrike rdfs:subClassOf ckg:Event }").rows
({'ask': True},)
>>> load_query("events_by_actor").parameters[0].name
'actor'
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryError
from kg.guard import check_query
from kg.resources import resource_dir
from kg.store import GraphStore
from kg.tables import RESULT_FORMATS, format_result
from kg.terms import Term, adhoc_term, bind, find, label_of, resolve, to_python, to_term
from kg.vocab import PREFIXES, XSD

LISTING_FORMATS = ("text", "json")
"""The formats :func:`describe_queries` writes."""
PARAMETER_TYPES = ("actor", "place", "event", "event_type", "iri", "date", "string", "integer", "boolean")

_NAME = re.compile(r"[a-z][a-z0-9_]*")
_PARAM = re.compile(r"param:\s*(?P<name>[A-Za-z_]\w*)\s*\(\s*(?P<type>\w+)\s*(?:,\s*(?P<required>\w+)\s*)?\)"
                    r"\s*(?:—|–|-|:)\s*(?P<rest>.*)")
_NO_PARAMS = re.compile(r"param:\s*none\.?", re.IGNORECASE)  # "# param: none" says so of a query without any
_EXAMPLE = re.compile(r"(?P<description>.*)\s+e\.g\.\s+(?P<example>.+)")  # the last "e.g."


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
    terms: tuple[tuple[Term | None, ...], ...] = ()
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
        if _NO_PARAMS.fullmatch(content):
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


# --------------------------------------------------------------------------- running


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
        return "select", columns, [tuple(solution) for solution in answer]  # its values, in column order
    triples = [(t.subject, t.predicate, t.object) for t in answer]
    return "graph", ("subject", "predicate", "object"), triples


def run_query(store: GraphStore, name_or_sparql: str, bindings: Mapping[str, object] | None = None, *,
              directory: Path | str | None = None, allow_service: bool = False) -> QueryResult:
    """Run a named query (``name_or_sparql`` is a name) or SPARQL text, with ``bindings``.

    SPARQL text must pass ``kg.guard.check_query`` (no SERVICE, nothing the guard cannot read) unless
    ``allow_service`` is True; named queries are the package's own files.

    For a named query, values are read by the parameters' declared types (see
    the module docstring) and a bound parameter's column is left out. For
    SPARQL text, a ``<...>`` value is an IRI and other values literals of their
    Python type; only projected variables can be bound.

    Raises:
        QueryError: unknown query or parameter, missing parameter, bad value, or invalid SPARQL.
        QueryRefused: SPARQL text the guard refuses (a QueryError too).

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
        substitutions = {k: adhoc_term(v) for k, v in bindings.items() if v is not None}
        if allow_service is not True:  # only an explicit True turns the guard off
            check_query(name_or_sparql, prefixes=PREFIXES)  # the prefixes GraphStore.query runs it with
        kind, columns, raw = _collect(_execute(store, name_or_sparql, substitutions, "query"))
    rows = tuple({c: to_python(t) for c, t in zip(columns, r)} for r in raw)
    return QueryResult(columns, rows, tuple(raw), kind)


def describe_queries(directory: Path | str | None = None, *, fmt: str = "text") -> str:
    """The named queries for ``kg queries``: as ``text`` (name, summary, one line per parameter) or ``json``.

    JSON is a list of ``{name, summary, description, parameters: [{name, type, required, description,
    example}]}``.

    Raises:
        QueryError: ``fmt`` is neither, or a query file is unreadable or malformed.

    >>> print(describe_queries().splitlines()[0])  # doctest: +ELLIPSIS
    actors — ...
    >>> json.loads(describe_queries(fmt="json"))[0]["name"]
    'actors'
    """
    queries = list_queries(directory)
    if fmt == "json":
        return json.dumps([{"name": q.name, "summary": q.summary, "description": q.description,
                            "parameters": [asdict(p) for p in q.parameters]} for q in queries],
                          ensure_ascii=False, indent=2)
    if fmt != "text":
        raise QueryError(f"unknown format {fmt!r}; expected one of: {', '.join(LISTING_FORMATS)}")
    out: list[str] = []
    for query in queries:
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


__all__ = ["NamedQuery", "Parameter", "QueryResult", "LISTING_FORMATS", "PARAMETER_TYPES", "RESULT_FORMATS",
           "list_queries", "load_query", "run_query", "parse_header", "find", "resolve", "to_term", "to_python", "bind",
           "format_result", "describe_queries", "label_of"]

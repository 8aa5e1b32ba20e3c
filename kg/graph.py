"""The Python API: open a knowledge graph, build it from articles, and ask it questions.

>>> from kg import KnowledgeGraph
>>> graph = KnowledgeGraph.open()          # in memory; KnowledgeGraph.open("kg-store") for a store on disk
>>> graph = _demo()                         # the same, holding two small articles (see _demo)
>>> [e.label for e in graph.events(actor="Daesh")]
['AirStrike in Raqqa, 2014-11-25']
>>> graph.actor("daesh").label
'Islamic State'
>>> graph.path("Russia", "Islamic State")
['Russia', 'DiplomaticMeeting in Sochi, 2014-11-26', 'Syrian government', 'AirStrike in Raqqa, 2014-11-25', 'Islamic State']
>>> graph.query("casualty_figures")[0]["killed"]
95
>>> graph.close()

Names are resolved as in the named queries (see ``kg.queries``): an IRI, or
any ``rdfs:label`` or ``skos:altLabel``, case-insensitively.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, BinaryIO, Self

from kg.errors import ExportError, QueryError
from kg.limits import MAX_CHARS
from kg.queries import Parameter, QueryResult, find, label_of, resolve, run_query, to_term
from kg.store import EXPORT_FORMATS, GraphStore, Stats, internal_query

if TYPE_CHECKING:
    import networkx as nx
    import pyoxigraph as ox

    from kg.build import BuildReport
    from kg.reading import ReadProblem
    from kg.validation import ValidationReport


@dataclass(frozen=True)
class Event:
    """One event: its IRI, type (``AirStrike``…), label, date (lexical: ``2014-11-25``, ``2017-06``,
    ``2013``) and place label, the labels of its agents, targets and participants, and the ids of
    the articles that report it."""

    iri: str
    type: str
    label: str
    date: str | None = None
    place: str | None = None
    agents: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Actor:
    """An actor or person: IRI, label, other names, ``kind`` (``actor`` or ``person``), classes
    (``ArmedGroup``, ``State``…) and, for a person, the label of the actor they are affiliated with."""

    iri: str
    label: str
    aliases: tuple[str, ...] = ()
    kind: str = "actor"
    classes: tuple[str, ...] = ()
    affiliation: str | None = None


@dataclass(frozen=True)
class Control:
    """An actor holding a place: who, since and until when (lexical dates at their precision; None: not known,
    or still held), the sentences that say so and the ids of their articles, and the IRI of a period of another
    actor that overlaps it (the sources disagree)."""

    controller: str
    since: str | None
    until: str | None
    evidence: tuple[str, ...]
    articles: tuple[str, ...]
    conflict: str | None
    iri: str


@dataclass(frozen=True)
class Neighbour:
    """A node linked to another by ``relation`` (agent, target, participant, place, affiliation,
    locatedIn). ``direction`` is ``out`` when the other node is the subject (``node relation
    neighbour``) and ``in`` when the neighbour is (``neighbour relation node``)."""

    relation: str
    direction: str
    label: str | None
    iri: str


_EVENT_FILTERS = {"actor": Parameter("actor", "actor", "an actor"), "place": Parameter("place", "place", "a place"),
                  "event_type": Parameter("type", "event_type", "an event class"),
                  "since": Parameter("since", "date", "on or after"), "until": Parameter("until", "date", "on or before")}
"""The parameters of ``queries/events.rq`` that :meth:`KnowledgeGraph.events` fills, with the keyword (and type) of each."""


class KnowledgeGraph:
    """A conflict knowledge graph in an Oxigraph store: build it, query it, walk it.

    Use it as a context manager, or call :meth:`close`, to release a store on disk.
    """

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    @classmethod
    def open(cls, path: str | Path | None = None, *, read_only: bool = False) -> KnowledgeGraph:
        """Open (or create) the graph stored at ``path``; ``None`` gives an empty graph in memory.

        Raises:
            StoreError: the path is a file, or another process holds the store.

        >>> KnowledgeGraph.open().stats()["events"]
        0
        """
        return cls(GraphStore.open(path, read_only=read_only))

    def __repr__(self) -> str:
        return f"KnowledgeGraph({self.store.url or (str(self.store.path) if self.store.path else 'in memory')!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Flush and release the store; the graph cannot be used after."""
        if not hasattr(self.store, "store"):
            return
        try:
            self.store.close()
        except RuntimeError:  # GraphStore.close flushes, which a read-only store refuses
            del self.store.store

    # --- building

    def build(self, paths: str | Path | Sequence[str | Path], *, columns: dict[str, str] | None = None,
              max_chars: int = MAX_CHARS, progress: bool | None = False,
              on_problem: Callable[[ReadProblem], None] | None = None, processes: int = 1,
              engine: str = "embedded", scheduler: str | None = None) -> BuildReport:
        """Read the articles under ``paths`` (files, folders, CSV, JSONL, HTML) into the graph.

        Unchanged articles are skipped, a text longer than ``max_chars`` is cut at the end of a sentence, and an
        input that cannot be built is a problem in the report; ``on_problem`` hears of each input skipped or read
        with a warning. ``processes`` > 1 parses in that many worker processes; ``engine="dask"`` on a Dask
        cluster (``scheduler``, or a local one of ``processes`` workers); the graph is the same either way (see
        ``kg.build.build``). Needs the spaCy model.
        """
        from kg.build import build

        if isinstance(paths, (str, Path)):
            paths = [paths]
        return build(list(paths), store=self.store, columns=columns, max_chars=max_chars, progress=progress,
                     on_problem=on_problem, processes=processes, engine=engine, scheduler=scheduler)

    def stats(self) -> Stats:
        """Counts of articles, actors, people, places, events (also by type) and quads; ``stats["events"]`` works too.

        >>> _demo().stats().events_by_type
        (('AirStrike', 1), ('DiplomaticMeeting', 1))
        """
        return self.store.counts()

    def validate(self) -> ValidationReport:
        """The graph checked against the SHACL shapes of ``ontology/shapes.ttl`` (see ``kg.validation``).

        >>> _demo().validate().violations
        0
        """
        from kg.validation import validate

        return validate(self.store.store)

    def dump(self, output: str | Path | BinaryIO, *, fmt: str = "nquads", ontology: bool = True,
             view: str = "full") -> None:
        """Write the graph to ``output`` (a path or a binary file): RDF (``nquads``, sorted; ``trig``; ``turtle``
        and ``ntriples``, the union of all graphs; the ontology graph only when ``ontology``), or one ``view`` of
        it for Gephi (``gexf``, ``graphml``; see ``kg.export``).

        Raises:
            ExportError: an unknown format or view, or the output cannot be written.
        """
        _dump(self.store, output, fmt, ontology=ontology, view=view)

    # --- asking

    def query(self, name_or_sparql: str, *, allow_service: bool = False, **bindings: object) -> list[dict[str, object]]:
        """Rows of a named query (see ``kg queries``) or of SPARQL text, as dicts of Python values.

        SPARQL text goes through the guard of ``kg.guard`` first: a query with ``SERVICE`` (which would make
        Oxigraph send an HTTP request to the IRI it names), or one the guard cannot read and so cannot prove
        free of it, raises :class:`~kg.errors.QueryRefused`. Pass ``allow_service=True`` only for text you trust:
        it skips the guard, and the query may then send requests to any address it names.

        >>> graph = _demo()
        >>> [row["location"] for row in graph.query("meetings", actor="Putin")]
        ['Sochi']
        >>> graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?e a ckg:AirStrike }")
        [{'n': 1}]
        >>> graph.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
        Traceback (most recent call last):
        ...
        kg.errors.QueryRefused: SERVICE is refused: no query here may send a request to another endpoint
        """
        return list(self.result(name_or_sparql, allow_service=allow_service, **bindings).rows)

    def result(self, name_or_sparql: str, /, *, allow_service: bool = False, **bindings: object) -> QueryResult:
        """What :meth:`query` returns the rows of, with the columns and the RDF terms behind the values; the
        same guard, and the same ``allow_service=False`` default.

        >>> _demo().result("SELECT ?n WHERE { BIND(1 AS ?n) }").columns
        ('n',)
        """
        return run_query(self.store, name_or_sparql, bindings, allow_service=allow_service)

    def events(self, *, actor: str | None = None, place: str | None = None, since: object = None,
               until: object = None, type: str | None = None) -> list[Event]:
        """Events in date order (undated last), narrowed as ``queries/events.rq`` narrows them.

        Args:
            actor: an actor or person (IRI or name); a person's events count for their actor.
            place: a place (IRI or name), including the places inside it.
            since, until: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or a ``datetime.date``; an event
                dated to a month or year is kept when that period overlaps the range.
            type: an event class, e.g. ``AirStrike`` or ``"diplomatic meeting"``.

        >>> [(e.date, e.type, e.participants) for e in _demo().events(place="Russia")]
        [('2014-11-26', 'DiplomaticMeeting', ('Syrian government', 'Vladimir Putin'))]
        """
        given = {"actor": actor, "place": place, "event_type": type, "since": since, "until": until}
        terms = {var: to_term(self.store, _EVENT_FILTERS[var], value) for var, value in given.items() if value is not None}
        return _events(run_query(self.store, "events", terms), self.store.query(internal_query("event_facts")))

    def controller(self, place: str, date: object) -> list[Control]:
        """Who held ``place`` (IRI or name) on ``date`` (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or a ``datetime.date``).

        More than one answer means the sources disagree; none, that nothing in the graph says.

        >>> _demo().controller("Raqqa", "2014-11-25")  # the demo's two articles say nothing of who held it
        []
        """
        return [_control(row) for row in run_query(self.store, "control_of", {"place": place, "date": date}).rows]

    def actor(self, name: str) -> Actor | None:
        """The actor or person called ``name`` (any alias, any case, or its IRI); None when there is none.

        Raises:
            QueryError: several actors go by that name equally well (the message lists them).

        >>> _demo().actor("putin")
        Actor(iri='https://w3id.org/conflict-kg/id/person/vladimir-putin', label='Vladimir Putin', aliases=('Putin',), kind='person', classes=('Person',), affiliation='Russia')
        """
        nodes = find(self.store, name, "actor")
        if not nodes:
            return None
        if len(nodes) > 1:
            resolve(self.store, name, "actor")  # raises, listing them
        return _actor(nodes[0].value, self.store.query(internal_query("actor_facts"), substitutions={"node": nodes[0]}))

    def neighbours(self, node: str) -> list[Neighbour]:
        """The nodes linked to ``node`` (an IRI, or the name of an actor, place or event) by any relation.

        Raises:
            QueryError: nothing has that name, or several nodes do (the message lists them).

        >>> [(n.relation, n.direction, n.label) for n in _demo().neighbours("Raqqa")]
        [('locatedIn', 'out', 'Syria'), ('place', 'in', 'AirStrike in Raqqa, 2014-11-25')]
        """
        target = _one_node(self.store, node)
        return [_neighbour(row) for row in self.store.query(internal_query("neighbours"), substitutions={"node": target})]

    def path(self, a: str, b: str, *, iris: bool = False) -> list[str]:
        """A shortest chain of shared events linking actor ``a`` to actor ``b``, as labels (or IRIs).

        The chain alternates actors and events; a person's events count for them
        and for the actor they are affiliated with. ``[]`` when nothing links them.

        Raises:
            QueryError: ``a`` or ``b`` names no actor, or several.

        >>> _demo().path("Vladimir Putin", "Daesh")
        ['Vladimir Putin', 'DiplomaticMeeting in Sochi, 2014-11-26', 'Syrian government', 'AirStrike in Raqqa, 2014-11-25', 'Islamic State']
        """
        start, end = resolve(self.store, a, "actor").value, resolve(self.store, b, "actor").value
        chain = _chain(self.store.query(internal_query("taking_part")), start, end)
        return chain if iris else [label_of(self.store, iri) or iri for iri in chain]

    def to_networkx(self, *, view: str = "full") -> nx.Graph:
        """The graph as networkx: ``full``, ``actors`` or ``events`` (see ``kg.export.to_networkx``)."""
        from kg.export import to_networkx

        return to_networkx(self.store, view=view)


def _demo() -> KnowledgeGraph:
    """A graph in memory holding two small articles: an air strike on Raqqa and a meeting in Sochi.

    For the examples in this module; built from records as ``kg build`` would write them.
    """
    from kg.dates import DateValue
    from kg.rdf import article_quads
    from kg.reading import Article
    from kg.canonical import resolve_store
    from kg.claims import ArticleRecord, CasualtyFigures, Entity, EventClaim, Evidence

    syria = Entity("place", "country/sy", "Syria", ("Country",))
    raqqa = Entity("place", "sy/raqqa", "Raqqa", ("City",), ("Raqa",), parent=syria.ref)
    russia_place = Entity("place", "country/ru", "Russia", ("Country",))
    sochi = Entity("place", "ru/sochi", "Sochi", ("City",), parent=russia_place.ref)
    government = Entity("actor", "syrian-government", "Syrian government", ("Government",), ("Assad regime",))
    islamic_state = Entity("actor", "islamic-state", "Islamic State", ("ArmedGroup",), ("Daesh", "IS"))
    russia = Entity("actor", "russia", "Russia", ("Government", "State"), ("Moscow",))
    putin = Entity("person", "vladimir-putin", "Vladimir Putin", (), ("Putin",), affiliation=russia.ref)
    strike_text = "Syrian regime air strikes on Raqa killed at least 95 people."
    strike = ArticleRecord(
        Article("a1", strike_text, published=DateValue(2014, 11, 26).first_day(), source="AFP"), "1" * 64,
        (syria, raqqa, government, islamic_state),
        events=(EventClaim("AirStrike", DateValue(2014, 11, 25), raqqa.ref,
                              agents=(government.ref,), targets=(islamic_state.ref,),
                              evidence=(Evidence(strike_text, 0, len(strike_text)),),
                              casualties=(CasualtyFigures(killed=95, qualifier="at least"),)),))
    meeting_text = "A Syrian regime delegation was due to meet Russian President Vladimir Putin in Sochi."
    meeting = ArticleRecord(
        Article("a2", meeting_text, published=DateValue(2014, 11, 26).first_day(), source="AFP"), "2" * 64,
        (russia_place, sochi, government, russia, putin),
        events=(EventClaim("DiplomaticMeeting", DateValue(2014, 11, 26), sochi.ref,
                              participants=(government.ref, putin.ref),
                              evidence=(Evidence(meeting_text, 0, len(meeting_text)),)),))
    graph = KnowledgeGraph.open()
    for record in (strike, meeting):
        graph.store.replace_graph(*article_quads(record))
    resolve_store(graph.store)
    return graph


def _dump(store: GraphStore, output: str | Path | BinaryIO, fmt: str, *, ontology: bool, view: str) -> None:
    """:meth:`KnowledgeGraph.dump`: RDF from the store itself, Gephi files through ``kg.export``."""
    if fmt not in EXPORT_FORMATS:
        from kg.export import FORMATS, export_graph

        if fmt not in FORMATS:
            raise ExportError(f"unknown format {fmt!r}; expected one of: {', '.join([*EXPORT_FORMATS, *FORMATS])}")
        return export_graph(store, output, fmt=fmt, view=view)
    try:
        store.dump(output, fmt, ontology=ontology)
    except OSError as err:
        where = output if isinstance(output, (str, Path)) else getattr(output, "name", "output")
        raise ExportError(f"{where}: cannot write: {err.strerror or err}") from None


def _one_node(store: GraphStore, node: str) -> ox.NamedNode:
    """The one actor, place or event that ``node`` (an IRI or a name) names; QueryError if none or several."""
    found = {iri.value: iri for kind in ("actor", "place", "event") for iri in find(store, node, kind)}
    if not found:
        raise QueryError(f"no actor, place or event named {node!r} in the graph")
    if len(found) > 1:
        choices = "; ".join(f"{label_of(store, iri) or iri} <{iri}>" for iri in sorted(found))
        raise QueryError(f"{node!r} names several nodes: {choices}; pass an IRI instead")
    (target,) = found.values()
    return target


def _neighbour(row: ox.QuerySolution) -> Neighbour:
    return Neighbour(row["relation"].value, row["direction"].value,
                     row["label"].value if row["label"] is not None else None, row["other"].value)


def _control(row: dict[str, object]) -> Control:
    return Control(str(row["controller"]), _lexical(row["since"]), _lexical(row["until"]),
                   _split(row["evidence"], " | "), _split(row["sources"], "; "), _lexical(row["conflict"]),
                   str(row["period"]))


def _actor(iri: str, facts: Iterable[ox.QuerySolution]) -> Actor:
    """The Actor record of ``iri`` from the rows of ``queries/internal/actor_facts.rq``."""
    told: dict[str, list[str]] = {"label": [], "alias": [], "class": [], "affiliation": []}
    for row in facts:
        told[_value(row["rel"])].append(_value(row["value"]))
    label = min(told["label"]) if told["label"] else iri
    classes = tuple(sorted(set(told["class"])))
    return Actor(iri, label, tuple(sorted(set(told["alias"]) - {label})), "person" if "Person" in classes else "actor",
                 classes, "; ".join(sorted(set(told["affiliation"]))) or None)


def _chain(taking_part: Iterable[ox.QuerySolution], start: str, end: str) -> list[str]:
    """A shortest chain of actors and shared events from ``start`` to ``end`` (rows of ``taking_part.rq``); [] for none."""
    import networkx as nx

    if start == end:
        return [start]
    graph = nx.Graph()
    for row in taking_part:
        graph.add_edge(_value(row["event"]), _value(row["who"]))
        if row["affiliation"] is not None:
            graph.add_edge(_value(row["event"]), _value(row["affiliation"]))
    try:
        return list(nx.shortest_path(graph, start, end))
    except (nx.NodeNotFound, nx.NetworkXNoPath):
        return []


def _events(selected: QueryResult, facts: Iterable[ox.QuerySolution]) -> list[Event]:
    """Event records of the events ``selected`` (rows of ``queries/events.rq``, in its order), with their ``facts``."""
    told: dict[str, dict[str, list[str]]] = {}
    for row in facts:
        told.setdefault(row["event"].value, {}).setdefault(row["rel"].value, []).append(row["value"].value)
    column = {name: n for n, name in enumerate(selected.columns)}
    events: dict[str, Event] = {}
    for terms in selected.terms:
        iri, date = _value(terms[column["event"]]), terms[column["date"]]
        if iri in events:
            continue
        of = told.get(iri, {})
        events[iri] = Event(iri, _value(terms[column["type"]]), _value(terms[column["label"]]),
                            None if date is None else _value(date), "; ".join(of.get("place", ())) or None,
                            *(tuple(of.get(rel, ())) for rel in ("agent", "target", "participant", "article")))
    return list(events.values())


def _value(term: object) -> str:
    """The lexical value of a result term (an IRI's, a literal's)."""
    return str(getattr(term, "value", term))


def _split(value: object, separator: str) -> tuple[str, ...]:
    """The parts of a cell of joined values (none when it is empty)."""
    return tuple(str(value).split(separator)) if value else ()


def _lexical(value: object) -> str | None:
    """A date cell as its lexical form (``2013``, ``2015-05``, ``2017-10-14``)."""
    return None if value is None else str(value)


__all__ = ["KnowledgeGraph", "Control", "Event", "Actor", "Neighbour", "Stats"]

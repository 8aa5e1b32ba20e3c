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

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from kg.errors import QueryError
from kg.limits import MAX_CHARS
from kg.queries import Parameter, find, label_of, resolve, run_query, to_term
from kg.store import GraphStore

if TYPE_CHECKING:
    import networkx as nx

    from kg.build import BuildReport


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


_EVENTS = """SELECT DISTINCT ?event ?type ?label ?date ?start ?rel ?value ?actor ?place ?event_type ?since ?until
WHERE {
  ?event a ?class .
  ?class rdfs:subClassOf+ ckg:Event .
  BIND(STRAFTER(STR(?class), "#") AS ?type)
  FILTER(!COALESCE(sameTerm(?event_type, ?event_type), false)
         || EXISTS { ?class rdfs:subClassOf* ?super FILTER(sameTerm(?super, ?event_type)) })
  FILTER(!COALESCE(sameTerm(?actor, ?actor), false)
         || EXISTS { ?event ckg:agent|ckg:target|ckg:participant ?who . OPTIONAL { ?who ckg:affiliation ?side }
                     FILTER(sameTerm(?who, ?actor) || sameTerm(?side, ?actor)) })
  FILTER(!COALESCE(sameTerm(?place, ?place), false)
         || EXISTS { ?event ckg:place ?at
                     FILTER(sameTerm(?at, ?place) || EXISTS { ?at ckg:locatedIn+ ?around FILTER(sameTerm(?around, ?place)) }) })
  { SELECT ?event (MIN(?name) AS ?label) WHERE { ?event rdfs:label ?name } GROUP BY ?event }
  OPTIONAL { SELECT ?event (MIN(?given) AS ?date) WHERE {
               ?event ckg:date ?given
               FILTER NOT EXISTS { ?event ckg:date ?finer FILTER(STRLEN(STR(?finer)) > STRLEN(STR(?given))) }
             } GROUP BY ?event }
  BIND(STR(?date) AS ?d)
  BIND(CONCAT(?d, SUBSTR("-01-01", STRLEN(?d) - 3)) AS ?start)
  BIND(CONCAT(?d, SUBSTR("-12-31", STRLEN(?d) - 3)) AS ?end)
  FILTER(!COALESCE(sameTerm(?since, ?since), false)
         || ?end >= CONCAT(STR(?since), SUBSTR("-01-01", STRLEN(STR(?since)) - 3)))
  FILTER(!COALESCE(sameTerm(?until, ?until), false)
         || ?start <= CONCAT(STR(?until), SUBSTR("-12-31", STRLEN(STR(?until)) - 3)))
  OPTIONAL {
    { ?event ckg:place/rdfs:label ?value BIND("place" AS ?rel) }
    UNION { ?event ckg:agent/rdfs:label ?value BIND("agent" AS ?rel) }
    UNION { ?event ckg:target/rdfs:label ?value BIND("target" AS ?rel) }
    UNION { ?event ckg:participant/rdfs:label ?value BIND("participant" AS ?rel) }
    UNION { ?event ckg:reportedIn/dcterms:identifier ?value BIND("article" AS ?rel) }
  }
}
ORDER BY (!BOUND(?date)) ?start ?label ?event ?rel ?value"""
"""Events as one row per fact; the filters are those of ``queries/events.rq`` (a test keeps them in step)."""

_EVENT_FILTERS = {"actor": Parameter("actor", "actor", "an actor"), "place": Parameter("place", "place", "a place"),
                  "event_type": Parameter("type", "event_type", "an event class"),
                  "since": Parameter("since", "date", "on or after"), "until": Parameter("until", "date", "on or before")}
"""The variables of ``_EVENTS`` that filter, with the keyword (and type) that gives each."""

_ACTOR = """SELECT DISTINCT ?rel ?value ?node WHERE {
  { ?node rdfs:label ?value BIND("label" AS ?rel) }
  UNION { ?node skos:altLabel ?value BIND("alias" AS ?rel) }
  UNION { ?node a ?class . ?class rdfs:subClassOf* ckg:Actor . FILTER(?class != ckg:Actor)
          BIND(STRAFTER(STR(?class), "#") AS ?value) BIND("class" AS ?rel) }
  UNION { ?node ckg:affiliation/rdfs:label ?value BIND("affiliation" AS ?rel) }
}"""

_NEIGHBOURS = """SELECT DISTINCT ?relation ?direction ?label ?other ?node WHERE {
  VALUES ?property { ckg:agent ckg:target ckg:participant ckg:place ckg:affiliation ckg:locatedIn }
  { ?node ?property ?other BIND("out" AS ?direction) } UNION { ?other ?property ?node BIND("in" AS ?direction) }
  BIND(STRAFTER(STR(?property), "#") AS ?relation)
  OPTIONAL { SELECT ?other (MIN(?name) AS ?label) WHERE { ?other rdfs:label ?name } GROUP BY ?other }
}
ORDER BY ?relation ?direction ?label ?other"""

_TAKING_PART = """SELECT DISTINCT ?event ?who ?affiliation WHERE {
  ?event ckg:agent|ckg:target|ckg:participant ?who .
  OPTIONAL { ?who ckg:affiliation ?affiliation }
}
ORDER BY ?event ?who ?affiliation"""


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
        return f"KnowledgeGraph({str(self.store.path) if self.store.path else 'in memory'!r})"

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
              max_chars: int = MAX_CHARS, progress: bool = False) -> BuildReport:
        """Read the articles under ``paths`` (files, folders, CSV, JSONL, HTML) into the graph.

        Unchanged articles are skipped, a text longer than ``max_chars`` is cut at the end of a sentence, and
        an input that cannot be built is a problem in the report; see ``kg.build.build``. Needs the spaCy model.
        """
        from kg.build import build

        if isinstance(paths, (str, Path)):
            paths = [paths]
        return build(list(paths), store=self.store, columns=columns, max_chars=max_chars, progress=progress)

    def stats(self) -> dict[str, int]:
        """Counts of articles, actors, people, places, events (also by type) and quads."""
        return self.store.counts()

    # --- asking

    def query(self, name_or_sparql: str, **bindings: object) -> list[dict[str, object]]:
        """Rows of a named query (see ``kg queries``) or of SPARQL text, as dicts of Python values.

        >>> graph = _demo()
        >>> [row["location"] for row in graph.query("meetings", actor="Putin")]
        ['Sochi']
        >>> graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?e a ckg:AirStrike }")
        [{'n': 1}]
        """
        return list(run_query(self.store, name_or_sparql, bindings).rows)

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
        subs = {var: to_term(self.store, _EVENT_FILTERS[var], value) for var, value in given.items() if value is not None}
        found: dict[str, dict[str, Any]] = {}
        for row in self.store.query(_EVENTS, substitutions=subs):
            iri = row["event"].value
            entry = found.setdefault(iri, {"iri": iri, "type": row["type"].value, "label": row["label"].value,
                                           "date": row["date"].value if row["date"] is not None else None,
                                           "place": [], "agent": [], "target": [], "participant": [], "article": []})
            if row["rel"] is not None and row["value"].value not in entry[row["rel"].value]:
                entry[row["rel"].value].append(row["value"].value)
        return [Event(e["iri"], e["type"], e["label"], e["date"], "; ".join(e["place"]) or None,
                      tuple(e["agent"]), tuple(e["target"]), tuple(e["participant"]), tuple(e["article"]))
                for e in found.values()]

    def controller(self, place: str, date: object) -> list[Control]:
        """Who held ``place`` (IRI or name) on ``date`` (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or a ``datetime.date``).

        More than one answer means the sources disagree; none, that nothing in the graph says.

        >>> _demo().controller("Raqqa", "2014-11-25")  # the demo's two articles say nothing of who held it
        []
        """
        rows = run_query(self.store, "control_of", {"place": place, "date": date}).rows
        return [Control(r["controller"], _lexical(r["since"]), _lexical(r["until"]),
                        tuple((r["evidence"] or "").split(" | ")) if r["evidence"] else (),
                        tuple((r["sources"] or "").split("; ")) if r["sources"] else (), r["conflict"], r["period"])
                for r in rows]

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
        node = nodes[0]
        facts: dict[str, list[str]] = {"label": [], "alias": [], "class": [], "affiliation": []}
        for row in self.store.query(_ACTOR, substitutions={"node": node}):
            facts[row["rel"].value].append(row["value"].value)
        label = min(facts["label"]) if facts["label"] else node.value
        classes = tuple(sorted(set(facts["class"])))
        return Actor(node.value, label, tuple(sorted(set(facts["alias"]) - {label})),
                     "person" if "Person" in classes else "actor", classes,
                     "; ".join(sorted(set(facts["affiliation"]))) or None)

    def neighbours(self, node: str) -> list[Neighbour]:
        """The nodes linked to ``node`` (an IRI, or the name of an actor, place or event) by any relation.

        Raises:
            QueryError: nothing has that name, or several nodes do (the message lists them).

        >>> [(n.relation, n.direction, n.label) for n in _demo().neighbours("Raqqa")]
        [('locatedIn', 'out', 'Syria'), ('place', 'in', 'AirStrike in Raqqa, 2014-11-25')]
        """
        found = {iri.value: iri for kind in ("actor", "place", "event") for iri in find(self.store, node, kind)}
        if not found:
            raise QueryError(f"no actor, place or event named {node!r} in the graph")
        if len(found) > 1:
            choices = "; ".join(f"{label_of(self.store, iri) or iri} <{iri}>" for iri in sorted(found))
            raise QueryError(f"{node!r} names several nodes: {choices}; pass an IRI instead")
        (target,) = found.values()
        return [Neighbour(row["relation"].value, row["direction"].value,
                          row["label"].value if row["label"] is not None else None, row["other"].value)
                for row in self.store.query(_NEIGHBOURS, substitutions={"node": target})]

    def path(self, a: str, b: str, *, iris: bool = False) -> list[str]:
        """A shortest chain of shared events linking actor ``a`` to actor ``b``, as labels (or IRIs).

        The chain alternates actors and events; a person's events count for them
        and for the actor they are affiliated with. ``[]`` when nothing links them.

        Raises:
            QueryError: ``a`` or ``b`` names no actor, or several.

        >>> _demo().path("Vladimir Putin", "Daesh")
        ['Vladimir Putin', 'DiplomaticMeeting in Sochi, 2014-11-26', 'Syrian government', 'AirStrike in Raqqa, 2014-11-25', 'Islamic State']
        """
        import networkx as nx

        start, end = resolve(self.store, a, "actor").value, resolve(self.store, b, "actor").value
        graph = nx.Graph()
        for row in self.store.query(_TAKING_PART):
            graph.add_edge(row["event"].value, row["who"].value)
            if row["affiliation"] is not None:
                graph.add_edge(row["event"].value, row["affiliation"].value)
        if start == end:
            chain = [start]
        else:
            try:
                chain = nx.shortest_path(graph, start, end)
            except (nx.NodeNotFound, nx.NetworkXNoPath):
                return []
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
        Article("a1", strike_text, published=DateValue(2014, 11, 26).first_day(), source="AFP"), "01",
        (syria, raqqa, government, islamic_state),
        events=(EventClaim("AirStrike", DateValue(2014, 11, 25), raqqa.ref,
                              agents=(government.ref,), targets=(islamic_state.ref,),
                              evidence=(Evidence(strike_text, 0, len(strike_text)),),
                              casualties=(CasualtyFigures(killed=95, qualifier="at least"),)),))
    meeting_text = "A Syrian regime delegation was due to meet Russian President Vladimir Putin in Sochi."
    meeting = ArticleRecord(
        Article("a2", meeting_text, published=DateValue(2014, 11, 26).first_day(), source="AFP"), "02",
        (russia_place, sochi, government, russia, putin),
        events=(EventClaim("DiplomaticMeeting", DateValue(2014, 11, 26), sochi.ref,
                              participants=(government.ref, putin.ref),
                              evidence=(Evidence(meeting_text, 0, len(meeting_text)),)),))
    graph = KnowledgeGraph.open()
    for record in (strike, meeting):
        graph.store.replace_graph(*article_quads(record))
    resolve_store(graph.store)
    return graph


def _lexical(value: object) -> str | None:
    """A date cell as its lexical form (``2013``, ``2015-05``, ``2017-10-14``)."""
    return None if value is None else str(value)


__all__ = ["KnowledgeGraph", "Control", "Event", "Actor", "Neighbour"]

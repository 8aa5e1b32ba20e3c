"""The claims of the article graphs read back as resolution's records: event and entity claims, statements of
control, the names of the reference entities, and the overrides of the curation graph. Only index lookups
(``quads_for_pattern``), no SPARQL; any store of ``kg.backend`` will do.
"""
from __future__ import annotations

import datetime as dt

import pyoxigraph as ox

from kg.backend import Backend
from kg.control import ControlStatement
from kg.dates import DateValue
from kg.errors import StoreError
from kg.iris import ref_of
from kg.resolution import Claim, EntityClaim, FigureReport, Roles
from kg.vocab import CKG, CURATION_GRAPH, ENTITIES_GRAPH, RDF, RDFS, SCHEMA, SKOS

_CLAIM_ROLES = (CKG.saysAgent, CKG.saysTarget, CKG.saysParticipant, CKG.saysClaimedBy, CKG.saysAccusedBy)

_Node = ox.NamedNode | ox.BlankNode | ox.Triple | ox.DefaultGraph
"""A quad's subject or graph name."""
_Object = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
"""A quad's object."""


def term_value(term: object) -> str:
    """The value of an IRI, a blank node or a literal.

    Raises:
        StoreError: ``term`` is none of them (an RDF 1.2 triple term, the default graph).
    """
    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return term.value
    raise StoreError(f"expected an IRI or a literal in the store, got {term}")


def _ref(term: object) -> str:
    """The ``kind/key`` ref of an IRI conflict-kg minted.

    Raises:
        StoreError: ``term`` is not such an IRI.
    """
    ref = ref_of(term_value(term))
    if ref is None:
        raise StoreError(f"expected an IRI conflict-kg minted in the store, got {term}")
    return ref


def event_and_entity_claims(store: Backend) -> tuple[list[Claim], list[EntityClaim]]:
    """Every article's event claims and entity claims, as resolution reads them (index lookups per claim).

    >>> event_and_entity_claims(ox.Store())
    ([], [])
    """
    articles: dict[_Node, tuple[dt.date | None, str | None]] = {}

    def article(graph: _Node) -> tuple[dt.date | None, str | None]:
        if graph not in articles:
            props = _props(store, graph, graph)
            published = props.get(SCHEMA.datePublished)
            outlet = props.get(CKG.sourceOutlet)
            articles[graph] = (dt.date.fromisoformat(term_value(published[0])[:10]) if published else None,
                               term_value(outlet[0]) if outlet else None)
        return articles[graph]

    events: list[Claim] = []
    for quad in store.quads_for_pattern(None, RDF.type, CKG.EventClaim, None):
        node, graph = quad.subject, quad.graph_name
        props = _props(store, node, graph)
        published, outlet = article(graph)
        refs = {p: tuple(sorted(r for o in props.get(p, ()) if (r := ref_of(term_value(o))))) for p in _CLAIM_ROLES}
        figures = tuple(_figures(store, report, graph, other=prop == CKG.saysOtherCasualties)
                        for prop in (CKG.saysCasualties, CKG.saysOtherCasualties)
                        for report in sorted(props.get(prop, ()), key=str))
        date = props.get(CKG.saysDate)
        place = props.get(CKG.saysPlace)
        precision = props.get(CKG.saysPlacePrecision)
        events.append(Claim(
            _ref(node), _ref(graph), term_value(props[CKG.saysType][0]).rsplit("#", 1)[1], published,
            outlet, DateValue.parse(term_value(date[0])) if date else None, _ref(place[0]) if place else None,
            Roles(*(refs[p] for p in _CLAIM_ROLES)), tuple(sorted(_ref(m) for m in props.get(CKG.readFrom, ()))),
            figures, CKG.changesHands in props, term_value(precision[0]) if precision else None))
    entities: list[EntityClaim] = []
    for quad in store.quads_for_pattern(None, RDF.type, CKG.EntityClaim, None):
        node, graph = quad.subject, quad.graph_name
        props = _props(store, node, graph)
        name = props.get(CKG.saysName)
        container = props.get(CKG.saysContainer)
        affiliation = props.get(CKG.saysAffiliation)
        classes = tuple(sorted(term_value(c).rsplit("#", 1)[1] for c in props.get(CKG.saysClass, ())
                               if c not in (CKG.Actor, CKG.Person, CKG.Place)))
        entities.append(EntityClaim(
            _ref(node), _ref(graph), term_value(props[CKG.saysKey][0]), term_value(name[0]) if name else None,
            tuple(sorted(term_value(a) for a in props.get(CKG.saysAlias, ()))), classes,
            _ref(container[0]) if container else None, _ref(affiliation[0]) if affiliation else None))
    events.sort(key=lambda c: c.ref)
    entities.sort(key=lambda c: c.ref)
    return events, entities

def control_claims(store: Backend) -> list[ControlStatement]:
    """Every article's statements of who holds a place."""
    out = []
    for quad in store.quads_for_pattern(None, RDF.type, CKG.ControlClaim, None):
        node, graph = quad.subject, quad.graph_name
        props = _props(store, node, graph)
        observed, since = props.get(CKG.saysDate), props.get(CKG.saysSince)
        out.append(ControlStatement(
            _ref(node), _ref(graph), _ref(props[CKG.saysPlace][0]), _ref(props[CKG.saysController][0]),
            tuple(sorted(_ref(m) for m in props.get(CKG.readFrom, ()))),
            DateValue.parse(term_value(observed[0])) if observed else None,
            DateValue.parse(term_value(since[0])) if since else None))
    return sorted(out, key=lambda c: c.ref)

def _props(store: Backend, node: _Node, graph: _Node) -> dict[ox.NamedNode, list[_Object]]:
    out: dict[ox.NamedNode, list[_Object]] = {}
    for quad in store.quads_for_pattern(node, None, None, graph):  # type: ignore[arg-type]
        out.setdefault(quad.predicate, []).append(quad.object)
    return out

def _figures(store: Backend, report: _Object, graph: _Node, *, other: bool = False) -> FigureReport:
    props = _props(store, report, graph)  # type: ignore[arg-type]

    def number(prop: ox.NamedNode) -> int | None:
        values = props.get(prop)
        return int(term_value(values[0])) if values else None

    qualifier = props.get(CKG.qualifier)
    source = props.get(CKG.saysReportedBy)
    return FigureReport(_ref(report), number(CKG.killed), number(CKG.civiliansKilled), number(CKG.injured),
                        term_value(qualifier[0]) if qualifier else "exact", _ref(source[0]) if source else None,
                        other)

def entity_names(store: Backend) -> tuple[dict[str, str], dict[str, set[str]]]:
    """(ref -> label, ref -> every name) of the reference entities (the entities graph)."""
    labels: dict[str, str] = {}
    names: dict[str, set[str]] = {}
    for prop in (RDFS.label, SKOS.altLabel):
        for quad in store.quads_for_pattern(None, prop, None, ENTITIES_GRAPH):
            if (ref := ref_of(term_value(quad.subject))) is not None:
                names.setdefault(ref, set()).add(term_value(quad.object))
                if prop == RDFS.label:
                    labels[ref] = term_value(quad.object)
    return labels, names


def stored_overrides(store: Backend) -> list[list[str]]:
    """The overrides of the curation graph as the lines of ``curation.tsv`` (``kg.rdf.curation_quads`` wrote them):
    action, first, second, note; the refs of a side sorted and comma-separated, the lines in their order.

    >>> from kg.rdf import curation_quads
    >>> store = ox.Store()
    >>> store.extend(curation_quads([["same", "claim/a/2,claim/a/1", "claim/b/1", "x / y"]]))
    >>> stored_overrides(store)
    [['same', 'claim/a/1,claim/a/2', 'claim/b/1', 'x / y']]
    """
    props: dict[str, dict[ox.NamedNode, list[_Object]]] = {}
    for quad in store.quads_for_pattern(None, None, None, CURATION_GRAPH):
        props.setdefault(term_value(quad.subject), {}).setdefault(quad.predicate, []).append(quad.object)
    rows: list[tuple[int, list[str]]] = []
    for node, told in props.items():
        action = term_value(told[CKG.action][0])
        first = ",".join(sorted(_ref(o) for o in told.get(CKG.first, [])))
        second = (term_value(told[SKOS.altLabel][0]) if action == "alias"
                  else ",".join(sorted(_ref(o) for o in told.get(CKG.second, []))))
        note = told.get(RDFS.comment)
        number = int(_ref(ox.NamedNode(node)).rsplit("/", 1)[-1])
        rows.append((number, [action, first, second, term_value(note[0]) if note else ""]))
    return [row for _, row in sorted(rows)]


__all__ = ["control_claims", "entity_names", "event_and_entity_claims", "stored_overrides", "term_value"]

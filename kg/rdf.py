"""Records -> quads (no I/O), for the two layers of the store.

*Article layer.* An article's named graph (named by the article's IRI) holds
what that article says: its metadata, its event claims and entity claims
(article-local IRIs, ``ckg:says…`` properties), the sentences they were read
from and the figures it gives. Reference entities (the gazetteer's places, the
lexicon's actors) go to the entities graph.

*Canonical layer.* The canonical graph holds what resolution made of every
claim: one node per real event with its type, place, date, roles, the articles
that report it, its evidence and figures, and ``ckg:resolvedTo`` from each claim;
the people, places and groups texts describe; the names articles use.

>>> from kg.reading import Article
>>> record = ArticleRecord(Article(id="a1", text="Hello."), content_hash="00")
>>> graph, own, shared = article_quads(record)
>>> graph.value
'https://w3id.org/conflict-kg/id/article/a1'
>>> len(own), len(shared)
(4, 0)
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode, Quad

from kg.claims import ArticleRecord, CasualtyFigures, ControlClaim, Entity, EventClaim, Evidence
from kg.iris import mint_iri, name_key, ref_iri
from kg.control import ControlPeriod
from kg.dates import DateValue
from kg.resolution import CanonicalEntity, CanonicalEvent, Resolution
from kg.vocab import (CANONICAL_GRAPH, CKG, CURATION_GRAPH, DCTERMS, ENTITIES_GRAPH, GEO, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, XSD,
                      GEONAMES_NS, WIKIDATA_NS)

KIND_CLASS = {"actor": CKG.Actor, "person": CKG.Person, "place": CKG.Place}


def _int(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def _dated(value: DateValue) -> Literal:
    """A date at its precision: ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``."""
    return Literal(value.lexical(), datatype=XSD.term(value.xsd))


def _decimal(value: float) -> Literal:
    """A decimal in the form the store keeps it (so a re-resolution finds it unchanged).

    >>> _decimal(0.5).value, _decimal(1.0).value, _decimal(0.875).value
    ('0.5', '1', '0.875')
    """
    return Literal(f"{value:.3f}".rstrip("0").rstrip("."), datatype=XSD.decimal)


def with_name_keys(quads: Iterable[Quad]) -> list[Quad]:
    """``quads`` and, for each label and alias among them whose key differs from it, the key as a
    ``skos:hiddenLabel`` in the same graph: the index ``kg.terms.find`` reads a name in any case from.

    >>> [q.object.value for q in with_name_keys([Quad(NamedNode("http://x/a"), RDFS.label, Literal("Aleppo"))])]
    ['Aleppo', 'aleppo']
    """
    out = list(quads)
    out += [Quad(q.subject, SKOS.hiddenLabel, Literal(key), q.graph_name) for q in out
            if q.predicate in _NAMES and isinstance(q.object, Literal)
            and (key := name_key(q.object.value)) != q.object.value]
    return out


_NAMES = (RDFS.label, SKOS.altLabel)


def entity_quads(entity: Entity) -> list[Quad]:
    """The description of one reference entity, in the entities graph."""
    node = ref_iri(entity.ref)
    g = ENTITIES_GRAPH
    out = [Quad(node, RDF.type, KIND_CLASS[entity.kind], g), Quad(node, RDFS.label, Literal(entity.label), g)]
    out += [Quad(node, RDF.type, CKG.term(c), g) for c in entity.classes]
    out += [Quad(node, SKOS.altLabel, Literal(a), g) for a in entity.alt_labels if a != entity.label]
    if entity.affiliation:
        out.append(Quad(node, CKG.affiliation, ref_iri(entity.affiliation), g))
    if entity.parent:
        out.append(Quad(node, CKG.locatedIn, ref_iri(entity.parent), g))
    if entity.latitude is not None and entity.longitude is not None:
        wkt = Literal(f"POINT({entity.longitude:.5f} {entity.latitude:.5f})", datatype=GEO.wktLiteral)
        out.append(Quad(node, GEO.asWKT, wkt, g))
    if entity.geonames_id:
        out.append(Quad(node, OWL.sameAs, NamedNode(f"{GEONAMES_NS}{entity.geonames_id}/"), g))
    if entity.wikidata_id:
        out.append(Quad(node, OWL.sameAs, NamedNode(f"{WIKIDATA_NS}{entity.wikidata_id}"), g))
    return with_name_keys(out)


# --- the article layer

def mention_iri(article_id: str, ev: Evidence) -> NamedNode:
    """The IRI of the sentence ``ev`` of an article."""
    return mint_iri("mention", f"{article_id}/{'title/' if ev.in_title else ''}{ev.start}-{ev.end}")


def _evidence_quads(claim: NamedNode, article: NamedNode, article_id: str, ev: Evidence, g: NamedNode) -> list[Quad]:
    mention = mention_iri(article_id, ev)
    title = [Quad(mention, CKG.inTitle, Literal("true", datatype=XSD.boolean), g)] if ev.in_title else []
    return title + [
        Quad(claim, CKG.readFrom, mention, g),
        Quad(mention, RDF.type, CKG.Mention, g),
        Quad(mention, CKG.text, Literal(ev.text), g),
        Quad(mention, CKG.startOffset, _int(ev.start), g),
        Quad(mention, CKG.endOffset, _int(ev.end), g),
        Quad(mention, CKG.inArticle, article, g),
    ]


def _casualty_quads(claim: NamedNode, n: int, article: NamedNode, article_id: str, figures: CasualtyFigures,
                    g: NamedNode, *, other: bool = False) -> list[Quad]:
    kind = "other|" if other else ""
    digest = hashlib.sha1(f"{n}|{kind}{figures.killed}|{figures.civilians}|{figures.injured}".encode()).hexdigest()[:12]
    report = mint_iri("casualties", f"{article_id}/{digest}")
    says = CKG.saysOtherCasualties if other else CKG.saysCasualties
    out = [Quad(claim, says, report, g), Quad(report, RDF.type, CKG.CasualtyReport, g),
           Quad(report, PROV.wasDerivedFrom, article, g), Quad(report, CKG.qualifier, Literal(figures.qualifier), g)]
    for prop, value in ((CKG.killed, figures.killed), (CKG.civiliansKilled, figures.civilians),
                        (CKG.injured, figures.injured)):
        if value is not None:
            out.append(Quad(report, prop, _int(value), g))
    if figures.reported_by:
        out.append(Quad(report, CKG.saysReportedBy, ref_iri(figures.reported_by), g))
    return out


def claim_quads(event: EventClaim, n: int, article: NamedNode, article_id: str, g: NamedNode) -> list[Quad]:
    """What one article says about one event (its ``n``-th), in that article's graph."""
    node = mint_iri("claim", f"{article_id}/{n}")
    out = [Quad(node, RDF.type, CKG.EventClaim, g), Quad(node, CKG.inArticle, article, g),
           Quad(node, CKG.saysType, CKG.term(event.type), g)]
    if event.date is not None:
        out.append(Quad(node, CKG.saysDate, _dated(event.date), g))
    if event.date_text:
        out.append(Quad(node, CKG.saysDateText, Literal(event.date_text), g))
    if event.changes_hands:
        out.append(Quad(node, CKG.changesHands, Literal("true", datatype=XSD.boolean), g))
    if event.place:
        out.append(Quad(node, CKG.saysPlace, ref_iri(event.place), g))
    if event.place_precision:
        out.append(Quad(node, CKG.saysPlacePrecision, Literal(event.place_precision), g))
    for prop, refs in ((CKG.saysAgent, event.agents), (CKG.saysTarget, event.targets),
                       (CKG.saysParticipant, event.participants), (CKG.saysClaimedBy, event.claimed_by),
                       (CKG.saysAccusedBy, event.accused_by)):
        out += [Quad(node, prop, ref_iri(r), g) for r in refs]
    for ev in event.evidence:
        out += _evidence_quads(node, article, article_id, ev, g)
    for figures in event.casualties:
        out += _casualty_quads(node, n, article, article_id, figures, g)
    for figures in event.other_casualties:
        out += _casualty_quads(node, n, article, article_id, figures, g, other=True)
    return out


def control_claim_quads(claim: ControlClaim, n: int, article: NamedNode, article_id: str, g: NamedNode) -> list[Quad]:
    """One statement the article makes of who holds a place ("IS-held Raqqa"), in that article's graph."""
    node = mint_iri("claim", f"{article_id}/control/{n}")
    out = [Quad(node, RDF.type, CKG.ControlClaim, g), Quad(node, CKG.inArticle, article, g),
           Quad(node, CKG.saysPlace, ref_iri(claim.place), g), Quad(node, CKG.saysController, ref_iri(claim.actor), g)]
    for prop, value in ((CKG.saysDate, claim.observed), (CKG.saysSince, claim.since)):
        if value is not None:
            out.append(Quad(node, prop, _dated(value), g))
    return out + _evidence_quads(node, article, article_id, claim.evidence, g)


def entity_claim_quads(entity: Entity | None, ref: str, names: list[str], article: NamedNode, article_id: str,
                       g: NamedNode) -> list[Quad]:
    """What one article says of one entity: the names it uses, and its description of an entity only it knows."""
    node = mint_iri("claim", f"{article_id}/{ref}")
    out = [Quad(node, RDF.type, CKG.EntityClaim, g), Quad(node, CKG.inArticle, article, g),
           Quad(node, CKG.saysKey, Literal(ref), g)]
    out += [Quad(node, CKG.saysAlias, Literal(name), g) for name in names]
    if entity is not None and entity.from_text:
        out += [Quad(node, CKG.saysName, Literal(entity.label), g), Quad(node, CKG.saysClass, KIND_CLASS[entity.kind], g)]
        out += [Quad(node, CKG.saysClass, CKG.term(c), g) for c in entity.classes]
        if entity.parent:
            out.append(Quad(node, CKG.saysContainer, ref_iri(entity.parent), g))
        if entity.affiliation:
            out.append(Quad(node, CKG.saysAffiliation, ref_iri(entity.affiliation), g))
    return out


def article_quads(record: ArticleRecord) -> tuple[NamedNode, list[Quad], list[Quad]]:
    """(graph name, the article graph's quads, the reference-entity quads it needs) for one article."""
    art = record.article
    node = mint_iri("article", art.id)
    g = node
    own = [Quad(node, RDF.type, CKG.Article, g), Quad(node, DCTERMS.identifier, Literal(art.id), g),
           Quad(node, CKG.contentHash, Literal(record.content_hash), g),
           Quad(node, SCHEMA.articleBody, Literal(art.text), g)]
    if art.title:
        own.append(Quad(node, DCTERMS.title, Literal(art.title), g))
    if art.published:
        own.append(Quad(node, SCHEMA.datePublished, Literal(art.published.isoformat(), datatype=XSD.date), g))
    if art.source:
        own.append(Quad(node, CKG.sourceOutlet, Literal(art.source), g))
    if art.url:
        own.append(Quad(node, SCHEMA.url, Literal(art.url, datatype=XSD.anyURI), g))
    for n, event in enumerate(record.events):
        own += claim_quads(event, n, node, art.id, g)
    for n, control in enumerate(record.control):
        own += control_claim_quads(control, n, node, art.id, g)
    entities = {e.ref: e for e in record.entities}
    names: dict[str, list[str]] = {}
    for ref, surface in record.aliases:
        names.setdefault(ref, []).append(surface)
    for ref in sorted(set(names) | {r for r, e in entities.items() if e.from_text}):
        own += entity_claim_quads(entities.get(ref), ref, names.get(ref, []), node, art.id, g)
    shared = [q for entity in record.entities if not entity.from_text for q in entity_quads(entity)]
    return g, own, shared


# --- the canonical layer

def canonical_event_quads(event: CanonicalEvent) -> list[Quad]:
    """One real event, in the canonical graph."""
    g = CANONICAL_GRAPH
    node = ref_iri(event.ref)
    out = [Quad(node, RDF.type, CKG.term(event.type), g), Quad(node, RDFS.label, Literal(event.label), g),
           Quad(node, CKG.confidence, _decimal(event.confidence), g),
           Quad(node, CKG.articleCount, _int(len(event.articles)), g), Quad(node, CKG.outletCount, _int(event.outlets), g)]
    if event.date is not None:
        out.append(Quad(node, CKG.date, _dated(event.date), g))
    if event.place:
        out.append(Quad(node, CKG.place, ref_iri(event.place), g))
    if event.place_precision:
        out.append(Quad(node, CKG.placePrecision, Literal(event.place_precision), g))
    for prop, share in ((CKG.dateConfidence, event.date_confidence), (CKG.placeConfidence, event.place_confidence)):
        if share is not None:
            out.append(Quad(node, prop, _decimal(share), g))
    roles = event.roles
    for prop, refs in ((CKG.agent, roles.agents), (CKG.target, roles.targets), (CKG.participant, roles.participants),
                       (CKG.claimedBy, roles.claimed_by), (CKG.accusedBy, roles.accused_by),
                       (CKG.reportedIn, event.articles), (CKG.evidence, event.evidence),
                       (CKG.casualties, event.figures), (CKG.otherCasualties, event.other_figures)):
        out += [Quad(node, prop, ref_iri(r), g) for r in refs]
    out += [Quad(ref_iri(c), CKG.resolvedTo, node, g) for c in event.claims]
    out += [Quad(ref_iri(report), CKG.reportedBy, ref_iri(source), g) for report, source in event.sources]
    if event.changes_hands:
        out.append(Quad(node, CKG.changesHands, Literal("true", datatype=XSD.boolean), g))
    if event.killed is not None:
        for prop, value in zip((CKG.killedLow, CKG.killedBest, CKG.killedHigh), event.killed):
            out.append(Quad(node, prop, _int(value), g))
    return out


def canonical_entity_quads(entity: CanonicalEntity) -> list[Quad]:
    """One person, place or group the texts describe, in the canonical graph."""
    g = CANONICAL_GRAPH
    node = ref_iri(entity.ref)
    kind = entity.ref.split("/", 1)[0]
    out = [Quad(node, RDF.type, KIND_CLASS[kind], g), Quad(node, RDFS.label, Literal(entity.label), g)]
    out += [Quad(node, RDF.type, CKG.term(c), g) for c in entity.classes if c not in {"Actor", "Person", "Place"}]
    out += [Quad(node, SKOS.altLabel, Literal(a), g) for a in entity.alt_labels]
    if entity.parent:
        out.append(Quad(node, CKG.locatedIn, ref_iri(entity.parent), g))
    if entity.affiliation:
        out.append(Quad(node, CKG.affiliation, ref_iri(entity.affiliation), g))
    return out


def canonical_quads(resolution: Resolution, reference_names: dict[str, set[str]]) -> set[Quad]:
    """Everything resolution decided, as the canonical graph's quads (names the entities graph has left out)."""
    out: set[Quad] = set()
    for event in resolution.events:
        out.update(canonical_event_quads(event))
    described: dict[str, set[str]] = {}
    for entity in resolution.entities:
        out.update(canonical_entity_quads(entity))
        described[entity.ref] = {entity.label, *entity.alt_labels}
    for ref, name in resolution.aliases:
        if name not in reference_names.get(ref, ()) and name not in described.get(ref, ()):
            out.add(Quad(ref_iri(ref), SKOS.altLabel, Literal(name), CANONICAL_GRAPH))
    for gone, kept in resolution.redirects:
        out.add(Quad(ref_iri(gone), OWL.sameAs, ref_iri(kept), CANONICAL_GRAPH))
    return set(with_name_keys(out))


def control_quads(periods: Iterable[ControlPeriod], labels: dict[str, str]) -> list[Quad]:
    """The control periods, in the canonical graph: who held a place from when to when, on what evidence."""
    g = CANONICAL_GRAPH
    out: list[Quad] = []
    for p in periods:
        node = mint_iri("control", p.key)
        span = f"{p.start.lexical() if p.start else '?'}–{p.end.lexical() if p.end else ''}"
        label = f"{labels.get(p.actor, p.actor)} holds {labels.get(p.place, p.place)}, {span}"
        out += [Quad(node, RDF.type, CKG.ControlPeriod, g), Quad(node, RDFS.label, Literal(label), g),
                Quad(node, CKG.controlledPlace, ref_iri(p.place), g), Quad(node, CKG.controller, ref_iri(p.actor), g)]
        for prop, day_prop, value in ((CKG.start, CKG.startDay, p.start), (CKG.end, CKG.endDay, p.end)):
            if value is not None:
                out += [Quad(node, prop, _dated(value), g),
                        Quad(node, day_prop, Literal(value.first_day().isoformat(), datatype=XSD.date), g)]
        for prop, refs in ((CKG.startedBy, p.started_by), (CKG.endedBy, p.ended_by), (CKG.supportedBy, p.evidence)):
            out += [Quad(node, prop, ref_iri(r), g) for r in refs]
        out += [Quad(node, CKG.conflictsWith, mint_iri("control", k), g) for k in p.conflicts]
    return out


def state_quad(state: str) -> Quad:
    """The digest of what the canonical graph was resolved from (see :func:`kg.canonical.resolution_state`)."""
    return Quad(CANONICAL_GRAPH, CKG.contentHash, Literal(state), CANONICAL_GRAPH)


def curation_quads(rows: list[list[str]]) -> set[Quad]:
    """The analysts' overrides (the lines of ``curation.tsv``), in the curation graph.

    >>> len(curation_quads([["alias", "actor/islamic-state", "the Organisation"]]))
    4
    """
    g = CURATION_GRAPH
    out: set[Quad] = set()
    for n, (action, first, second, *note) in enumerate(rows, 1):
        node = mint_iri("override", str(n))
        out |= {Quad(node, RDF.type, CKG.Override, g), Quad(node, CKG.action, Literal(action), g)}
        out |= {Quad(node, CKG.first, ref_iri(r), g) for r in first.split(",")}
        if action == "alias":
            out.add(Quad(node, SKOS.altLabel, Literal(second), g))
        else:
            out |= {Quad(node, CKG.second, ref_iri(r), g) for r in second.split(",")}
        if note and note[0]:
            out.add(Quad(node, RDFS.comment, Literal(note[0]), g))
    return out

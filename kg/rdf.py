"""Records -> quads (no I/O).

An article's own facts go to its named graph (named by the article's IRI);
canonical entities go to the entities graph.

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

from pyoxigraph import Literal, NamedNode, Quad

from kg.resolution import ArticleRecord, CasualtyFigures, Entity, Evidence, ResolvedEvent, mint_iri, ref_iri
from kg.vocab import CKG, DCTERMS, ENTITIES_GRAPH, GEO, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, XSD, GEONAMES_NS, WIKIDATA_NS

KIND_CLASS = {"actor": CKG.Actor, "person": CKG.Person, "place": CKG.Place}


def _int(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def entity_quads(entity: Entity) -> list[Quad]:
    """The canonical description of one entity, in the entities graph."""
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
    return out


def _evidence_quads(event: NamedNode, article: NamedNode, article_id: str, ev: Evidence, g: NamedNode) -> list[Quad]:
    mention = mint_iri("mention", f"{article_id}/{'title/' if ev.in_title else ''}{ev.start}-{ev.end}")
    title = [Quad(mention, CKG.inTitle, Literal("true", datatype=XSD.boolean), g)] if ev.in_title else []
    return title + [
        Quad(event, CKG.evidence, mention, g),
        Quad(mention, RDF.type, CKG.Mention, g),
        Quad(mention, CKG.text, Literal(ev.text), g),
        Quad(mention, CKG.startOffset, _int(ev.start), g),
        Quad(mention, CKG.endOffset, _int(ev.end), g),
        Quad(mention, CKG.inArticle, article, g),
    ]


def _casualty_quads(event: NamedNode, event_key: str, article: NamedNode, article_id: str,
                    figures: CasualtyFigures, g: NamedNode) -> list[Quad]:
    digest = hashlib.sha1(f"{event_key}|{figures.killed}|{figures.civilians}|{figures.injured}".encode()).hexdigest()[:12]
    report = mint_iri("casualties", f"{article_id}/{digest}")
    out = [Quad(event, CKG.casualties, report, g), Quad(report, RDF.type, CKG.CasualtyReport, g),
           Quad(report, PROV.wasDerivedFrom, article, g), Quad(report, CKG.qualifier, Literal(figures.qualifier), g)]
    for prop, value in ((CKG.killed, figures.killed), (CKG.civiliansKilled, figures.civilians),
                        (CKG.injured, figures.injured)):
        if value is not None:
            out.append(Quad(report, prop, _int(value), g))
    if figures.reported_by:
        out.append(Quad(report, CKG.reportedBy, ref_iri(figures.reported_by), g))
    return out


def event_quads(event: ResolvedEvent, article: NamedNode, article_id: str, g: NamedNode) -> list[Quad]:
    """What one article says about one event, in that article's graph."""
    node = mint_iri("event", event.key)
    out = [Quad(node, RDF.type, CKG.term(event.type), g), Quad(node, RDFS.label, Literal(event.label), g),
           Quad(node, CKG.reportedIn, article, g)]
    if event.date is not None:
        out.append(Quad(node, CKG.date, Literal(event.date.lexical(), datatype=XSD.term(event.date.xsd)), g))
    if event.place:
        out.append(Quad(node, CKG.place, ref_iri(event.place), g))
    for prop, refs in ((CKG.agent, event.agents), (CKG.target, event.targets), (CKG.participant, event.participants),
                       (CKG.claimedBy, event.claimed_by), (CKG.accusedBy, event.accused_by)):
        out += [Quad(node, prop, ref_iri(r), g) for r in refs]
    for ev in event.evidence:
        out += _evidence_quads(node, article, article_id, ev, g)
    for figures in event.casualties:
        out += _casualty_quads(node, event.key, article, article_id, figures, g)
    return out


def article_quads(record: ArticleRecord) -> tuple[NamedNode, list[Quad], list[Quad]]:
    """(graph name, the article graph's quads, the entity quads it needs) for one article."""
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
    for ref, surface in record.aliases:
        own.append(Quad(ref_iri(ref), SKOS.altLabel, Literal(surface), g))
    for event in record.events:
        own += event_quads(event, node, art.id, g)
    shared = [q for entity in record.entities for q in entity_quads(entity)]
    return g, own, shared

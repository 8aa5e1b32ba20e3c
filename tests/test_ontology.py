"""The ontology declares every vocab term, the shapes parse, and validate() finds what is wrong."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Store, Variable

from kg.errors import KgError
from kg.validation import ValidationReport, ontology_dir, validate
from kg.vocab import (CKG, CKG_NS, DCTERMS, ENTITIES_GRAPH, EVENT_TYPES, GEO, GRAPH_NS, ID_NS, ONTOLOGY_GRAPH,
                      OWL, PROV, RDF, RDFS, SCHEMA, SKOS, SPARQL_PREFIXES, XSD)

ONTOLOGY = ontology_dir() / "ckg.ttl"
SHAPES = ontology_dir() / "shapes.ttl"
DECLARATIONS = {"Class", "ObjectProperty", "DatatypeProperty"}


@pytest.fixture(scope="module")
def ontology() -> Store:
    store = Store()
    store.load(path=str(ONTOLOGY), format=RdfFormat.TURTLE)
    return store


@pytest.fixture
def store() -> Store:
    return Store()


def ask(store: Store, query: str, **bindings: NamedNode) -> bool:
    return bool(store.query(SPARQL_PREFIXES + query, substitutions={Variable(k): v for k, v in bindings.items()}))


# ---------------------------------------------------------------- the ontology


def test_ontology_parses_with_rdflib_and_pyoxigraph(ontology: Store) -> None:
    graph = rdflib.Graph().parse(ONTOLOGY, format="turtle")
    assert len(graph) == len(ontology) > 100


def test_ontology_header(ontology: Store) -> None:
    query = """ASK { ?o a owl:Ontology ; dcterms:title ?t ; dcterms:description ?d ; owl:versionInfo ?v ;
                     dcterms:license <https://creativecommons.org/licenses/by/4.0/> }"""
    assert ask(ontology, query)


@pytest.mark.parametrize("term", list(CKG), ids=lambda t: t.value[len(CKG_NS):])
def test_every_vocab_term_is_declared_with_label_and_comment(ontology: Store, term: NamedNode) -> None:
    kinds = {q.object.value.rsplit("#", 1)[-1] for q in ontology.quads_for_pattern(term, RDF.type, None)}
    assert kinds & DECLARATIONS, f"{term} is not declared as an owl:Class, ObjectProperty or DatatypeProperty"
    assert len(kinds & DECLARATIONS) == 1, f"{term} is declared as more than one kind: {kinds}"
    assert list(ontology.quads_for_pattern(term, RDFS.label, None)), f"{term} has no rdfs:label"
    assert list(ontology.quads_for_pattern(term, RDFS.comment, None)), f"{term} has no rdfs:comment"


def test_ontology_declares_no_term_missing_from_vocab(ontology: Store) -> None:
    subjects = {q.subject for q in ontology if isinstance(q.subject, NamedNode) and q.subject.value.startswith(CKG_NS)}
    assert {s.value for s in subjects if s not in CKG} == set()


@pytest.mark.parametrize("name", EVENT_TYPES)
def test_every_event_type_is_an_event(ontology: Store, name: str) -> None:
    assert ask(ontology, "ASK { ?c rdfs:subClassOf+ ckg:Event }", c=CKG.term(name))


@pytest.mark.parametrize(("sub", "sup"), [
    ("Person", "Actor"), ("Organisation", "Actor"), ("State", "Actor"), ("Government", "Actor"),
    ("ArmedGroup", "Actor"), ("InternationalOrganisation", "Actor"), ("Coalition", "Actor"), ("Monitor", "Actor"),
    ("Country", "Place"), ("Governorate", "Place"), ("City", "Place"), ("Neighbourhood", "Place"),
])
def test_class_hierarchy(ontology: Store, sub: str, sup: str) -> None:
    assert ask(ontology, "ASK { ?c rdfs:subClassOf+ ?d }", c=CKG.term(sub), d=CKG.term(sup))


def test_person_is_directly_an_actor(ontology: Store) -> None:
    assert Quad(CKG.Person, RDFS.subClassOf, CKG.Actor, None) in set(ontology)


@pytest.mark.parametrize(("name", "kind"), [
    ("date", "DatatypeProperty"), ("killed", "DatatypeProperty"), ("civiliansKilled", "DatatypeProperty"),
    ("injured", "DatatypeProperty"), ("qualifier", "DatatypeProperty"), ("text", "DatatypeProperty"),
    ("startOffset", "DatatypeProperty"), ("endOffset", "DatatypeProperty"), ("contentHash", "DatatypeProperty"),
    ("sourceOutlet", "DatatypeProperty"), ("agent", "ObjectProperty"), ("target", "ObjectProperty"),
    ("participant", "ObjectProperty"), ("place", "ObjectProperty"), ("reportedIn", "ObjectProperty"),
    ("evidence", "ObjectProperty"), ("casualties", "ObjectProperty"), ("reportedBy", "ObjectProperty"),
    ("affiliation", "ObjectProperty"), ("locatedIn", "ObjectProperty"), ("inArticle", "ObjectProperty"),
])
def test_property_kinds(ontology: Store, name: str, kind: str) -> None:
    assert ask(ontology, f"ASK {{ ?p a owl:{kind} }}", p=CKG.term(name))


def test_roles_and_place_align_with_sem(ontology: Store) -> None:
    for name in ("agent", "target", "participant"):
        assert ask(ontology, "ASK { ?p rdfs:subPropertyOf sem:hasActor }", p=CKG.term(name))
    assert ask(ontology, "ASK { ckg:place rdfs:subPropertyOf sem:hasPlace }")
    assert ask(ontology, "ASK { ckg:locatedIn a owl:TransitiveProperty ; rdfs:subPropertyOf geo:sfWithin }")


def test_shapes_parse() -> None:
    graph = rdflib.Graph().parse(SHAPES, format="turtle")
    shapes = set(graph.subjects(rdflib.RDF.type, rdflib.SH.NodeShape))
    assert len(shapes) >= 6
    store = Store()
    store.load(path=str(SHAPES), format=RdfFormat.TURTLE)
    assert len(store) == len(graph)


# ---------------------------------------------------------------- validation

def iri(local: str) -> NamedNode:
    return NamedNode(ID_NS + local)


ARTICLE_TEXT = "Syrian government warplanes struck Raqqa on Tuesday, killing at least 63 people."
ARTICLE = iri("article/000")
ARTICLE_GRAPH = NamedNode(GRAPH_NS + "article/000")
EVENT = iri("event/raqqa-airstrike")
MENTION = iri("mention/000-0")
CASUALTIES = iri("casualties/000-0")
GOVERNMENT = iri("actor/syrian-government")
SOHR = iri("actor/syrian-observatory-for-human-rights")
RAQQA = iri("place/raqqa")
SYRIA = iri("place/syria")
SPOKESMAN = iri("person/rami-abdel-rahman")


def conforming_quads() -> list[Quad]:
    """One article, one air strike read from it, with a casualty report, actors and places."""
    integer = lambda n: Literal(str(n), datatype=XSD.integer)  # noqa: E731
    g, e = ARTICLE_GRAPH, ENTITIES_GRAPH
    geometry = BlankNode()
    return [
        Quad(ARTICLE, RDF.type, CKG.Article, g),
        Quad(ARTICLE, DCTERMS.identifier, Literal("000"), g),
        Quad(ARTICLE, DCTERMS.title, Literal("Air strikes on Raqqa"), g),
        Quad(ARTICLE, SCHEMA.datePublished, Literal("2014-11-26", datatype=XSD.date), g),
        Quad(ARTICLE, SCHEMA.url, Literal("https://news.example/raqqa", datatype=XSD.anyURI), g),
        Quad(ARTICLE, SCHEMA.articleBody, Literal(ARTICLE_TEXT), g),
        Quad(ARTICLE, CKG.contentHash, Literal(hashlib.sha256(ARTICLE_TEXT.encode()).hexdigest()), g),
        Quad(ARTICLE, CKG.sourceOutlet, Literal("Example News"), g),
        Quad(EVENT, RDF.type, CKG.AirStrike, g),
        Quad(EVENT, CKG.date, Literal("2014-11-25", datatype=XSD.date), g),
        Quad(EVENT, CKG.place, RAQQA, g),
        Quad(EVENT, CKG.agent, GOVERNMENT, g),
        Quad(EVENT, CKG.reportedIn, ARTICLE, g),
        Quad(EVENT, CKG.evidence, MENTION, g),
        Quad(EVENT, CKG.casualties, CASUALTIES, g),
        Quad(MENTION, RDF.type, CKG.Mention, g),
        Quad(MENTION, CKG.text, Literal(ARTICLE_TEXT), g),
        Quad(MENTION, CKG.startOffset, integer(0), g),
        Quad(MENTION, CKG.endOffset, integer(len(ARTICLE_TEXT)), g),
        Quad(MENTION, CKG.inArticle, ARTICLE, g),
        Quad(CASUALTIES, RDF.type, CKG.CasualtyReport, g),
        Quad(CASUALTIES, CKG.killed, integer(63), g),
        Quad(CASUALTIES, CKG.qualifier, Literal("at least"), g),
        Quad(CASUALTIES, CKG.reportedBy, SOHR, g),
        Quad(CASUALTIES, PROV.wasDerivedFrom, ARTICLE, g),
        Quad(GOVERNMENT, RDF.type, CKG.Government, e),
        Quad(GOVERNMENT, RDFS.label, Literal("Syrian government"), e),
        Quad(GOVERNMENT, SKOS.altLabel, Literal("Syrian government warplanes"), e),
        Quad(SOHR, RDF.type, CKG.Monitor, e),
        Quad(SOHR, RDFS.label, Literal("Syrian Observatory for Human Rights"), e),
        Quad(SPOKESMAN, RDF.type, CKG.Person, e),
        Quad(SPOKESMAN, RDFS.label, Literal("Rami Abdel Rahman"), e),
        Quad(SPOKESMAN, CKG.affiliation, SOHR, e),
        Quad(RAQQA, RDF.type, CKG.City, e),
        Quad(RAQQA, RDFS.label, Literal("Raqqa"), e),
        Quad(RAQQA, SKOS.altLabel, Literal("Al-Raqqah"), e),
        Quad(RAQQA, CKG.locatedIn, SYRIA, e),
        Quad(RAQQA, OWL.sameAs, NamedNode("https://sws.geonames.org/172955/"), e),
        Quad(RAQQA, GEO.hasGeometry, geometry, e),
        Quad(geometry, RDF.type, GEO.Geometry, e),
        Quad(geometry, GEO.asWKT, Literal("POINT(39.00889 35.95)", datatype=GEO.wktLiteral), e),
        Quad(SYRIA, RDF.type, CKG.Country, e),
        Quad(SYRIA, RDFS.label, Literal("Syria"), e),
    ]


def replace(quads: list[Quad], subject: NamedNode, predicate: NamedNode, obj: object | None) -> list[Quad]:
    """``quads`` with every (subject, predicate, *) dropped, and (subject, predicate, obj) added unless obj is None."""
    kept = [q for q in quads if not (q.subject == subject and q.predicate == predicate)]
    return kept if obj is None else [*kept, Quad(subject, predicate, obj, ARTICLE_GRAPH)]


def check(store: Store, quads: list[Quad]) -> ValidationReport:
    store.extend(quads)
    return validate(store)


def test_conforming_graph_has_no_violations(store: Store) -> None:
    report = check(store, conforming_quads())
    assert (report.conforms, report.violations, report.results) == (True, 0, ()), report.text
    assert "Conforms: True" in report.text


def test_store_holding_the_ontology_still_conforms(store: Store) -> None:
    store.load(path=str(ONTOLOGY), format=RdfFormat.TURTLE, to_graph=ONTOLOGY_GRAPH)
    assert check(store, conforming_quads()).conforms


def to_rdflib(term: object) -> rdflib.term.Node:
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def test_rdflib_dataset_and_graph_are_accepted() -> None:
    dataset = rdflib.Dataset()
    graph = rdflib.Graph()
    for quad in conforming_quads():
        triple = (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
        dataset.graph(to_rdflib(quad.graph_name)).add(triple)
        graph.add(triple)
    assert len(list(dataset.graphs())) >= 3
    assert validate(dataset).conforms
    assert validate(graph).conforms
    broken = rdflib.Graph()
    broken.add((rdflib.URIRef(EVENT.value), rdflib.RDF.type, rdflib.URIRef(CKG.Battle.value)))
    assert validate(broken).violations == 2


def test_broken_graph_reports_each_violation(store: Store) -> None:
    quads = conforming_quads()
    quads = replace(quads, EVENT, CKG.reportedIn, None)
    quads = replace(quads, EVENT, CKG.date, Literal("2014-11-25", datatype=XSD.string))
    quads = replace(quads, CASUALTIES, CKG.killed, Literal("-3", datatype=XSD.integer))
    report = check(store, quads)
    assert not report.conforms
    assert report.violations == len(report.results) == 3, report.results
    lines = "\n".join(report.results)
    assert "id:event/raqqa-airstrike ckg:reportedIn: An event is ckg:reportedIn at least one ckg:Article." in lines
    assert 'id:event/raqqa-airstrike ckg:date "2014-11-25": ckg:date is an xsd:date' in lines
    assert 'id:casualties/000-0 ckg:killed "-3"^^xsd:integer: ckg:killed is one non-negative xsd:integer.' in lines
    assert "Conforms: False" in report.text


@pytest.mark.parametrize("date", [
    Literal("2014-11", datatype=XSD.gYearMonth), Literal("2014", datatype=XSD.gYear)])
def test_dates_of_every_precision_conform(store: Store, date: Literal) -> None:
    assert check(store, replace(conforming_quads(), EVENT, CKG.date, date)).conforms


def test_event_without_date_conforms(store: Store) -> None:
    assert check(store, replace(conforming_quads(), EVENT, CKG.date, None)).conforms


def test_subclass_instances_are_targeted_and_accepted(store: Store) -> None:
    """A ckg:Battle is checked as a ckg:Event, and a ckg:ArmedGroup is a ckg:Actor."""
    group = iri("actor/islamic-state")
    battle = iri("event/battle")
    quads = [*conforming_quads(),
             Quad(group, RDF.type, CKG.ArmedGroup, ENTITIES_GRAPH),
             Quad(group, RDFS.label, Literal("Islamic State"), ENTITIES_GRAPH),
             Quad(battle, RDF.type, CKG.Battle, ARTICLE_GRAPH),
             Quad(battle, CKG.agent, group, ARTICLE_GRAPH),
             Quad(battle, CKG.target, GOVERNMENT, ARTICLE_GRAPH)]
    report = check(store, quads)
    assert report.results == ("id:event/battle ckg:evidence: An event has at least one ckg:evidence, a ckg:Mention.",
                              "id:event/battle ckg:reportedIn: An event is ckg:reportedIn at least one ckg:Article.")


def test_event_needs_a_specific_type(store: Store) -> None:
    report = check(store, replace(conforming_quads(), EVENT, RDF.type, CKG.Event))
    assert report.violations == 1
    assert "rdf:type" in report.results[0] and "more specific than ckg:Event" in report.results[0]


def test_roles_must_be_actors_and_place_a_place(store: Store) -> None:
    quads = replace(conforming_quads(), EVENT, CKG.agent, RAQQA)
    quads = replace(quads, EVENT, CKG.place, GOVERNMENT)
    report = check(store, quads)
    assert report.violations == 2
    assert any("ckg:agent id:place/raqqa: ckg:agent is a ckg:Actor." in line for line in report.results)
    assert any("ckg:place id:actor/syrian-government: ckg:place is a ckg:Place." in line for line in report.results)


def test_mention_offsets_must_be_ordered(store: Store) -> None:
    quads = replace(conforming_quads(), MENTION, CKG.endOffset, Literal("0", datatype=XSD.integer))
    report = check(store, quads)
    assert report.violations == 1
    assert "less than" in report.results[0]


def test_mention_needs_text(store: Store) -> None:
    report = check(store, replace(conforming_quads(), MENTION, CKG.text, None))
    assert report.violations == 1 and "ckg:text" in report.results[0]


def test_casualty_report_needs_a_figure_and_one_source(store: Store) -> None:
    quads = replace(conforming_quads(), CASUALTIES, CKG.killed, None)
    quads = replace(quads, CASUALTIES, PROV.wasDerivedFrom, None)
    quads = replace(quads, CASUALTIES, CKG.qualifier, Literal("roughly"))
    report = check(store, quads)
    assert report.violations == 3, report.results
    lines = "\n".join(report.results)
    assert "at least one of ckg:killed, ckg:civiliansKilled, ckg:injured" in lines
    assert "prov:wasDerivedFrom exactly one ckg:Article" in lines
    assert 'ckg:qualifier "roughly"' in lines


def test_casualty_report_with_only_injured_conforms(store: Store) -> None:
    quads = replace(conforming_quads(), CASUALTIES, CKG.killed, None)
    quads = replace(quads, CASUALTIES, CKG.injured, Literal("12", datatype=XSD.integer))
    assert check(store, quads).conforms


def test_article_needs_one_identifier_and_a_hash(store: Store) -> None:
    quads = [*replace(conforming_quads(), ARTICLE, CKG.contentHash, Literal("not-a-hash")),
             Quad(ARTICLE, DCTERMS.identifier, Literal("000-again"), ARTICLE_GRAPH),
             Quad(ARTICLE, SCHEMA.datePublished, Literal("26 November 2014"), ARTICLE_GRAPH)]
    report = check(store, quads)
    assert report.violations == 4, report.results  # two dates, one of them not an xsd:date
    lines = "\n".join(report.results)
    assert 'schema:datePublished "26 November 2014": An article has at most one schema:datePublished' in lines
    assert "dcterms:identifier" in lines and "ckg:contentHash" in lines and "schema:datePublished" in lines


def test_actor_and_place_need_exactly_one_label(store: Store) -> None:
    quads = [*replace(conforming_quads(), SYRIA, RDFS.label, None),
             Quad(GOVERNMENT, RDFS.label, Literal("Syrian regime"), ENTITIES_GRAPH)]
    report = check(store, quads)
    assert report.violations == 2
    assert [line.split()[0] for line in report.results] == ["id:actor/syrian-government", "id:place/syria"]


def test_place_geometry_and_containment(store: Store) -> None:
    quads = replace(conforming_quads(), RAQQA, CKG.locatedIn, GOVERNMENT)
    quads = [q for q in quads if q.predicate != GEO.asWKT]
    quads.append(Quad(BlankNode("g1"), GEO.asWKT, Literal("POINT(39 35)"), ENTITIES_GRAPH))
    quads.append(Quad(RAQQA, GEO.hasGeometry, BlankNode("g1"), ENTITIES_GRAPH))
    report = check(store, quads)
    lines = "\n".join(report.results)
    assert "ckg:locatedIn id:actor/syrian-government: ckg:locatedIn is a ckg:Place." in lines
    assert "geo:hasGeometry/geo:asWKT" in lines and "geo:wktLiteral" in lines


def test_unknown_input_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="pyoxigraph Store"):
        validate([])  # type: ignore[arg-type]


def test_missing_ontology_dir_is_a_kg_error(tmp_path: Path) -> None:
    with pytest.raises(KgError, match="ckg.ttl"):
        validate(Store(), ontology_dir=tmp_path)


def test_explicit_ontology_dir(store: Store) -> None:
    assert validate(store, ontology_dir=ontology_dir()).conforms


def test_ill_typed_literal_is_a_violation(store: Store) -> None:
    quads = replace(conforming_quads(), CASUALTIES, CKG.killed, Literal("many", datatype=XSD.integer))
    report = check(store, quads)
    assert not report.conforms
    assert all(line.startswith('id:casualties/000-0 ckg:killed "many"^^xsd:integer') for line in report.results)

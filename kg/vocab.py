"""The ontology's IRIs as Python names, and the SPARQL prefixes that go with them.

No other module spells an IRI: it imports the terms from here. A test checks
that every ``CKG`` term below is declared in ``ontology/``.

>>> CKG.AirStrike.value
'https://w3id.org/conflict-kg/ontology#AirStrike'
"""
from __future__ import annotations

from pyoxigraph import NamedNode

CKG_NS = "https://w3id.org/conflict-kg/ontology#"
ID_NS = "https://w3id.org/conflict-kg/id/"
GRAPH_NS = "https://w3id.org/conflict-kg/graph/"

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
PROV_NS = "http://www.w3.org/ns/prov#"
DCTERMS_NS = "http://purl.org/dc/terms/"
SCHEMA_NS = "http://schema.org/"
GEO_NS = "http://www.opengis.net/ont/geosparql#"
SEM_NS = "http://semanticweb.cs.vu.nl/2009/11/sem/"
GEONAMES_NS = "https://sws.geonames.org/"
WIKIDATA_NS = "http://www.wikidata.org/entity/"


class _Namespace:
    """A closed namespace: only the names given exist (like rdflib's DefinedNamespace)."""

    def __init__(self, base: str, names: str) -> None:
        self._base = base
        self._names = frozenset(names.split())
        for name in self._names:
            object.__setattr__(self, name, NamedNode(base + name))

    def __getattr__(self, name: str) -> NamedNode:
        raise AttributeError(f"{name!r} is not a term of {self._base}")

    def __iter__(self):
        return (NamedNode(self._base + n) for n in sorted(self._names))

    def __contains__(self, node: object) -> bool:
        return isinstance(node, NamedNode) and node.value.startswith(self._base) and node.value[len(self._base):] in self._names

    def term(self, name: str) -> NamedNode:
        """The term called ``name``, or KeyError when the namespace has none."""
        if name not in self._names:
            raise KeyError(f"{name!r} is not a term of {self._base}")
        return NamedNode(self._base + name)


EVENT_TYPES = ("AirStrike", "Shelling", "Bombing", "Battle", "Capture", "Execution", "Surrender",
               "DiplomaticMeeting", "Kidnapping", "Massacre")

CKG = _Namespace(CKG_NS, " ".join(EVENT_TYPES) + """
    Event Actor Person Organisation State ArmedGroup Government InternationalOrganisation Coalition Monitor
    Place Country Governorate City Neighbourhood Area Site
    Article Mention CasualtyReport
    agent target participant place date reportedIn evidence casualties otherCasualties killed civiliansKilled injured
    qualifier reportedBy affiliation locatedIn text startOffset endOffset inArticle inTitle claimedBy accusedBy
    contentHash
    sourceOutlet
    EventClaim EntityClaim saysType saysDate saysDateText saysPlace saysPlacePrecision saysAgent saysTarget saysParticipant
    saysClaimedBy saysAccusedBy saysCasualties saysOtherCasualties saysReportedBy readFrom saysKey saysName saysAlias saysClass saysContainer saysAffiliation
    resolvedTo killedLow killedBest killedHigh confidence dateConfidence placeConfidence placePrecision articleCount outletCount
    Override action first second
    ControlClaim ControlPeriod saysController saysSince controlledPlace controller start end startDay endDay
    startedBy endedBy supportedBy conflictsWith changesHands
""")
RDF = _Namespace(RDF_NS, "type")
RDFS = _Namespace(RDFS_NS, "label comment subClassOf subPropertyOf domain range seeAlso")
XSD = _Namespace(XSD_NS, "string integer date gYearMonth gYear decimal double boolean anyURI dateTime")
SKOS = _Namespace(SKOS_NS, "prefLabel altLabel hiddenLabel")
PROV = _Namespace(PROV_NS, "wasDerivedFrom")
DCTERMS = _Namespace(DCTERMS_NS, "identifier title source")
SCHEMA = _Namespace(SCHEMA_NS, "datePublished url articleBody")
GEO = _Namespace(GEO_NS, "hasGeometry asWKT wktLiteral Geometry")
OWL = _Namespace(OWL_NS, "sameAs")

ENTITIES_GRAPH = NamedNode(GRAPH_NS + "entities")
"""Reference entities: the gazetteer's places and the lexicon's actors, as the data files describe them."""
CANONICAL_GRAPH = NamedNode(GRAPH_NS + "canonical")
"""What resolution made of all claims: one node per real event, the entities texts describe, names met."""
CURATION_GRAPH = NamedNode(GRAPH_NS + "curation")
"""The analysts' overrides (``kg curate``), as resolution applies them."""
ONTOLOGY_GRAPH = NamedNode(GRAPH_NS + "ontology")

PREFIXES = {
    "ckg": CKG_NS, "rdf": RDF_NS, "rdfs": RDFS_NS, "owl": OWL_NS, "xsd": XSD_NS, "skos": SKOS_NS,
    "prov": PROV_NS, "dcterms": DCTERMS_NS, "schema": SCHEMA_NS, "geo": GEO_NS, "sem": SEM_NS,
}
"""Prefix name -> namespace IRI, handed to every query."""

SPARQL_PREFIXES = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
"""The same prefixes as SPARQL text, for query files and exports."""

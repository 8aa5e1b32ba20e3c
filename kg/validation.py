"""Checks a graph against the SHACL shapes in ``ontology/shapes.ttl``.

The graph is read as one union of all its named graphs, and the ontology
(``ontology/ckg.ttl``) is added to it, so that ``sh:targetClass`` and
``sh:class`` follow ``rdfs:subClassOf``: a ``ckg:AirStrike`` is checked as a
``ckg:Event`` and a ``ckg:ArmedGroup`` passes where a ``ckg:Actor`` is wanted.
No RDFS or OWL inference is run: the check grows with the graph, at some ten
seconds for a thousand articles of five events each.

>>> report = validate(pyoxigraph.Store())
>>> report.conforms, report.violations
(True, 0)
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
import pyshacl
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from kg.backend import Backend
from kg.errors import ResourceError
from kg.resources import resource_dir
from kg.vocab import GRAPH_NS, ID_NS, PREFIXES, XSD

ONTOLOGY_FILE = "ckg.ttl"
SHAPES_FILE = "shapes.ttl"

_SHORT_NAMESPACES = sorted({**PREFIXES, "id": ID_NS, "graph": GRAPH_NS}.items(), key=lambda kv: -len(kv[1]))
_XSD_STRING = XSD.string.value


@dataclass(frozen=True)
class ValidationReport:
    """What a SHACL check of a graph found.

    ``violations`` counts the results of severity ``sh:Violation``; ``text`` is
    pyshacl's report; ``results`` has one short line per result, sorted:
    ``"<focus node> <path> <value>: <message>"``, with IRIs shortened by the
    project's prefixes (and ``id:`` for minted instance IRIs).
    """

    conforms: bool
    violations: int
    text: str
    results: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        """The report as a JSON object: ``conforms``, ``violations`` and the ``results`` lines (not pyshacl's text).

        >>> ValidationReport(True, 0, "Conforms: True").as_json()
        {'conforms': True, 'violations': 0, 'results': []}
        """
        return {"conforms": self.conforms, "violations": self.violations, "results": list(self.results)}

    def __str__(self) -> str:
        if self.conforms:
            return "conforms: no violations"
        return f"{self.violations} violation(s):\n" + "\n".join(self.results)


def ontology_dir() -> Path:
    """The installed folder holding ``ckg.ttl`` and ``shapes.ttl`` (``ontology/`` in the repository).

    Raises:
        ResourceError: it is not installed.

    >>> (ontology_dir() / "ckg.ttl").is_file()
    True
    """
    return resource_dir("ontology")


_find_ontology_dir = ontology_dir  # validate()'s keyword of the same name hides the function


def validate(data: Backend | pyoxigraph.Dataset | rdflib.Graph, *,
             ontology_dir: Path | None = None) -> ValidationReport:
    """Check ``data`` against the project's SHACL shapes.

    Args:
        data: a pyoxigraph Store or Dataset, a store on a SPARQL server
            (``kg.remote``), or an rdflib Graph, Dataset or ConjunctiveGraph;
            all its graphs are read as one.
        ontology_dir: the folder with ``ckg.ttl`` and ``shapes.ttl``; the one
            shipped with the project when omitted.

    Returns:
        A ValidationReport; ``report.conforms`` is True when nothing is wrong.

    Raises:
        ResourceError: the ontology or the shapes cannot be found or parsed.
        TypeError: ``data`` is not a store, dataset or graph.

    >>> from kg.vocab import CKG, RDF
    >>> store = pyoxigraph.Store()
    >>> event = pyoxigraph.NamedNode(ID_NS + "event/e1")
    >>> store.add(pyoxigraph.Quad(event, RDF.type, CKG.AirStrike))
    >>> report = validate(store)
    >>> report.conforms
    False
    >>> print(report)
    2 violation(s):
    id:event/e1 ckg:evidence: An event has at least one ckg:evidence, a ckg:Mention.
    id:event/e1 ckg:reportedIn: An event is ckg:reportedIn at least one ckg:Article.
    """
    directory = Path(ontology_dir) if ontology_dir is not None else _find_ontology_dir()
    ontology, shapes = _load(directory.resolve(), *_mtimes(directory))
    graph = rdflib.Graph()
    graph.addN((s, p, o, graph) for s, p, o in ontology)
    # An ill-typed literal ("many"^^xsd:integer) is a result in the report; rdflib need not log it too.
    term_logger = logging.getLogger("rdflib.term")
    level = term_logger.level
    term_logger.setLevel(logging.ERROR)
    try:
        graph.addN((s, p, o, graph) for s, p, o in _triples(data))
    finally:
        term_logger.setLevel(level)
    conforms, results_graph, text = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", inplace=True, advanced=False, meta_shacl=False,
        allow_infos=False, allow_warnings=False, abort_on_first=False)
    lines, violations = _summarise(results_graph)
    return ValidationReport(conforms=bool(conforms), violations=violations, text=str(text), results=lines)


def _mtimes(directory: Path) -> tuple[float, float]:
    try:
        return ((directory / ONTOLOGY_FILE).stat().st_mtime, (directory / SHAPES_FILE).stat().st_mtime)
    except OSError as err:
        raise ResourceError(f"cannot read the ontology in {directory}: expected {ONTOLOGY_FILE} and "
                            f"{SHAPES_FILE} there ({err.strerror})") from err


@functools.lru_cache(maxsize=4)
def _load(directory: Path, *_mtimes: float) -> tuple[rdflib.Graph, rdflib.Graph]:
    """The ontology and the shapes graph in ``directory``, parsed once per change of either file."""
    graphs = []
    for name in (ONTOLOGY_FILE, SHAPES_FILE):
        try:
            graphs.append(rdflib.Graph().parse(directory / name, format="turtle"))
        except Exception as err:  # rdflib raises parser-specific errors
            raise ResourceError(f"{directory / name}: cannot parse it as Turtle: {' '.join(str(err).split())}") from err
    return graphs[0], graphs[1]


def _triples(data: object) -> Iterable[tuple]:
    """Every triple of ``data`` as rdflib terms, whatever graph it is in."""
    if isinstance(data, (pyoxigraph.Store, pyoxigraph.Dataset, Backend)):
        convert = _Converter()
        return ((convert(q.subject), convert(q.predicate), convert(q.object)) for q in data)
    if isinstance(data, rdflib.graph.ConjunctiveGraph):  # rdflib's Dataset is one too
        return ((s, p, _plain(o)) for s, p, o, _ in data.quads((None, None, None, None)))
    if isinstance(data, rdflib.Graph):
        return ((s, p, _plain(o)) for s, p, o in data)
    raise TypeError(f"expected a pyoxigraph Store or Dataset, or an rdflib Graph or Dataset, "
                    f"not {type(data).__name__}")


def _plain(term: object) -> object:
    """``"x"^^xsd:string`` as ``"x"``: the same RDF literal, which rdflib tells apart (and sh:in with it)."""
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype) == _XSD_STRING:
        return Literal(str(term))
    return term


class _Converter:
    """pyoxigraph terms -> rdflib terms, remembering IRIs and blank nodes already seen."""

    def __init__(self) -> None:
        self._nodes: dict[object, object] = {}

    def __call__(self, term: object) -> object:
        if isinstance(term, pyoxigraph.Literal):
            if term.language:
                return Literal(term.value, lang=term.language)
            datatype = term.datatype.value
            return Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
        node = self._nodes.get(term)
        if node is None:
            if isinstance(term, pyoxigraph.NamedNode):
                node = URIRef(term.value)
            elif isinstance(term, pyoxigraph.BlankNode):
                node = BNode(term.value)
            else:  # an RDF 1.2 triple term
                raise TypeError(f"cannot validate a graph holding the triple term {term}")
            self._nodes[term] = node
        return node


def _summarise(results: rdflib.Graph) -> tuple[tuple[str, ...], int]:
    """One line per validation result, sorted, and the number of violations among them."""
    lines = []
    violations = 0
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        if results.value(result, SH.resultSeverity) == SH.Violation:
            violations += 1
        parts = [_short(results.value(result, SH.focusNode), results)]
        path = results.value(result, SH.resultPath)
        if path is not None:
            parts.append(_short_path(path, results))
        value = results.value(result, SH.value)
        if value is not None:
            parts.append(_clip(_short(value, results)))
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        message = messages[0] if messages else _short(results.value(result, SH.sourceConstraintComponent), results)
        lines.append(" ".join(parts) + ": " + " ".join(message.split()))
    return tuple(sorted(lines)), violations


def _short(term: object, graph: rdflib.Graph) -> str:
    """A term as a short string: an IRI with the project's prefixes where one fits."""
    if isinstance(term, URIRef):
        for prefix, namespace in _SHORT_NAMESPACES:
            if term.startswith(namespace) and len(term) > len(namespace):
                return f"{prefix}:{term[len(namespace):]}"
        return f"<{term}>"
    if isinstance(term, Literal):
        text = f'"{term}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f"{text}^^{_short(term.datatype, graph)}"
        return text
    if term is None:
        return "-"
    return "_:" + str(term)


def _short_path(path: Node, graph: rdflib.Graph) -> str:
    """A SHACL property path in SPARQL's notation: ``a/b``, ``^a``, ``a+``."""
    if isinstance(path, URIRef):
        return _short(path, graph)
    if (graph.value(path, rdflib.RDF.first)) is not None:
        return "/".join(_short_path(step, graph) for step in Collection(graph, path))
    for predicate, template in ((SH.inversePath, "^{}"), (SH.oneOrMorePath, "{}+"),
                                (SH.zeroOrMorePath, "{}*"), (SH.zeroOrOnePath, "{}?")):
        inner = graph.value(path, predicate)
        if inner is not None:
            return template.format(_short_path(inner, graph))
    inner = graph.value(path, SH.alternativePath)
    if inner is not None:
        return "(" + "|".join(_short_path(step, graph) for step in Collection(graph, inner)) + ")"
    return _short(path, graph)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

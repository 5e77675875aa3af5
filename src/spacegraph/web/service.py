"""The SPARQL 1.1 Service Description of /sparql, with VoID statistics of the dataset it serves.

https://www.w3.org/TR/sparql11-service-description/ and https://www.w3.org/TR/void/
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH, VOID, XSD

from spacegraph.sparql.results import GRAPH_TYPES, SOLUTION_TYPES
from spacegraph.sparql.runner import DECLARED_PREFIXES
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.store.sparql import not_system_graph

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
FORMAT_IRIS = {
    "application/sparql-results+json": FORMATS.SPARQL_Results_JSON,
    "application/sparql-results+xml": FORMATS.SPARQL_Results_XML,
    "text/csv": FORMATS.SPARQL_Results_CSV,
    "text/tab-separated-values": FORMATS.SPARQL_Results_TSV,
    "text/turtle": FORMATS.Turtle,
    "application/n-triples": FORMATS["N-Triples"],
    "application/ld+json": FORMATS["JSON-LD"],
    "application/rdf+xml": FORMATS.RDF_XML,
    "application/trig": FORMATS.TriG,
    "application/n-quads": FORMATS["N-Quads"],
}
RDFLIB_FORMATS = {
    "text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
    "application/rdf+xml": "xml", "application/trig": "trig", "application/n-quads": "nquads",
}  # fmt: skip
STATISTICS = """
SELECT ?g (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } OURS } GROUP BY ?g ORDER BY ?g
""".replace("OURS", not_system_graph("?g"))
DISTINCT_TRIPLES = f"""SELECT (COUNT(*) AS ?n) WHERE {{
  SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {not_system_graph("?g")} }}
}}"""
CLASSES = f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?c }} {not_system_graph('?g')} }}"


def service_description(store: OxigraphStore, endpoint: str, media_type: str) -> bytes:
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    _declared_prefixes(graph, service)
    for media in (*SOLUTION_TYPES, *GRAPH_TYPES):
        graph.add((service, SD.resultFormat, FORMAT_IRIS[media]))
    dataset = BNode("dataset")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDFS.seeAlso, URIRef(endpoint.rsplit("/", 1)[0] + "/.well-known/void")))  # VoID, DCAT
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode("default")
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    total = 0
    for row in store.query(STATISTICS):
        triples = int(row["triples"].value)
        total += triples
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, SD.name, URIRef(row["g"].value)))
        description = BNode()
        graph.add((named, SD.graph, description))
        graph.add((description, RDF.type, SD.Graph))
        graph.add((description, VOID.triples, Literal(triples, datatype=XSD.integer)))
    # the default graph is the union: a triple stated in several graphs is in it once
    distinct = int(next(iter(store.query(DISTINCT_TRIPLES)))["n"].value)
    graph.add((default, VOID.triples, Literal(distinct, datatype=XSD.integer)))
    classes = next(iter(store.query(CLASSES)))["n"]
    graph.add((default, VOID.classes, Literal(int(classes.value), datatype=XSD.integer)))
    graph.add((dataset, VOID.triples, Literal(total, datatype=XSD.integer)))
    return graph.serialize(format=RDFLIB_FORMATS[media_type], encoding="utf-8")


def _declared_prefixes(graph: Graph, service: URIRef) -> None:
    """The prefixes every query may use without declaring them, as SHACL prefix declarations (``sh:declare``: the
    vocabulary's one way to say prefix and namespace in RDF)."""
    graph.bind("sh", SH)
    for prefix, namespace in DECLARED_PREFIXES.items():
        declaration = BNode(f"prefix-{prefix}")
        graph.add((service, SH.declare, declaration))
        graph.add((declaration, SH.prefix, Literal(prefix)))
        graph.add((declaration, SH.namespace, Literal(namespace, datatype=XSD.anyURI)))

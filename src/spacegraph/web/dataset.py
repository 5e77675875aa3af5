"""The dataset described for citation and discovery: VoID (https://www.w3.org/TR/void/) and DCAT
(https://www.w3.org/TR/vocab-dcat-3/) in one graph, served at ``/.well-known/void`` (VoID's well-known place).

It says what the dataset is, under which licence, who made it, where its dumps and its SPARQL endpoint are, which
source documents it was derived from (one named graph each, a VoID subset), and counts: triples (distinct, as the
union default graph holds them), entities, classes, properties, distinct subjects and objects.
"""

from __future__ import annotations

from datetime import UTC, datetime

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, VOID, XSD

from spacegraph.store.sparql import not_system_graph
from spacegraph.vocab import ONTOLOGY, PREFIXES, PROV
from spacegraph.web.pages.reader import Reader

TITLE = "spacegraph: the U.S.–China space commercialization dialogue, who spoke with whom"
DESCRIPTION = (
    "A knowledge graph of commercial-space stakeholders: the editions of the U.S.–China space commercialization "
    "dialogue run by Secure World Foundation, Caelus Foundation and the Chinese Society of Astronautics since 2019, "
    "their speakers, organisations, roles and topics, each fact in the named graph of the source document that "
    "states it."
)
DATA_LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")  # DATA-LICENSE in the repository
CREATOR = "spacegraph contributors"
IANA = Namespace("http://www.iana.org/assignments/media-types/")
DUMPS = {"nq": ("application/n-quads", "N-Quads"), "trig": ("application/trig", "TriG")}
OURS = not_system_graph("?g")
COUNTS = f"""SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties)
  (COUNT(DISTINCT ?o) AS ?objects) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {OURS} }} }}"""
CLASSES = f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?c }} {OURS} }}"
ENTITIES = 'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER (STRSTARTS(STR(?s), "%s")) }'
GRAPHS = f"SELECT ?g (COUNT(*) AS ?triples) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {OURS} }} GROUP BY ?g ORDER BY ?g"
SERIES = "SELECT DISTINCT ?series WHERE { ?series a conf:WorkshopSeries } ORDER BY ?series"
SOURCES = """SELECT DISTINCT ?g ?doc ?label WHERE { GRAPH ?g { ?g prov:wasDerivedFrom ?doc
  OPTIONAL { ?doc rdfs:label ?label } } FILTER NOT EXISTS { GRAPH ?g { ?g a sg:ProposalGraph } } } ORDER BY ?g ?doc"""


def dataset_iri(base: str) -> URIRef:
    """The dataset's own IRI (``/dataset`` on this server answers it with this description)."""
    return URIRef(base + "dataset")


def describe_dataset(reader: Reader, root: str, version: str, modified: datetime | None) -> Graph:
    """The VoID and DCAT description of the published data version; ``root`` is this server's URL (with a slash)."""
    graph = Graph()
    for prefix, namespace in (("void", VOID), ("dcat", DCAT), ("dcterms", DCTERMS), ("foaf", FOAF), ("prov", PROV)):
        graph.bind(prefix, namespace)
    dataset = dataset_iri(reader.base)
    for kind in (VOID.Dataset, DCAT.Dataset):
        graph.add((dataset, RDF.type, kind))
    graph.add((dataset, DCTERMS.title, Literal(TITLE, lang="en")))
    graph.add((dataset, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    graph.add((dataset, DCTERMS.license, DATA_LICENCE))
    creator = BNode("creator")
    graph.add((dataset, DCTERMS.creator, creator))
    graph.add((dataset, DCTERMS.publisher, creator))
    graph.add((creator, RDF.type, FOAF.Organization))
    graph.add((creator, FOAF.name, Literal(CREATOR)))
    graph.add((dataset, FOAF.homepage, URIRef(root)))
    graph.add((dataset, DCTERMS.hasVersion, Literal(version)))
    if modified is not None:
        graph.add((dataset, DCTERMS.modified, Literal(modified.astimezone(UTC).replace(microsecond=0))))
    graph.add((dataset, VOID.uriSpace, Literal(reader.base)))
    for row in reader.rows(SERIES):  # where to start browsing: each series leads to its editions
        graph.add((dataset, VOID.rootResource, URIRef(row["series"])))
    graph.add((dataset, VOID.vocabulary, URIRef(str(ONTOLOGY))))
    for namespace in PREFIXES.values():
        graph.add((dataset, VOID.vocabulary, URIRef(str(namespace))))
    _access(graph, dataset, root)
    _counts(graph, dataset, reader)
    _subsets(graph, dataset, reader)
    return graph


def _access(graph: Graph, dataset: URIRef, root: str) -> None:
    """The SPARQL endpoint (a dcat:DataService too) and the dumps (each a dcat:Distribution, gzip-compressed)."""
    endpoint = URIRef(root + "sparql")
    graph.add((dataset, VOID.sparqlEndpoint, endpoint))
    service = URIRef(root + "sparql#service")
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCAT.endpointURL, endpoint))
    graph.add((service, DCAT.servesDataset, dataset))
    graph.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    graph.add((dataset, DCAT.distribution, URIRef(root + "sparql#distribution")))
    graph.add((URIRef(root + "sparql#distribution"), RDF.type, DCAT.Distribution))
    graph.add((URIRef(root + "sparql#distribution"), DCAT.accessService, service))
    graph.add((URIRef(root + "sparql#distribution"), DCAT.accessURL, endpoint))
    for extension, (media_type, name) in DUMPS.items():
        dump = URIRef(f"{root}dump.{extension}.gz")
        graph.add((dataset, VOID.dataDump, dump))
        graph.add((dataset, DCAT.distribution, dump))
        graph.add((dump, RDF.type, DCAT.Distribution))
        graph.add((dump, DCTERMS.title, Literal(f"Every quad, in its named graph, as {name} (gzip)", lang="en")))
        graph.add((dump, DCAT.downloadURL, dump))
        graph.add((dump, DCAT.mediaType, IANA[media_type]))
        graph.add((dump, DCAT.compressFormat, IANA["application/gzip"]))
        graph.add((dump, DCTERMS.license, DATA_LICENCE))


def _counts(graph: Graph, dataset: URIRef, reader: Reader) -> None:
    row = reader.rows(COUNTS)[0]
    classes = reader.rows(CLASSES)[0]["n"]
    entities = reader.rows(ENTITIES % (reader.base + "id/"))[0]["n"]
    for key, value in (("triples", row["triples"]), ("distinctSubjects", row["subjects"]),
                       ("properties", row["properties"]), ("distinctObjects", row["objects"]),
                       ("classes", classes), ("entities", entities)):  # fmt: skip
        graph.add((dataset, VOID[key], Literal(int(value or 0), datatype=XSD.integer)))


def _subsets(graph: Graph, dataset: URIRef, reader: Reader) -> None:
    """Each named graph a subset with its triples; the documents graphs were derived from, their sources."""
    for row in reader.rows(GRAPHS):
        subset = URIRef(row["g"])
        graph.add((dataset, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, VOID.triples, Literal(int(row["triples"]), datatype=XSD.integer)))
    for row in reader.rows(SOURCES):
        document = URIRef(row["doc"])
        graph.add((dataset, DCTERMS.source, document))
        graph.add((URIRef(row["g"]), PROV.wasDerivedFrom, document))
        if row["label"]:
            graph.add((document, RDFS.label, Literal(row["label"])))

"""What the page of an entity shows: built as one plain dict (the page's JSON twin), rendered by entity.html.

A page has a title, a short summary (label and values), sections (tables whose cells are text or links) and,
for every entity, every statement the graph holds about it with its source: the document the statement's named
graph was derived from and, where the data records it, the sentence behind it (a role record's ``sg:evidence``;
an event fact's ``sg:Evidence`` offsets into the document's local copy). The sections depend on the kind:

* person: appearances over time, with role and affiliation at the time; co-speakers with evidence; topics;
* edition: date, place, mode, hosts, programme, topics, co-located event, its place in the series;
* organisation: its people over time, its editions, its partners;
* topic: who spoke on it (or on a narrower topic), and when;
* side or country: its participants and organisations per edition;
* series: its editions on a timeline, and who came back.

A cell is ``None``, a string, a link ``{"text", "url", "iri"}``, or a list of these.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import pycountry
import pyoxigraph as ox

from spacegraph.analysis import questions
from spacegraph.analysis.cache import Projections
from spacegraph.ingest.documents import DocumentError, read_document
from spacegraph.iris import fold
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.vocab import PREFIXES as NAMESPACES
from spacegraph.web.links import SIDES, page_url

PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in NAMESPACES.items()) + (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
)
SAFE_IRI = re.compile(r"[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f]*", re.I)  # whole IRI: fullmatch
ROLE_ORDER = {
    role: i
    for i, role in enumerate(
        [
            "host",
            "openingRemarks",
            "keynote",
            "moderator",
            "speaker",
            "panelist",
            "discussant",
            "closingRemarks",
            "contact",
        ]
    )
}
STATEMENT_LIMIT = 300  # statements listed per direction; a node described in thousands of graphs shows the first
KINDS = {  # rdf:type -> kind of page
    "http://xmlns.com/foaf/0.1/Person": "person",
    "http://www.w3.org/ns/org#Organization": "organisation",
    "https://w3id.org/scholarlydata/ontology/conference-ontology.owl#WorkshopSeries": "series",
    "http://www.w3.org/2004/02/skos/core#Concept": "topic",
    "https://schema.org/Place": "place",
    "https://schema.org/Event": "event",
}
KIND_NAMES = {"person": "Person", "organisation": "Organisation", "series": "Series", "topic": "Topic",
              "place": "Place", "event": "Event", "edition": "Edition", "resource": "Resource",
              "side": "Side", "country": "Country"}  # fmt: skip


class NotFound(LookupError):
    """Nothing is known about this IRI; ``suggestions`` are links to entities with similar names."""

    def __init__(self, message: str, suggestions: list[dict] | None = None):
        super().__init__(message)
        self.suggestions = suggestions or []


def check_iri(iri: str) -> str:
    """``iri`` if it is an absolute IRI that can be written into a query as ``<iri>``, else ValueError."""
    try:
        if SAFE_IRI.fullmatch(iri):
            ox.NamedNode(iri)  # pyoxigraph's own check: percent-encoding, code points
            return iri
    except ValueError:
        pass
    raise ValueError(f"{iri!r} is not an absolute IRI: give one like https://w3id.org/spacegraph/id/person/…")


def _is_iri(text: str | None) -> bool:
    try:
        return bool(text) and check_iri(str(text)) is not None
    except ValueError:
        return False


class Pages:
    """Builds pages from one store generation (and its cached projections, for the network sections)."""

    def __init__(self, store: OxigraphStore, base: str, data_dir: Path,
                 projections: Callable[[], Projections | None] = lambda: None):  # fmt: skip
        self.store, self.base, self.data_dir = store, base, data_dir
        self._projections = projections

    @cached_property
    def projections(self) -> Projections | None:
        """The networks of this generation, loaded only by the pages that show them (cached per generation)."""
        return self._projections()

    # -- helpers ----------------------------------------------------------------------------------------------

    def _sparql(self, sparql: str, iris: dict[str, str]) -> str:
        for name, iri in iris.items():
            sparql = sparql.replace(f"%{name}%", f"<{check_iri(iri)}>")
        return PREFIXES + sparql

    def rows(self, sparql: str, **iris: str) -> list[dict[str, Any]]:
        """The solutions as dicts of plain values; ``%name%`` in the text stands for the IRI ``iris[name]``."""
        solutions = self.store.query(self._sparql(sparql, iris))
        names = [v.value for v in solutions.variables]
        return [{n: (t.value if (t := row[n]) is not None else None) for n in names} for row in solutions]

    def ask(self, sparql: str, **iris: str) -> bool:
        return bool(self.store.query(self._sparql(sparql, iris)))

    def link(self, iri: str | None, text: str | None = None) -> dict | None:
        if iri is None:
            return None
        return {"text": text or iri, "url": page_url(iri, self.base), "iri": iri}

    def labels(self, iris: Iterable[str | None]) -> dict[str, str]:
        wanted = sorted({i for i in iris if i and _is_iri(i)})
        if not wanted:
            return {}
        values = " ".join(f"<{i}>" for i in wanted)
        found: dict[str, tuple[int, str]] = {}
        row: dict[str, Any]
        for row in self.rows(f"""
SELECT ?x ?l ?rank WHERE {{
  VALUES ?x {{ {values} }}
  {{ ?x schema:name ?l BIND(0 AS ?rank) }}
  UNION {{ ?x skos:prefLabel ?l FILTER (lang(?l) = "en") BIND(1 AS ?rank) }}
  UNION {{ ?x rdfs:label ?l FILTER (lang(?l) = "en" || lang(?l) = "") BIND(2 AS ?rank) }}
}}"""):
            rank = int(row["rank"] or 9)
            if row["x"] not in found or rank < found[row["x"]][0]:
                found[row["x"]] = (rank, row["l"] or "")
        return {iri: label for iri, (_, label) in found.items()}

    def linked(self, iris: Iterable[str | None]) -> list[dict]:
        present = [i for i in iris if i]
        names = self.labels(present)
        return [{"text": names.get(i, _short(i)), "url": page_url(i, self.base), "iri": i} for i in present]

    # -- what an IRI is -------------------------------------------------------------------------------------------

    def kind(self, iri: str) -> str | None:
        if self.ask("ASK { %x% a/rdfs:subClassOf* sg:Edition }", x=iri):
            return "edition"
        types = [r["t"] for r in self.rows("SELECT DISTINCT ?t WHERE { %x% a ?t }", x=iri)]
        for t in types:
            if t in KINDS:
                return KINDS[t]
        if types or self.ask("ASK { { %x% ?p ?o } UNION { ?s ?p %x% } }", x=iri):
            return "resource"
        return None

    def page(self, iri: str) -> dict:
        check_iri(iri)
        kind = self.kind(iri)
        if kind is None:
            raise NotFound(f"nothing is recorded about <{iri}>", self.suggestions(iri))
        names = self.labels([iri])
        page: dict[str, Any] = {
            "iri": iri,
            "kind": kind,
            "kind_name": KIND_NAMES[kind],
            "title": names.get(iri, _short(iri)),
            "summary": [],
            "sections": [],
        }
        builder = getattr(self, f"_{kind}", None)
        if builder is not None:
            builder(iri, page)
        page["statements"] = self.statements(iri)
        return page

    # -- every statement, with its source ------------------------------------------------------------------------

    def statements(self, iri: str) -> dict:
        outgoing = self.rows(f"SELECT ?p ?o ?g ?isIri WHERE {{ GRAPH ?g {{ %x% ?p ?o }} BIND(IF(isIRI(?o), 'iri', 'value') AS ?isIri) }} "
                             f"ORDER BY ?p ?o LIMIT {STATEMENT_LIMIT + 1}", x=iri)  # fmt: skip
        incoming = self.rows(
            f"SELECT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p %x% }} }} ORDER BY ?p ?s LIMIT {STATEMENT_LIMIT + 1}", x=iri
        )
        graphs = {r["g"] for r in outgoing + incoming if r["g"]}
        sources = self.sources(graphs)
        evidence = self.event_evidence(iri)
        names = self.labels([r["p"] for r in outgoing + incoming] + [r["o"] for r in outgoing if r["isIri"] == "iri"]
                            + [r["s"] for r in incoming])  # fmt: skip
        out = []
        for r in outgoing[:STATEMENT_LIMIT]:
            value: Any = (
                self.link(r["o"], names.get(r["o"] or "", _short(r["o"] or ""))) if r["isIri"] == "iri" else r["o"]
            )
            out.append({"property": self.link(r["p"], names.get(r["p"] or "", _short(r["p"] or ""))), "value": value,
                        "sources": sources.get(r["g"] or "", []), "graph": r["g"],
                        "evidence": evidence.get((r["p"] or "", r["g"] or ""))})  # fmt: skip
        into = []
        for r in incoming[:STATEMENT_LIMIT]:
            into.append({"subject": self.link(r["s"], names.get(r["s"] or "", _short(r["s"] or ""))),
                         "property": self.link(r["p"], names.get(r["p"] or "", _short(r["p"] or ""))),
                         "sources": sources.get(r["g"] or "", []), "graph": r["g"]})  # fmt: skip
        return {"about": out, "pointing_here": into,
                "truncated": len(outgoing) > STATEMENT_LIMIT or len(incoming) > STATEMENT_LIMIT}  # fmt: skip

    def sources(self, graphs: Iterable[str]) -> dict[str, list[dict]]:
        """Per named graph, the documents it was derived from: public URL (or local copy) and label."""
        graphs = sorted(g for g in graphs if _is_iri(g))
        if not graphs:
            return {}
        values = " ".join(f"<{g}>" for g in graphs)
        out: dict[str, list[dict]] = defaultdict(list)
        for r in self.rows(f"""
SELECT DISTINCT ?g ?doc ?label ?local WHERE {{
  VALUES ?g {{ {values} }}
  GRAPH ?g {{ ?g prov:wasDerivedFrom ?doc OPTIONAL {{ ?doc rdfs:label ?label }} OPTIONAL {{ ?doc sg:localCopy ?local }} }}
}} ORDER BY ?g ?doc"""):
            doc = r["doc"] or ""
            url = doc if doc.startswith(("http://", "https://")) and not doc.startswith(self.base) else None
            out[r["g"] or ""].append({"text": r["label"] or doc, "url": url or page_url(doc, self.base), "iri": doc,
                                      "local_copy": r["local"]})  # fmt: skip
        return out

    def event_evidence(self, iri: str) -> dict[tuple[str, str], str]:
        """The sentences behind an event's facts: (property, graph) -> text, from the document's local copy."""
        out = {}
        for r in self.rows("""
SELECT ?g ?prop ?start ?end ?local WHERE {
  GRAPH ?g { ?e a sg:Evidence ; sg:evidenceOf %x% ; sg:evidenceFor ?prop ; sg:evidenceStart ?start ;
                sg:evidenceEnd ?end . ?g prov:wasDerivedFrom ?doc . ?doc sg:localCopy ?local }
}""", x=iri):  # fmt: skip
            text = self.document_text(r["local"] or "")
            if text is not None:
                out[(r["prop"] or "", r["g"] or "")] = text[int(r["start"] or 0) : int(r["end"] or 0)].strip()
        return out

    def document_text(self, local_copy: str) -> str | None:
        return _document_text(self.data_dir.resolve(), local_copy)

    def suggestions(self, iri: str) -> list[dict]:
        """Entities whose IRI's last segment is close to this one's, for a 404 page."""
        if not iri.startswith(self.base + "id/"):
            return []
        kind_path, _, wanted = iri[len(self.base) + 3 :].rpartition("/")
        prefix = f"{self.base}id/{kind_path}/"
        candidates = [r["x"] for r in self.rows(
            f'SELECT DISTINCT ?x WHERE {{ ?x a ?t FILTER (STRSTARTS(STR(?x), "{prefix}")) }} LIMIT 50000')]  # fmt: skip
        tails = {c[len(prefix) :]: c for c in candidates if c}
        close = difflib.get_close_matches(wanted, list(tails), n=5, cutoff=0.5)
        words = set(wanted.split("-"))
        close += [t for t in tails if t not in close and words & set(t.split("-")) and len(words) > 0][: 5 - len(close)]
        return self.linked(tails[t] for t in close[:5])

    # -- kinds --------------------------------------------------------------------------------------------------

    def _person(self, iri: str, page: dict) -> None:
        rows = self.rows(
            """
SELECT ?rec ?g ?edition ?date ?role ?side ?org ?printed ?title ?talk ?evidence WHERE {
  GRAPH ?g { ?rec a sg:Participation ; conf:isHeldBy %x% ; conf:withRole ?r ; conf:during ?edition .
    OPTIONAL { ?rec sg:side/rdfs:label ?side FILTER (lang(?side) = "en") }
    OPTIONAL { ?rec sg:affiliation ?aff . ?aff conf:withOrganisation ?org ; sg:organisationAsPrinted ?printed
               OPTIONAL { ?aff sg:titleAsPrinted ?title } }
    OPTIONAL { ?rec sg:talk/schema:name ?talk }
    OPTIONAL { ?rec sg:evidence ?evidence } }
  ?r rdfs:label ?role FILTER (lang(?role) = "en")
  OPTIONAL { ?edition schema:startDate ?date }
} ORDER BY ?date ?edition ?role""",
            x=iri,
        )
        names = self.labels([r["edition"] for r in rows] + [r["org"] for r in rows])
        sources = self.sources(r["g"] for r in rows)
        page["summary"] = [
            {
                "label": "Also written",
                "values": [
                    r["alt"]
                    for r in self.rows("SELECT DISTINCT ?alt WHERE { %x% skos:altLabel ?alt } ORDER BY ?alt", x=iri)
                ],
            },  # fmt: skip
            {"label": "Editions", "values": [str(len({r["edition"] for r in rows}))]},
            {"label": "Years", "values": [_years(r["date"] for r in rows)]},
        ]
        page["sections"].append(_section("appearances", "Appearances over time",
            ["Date", "Edition", "Role", "Affiliation at the time", "Talk", "Side", "Evidence", "Source"],
            [[r["date"], self.link(r["edition"], names.get(r["edition"] or "")), r["role"],
              _affiliation(self.link(r["org"], names.get(r["org"] or "")), r["printed"], r["title"]), r["talk"],
              r["side"], r["evidence"], sources.get(r["g"] or "")] for r in rows]))  # fmt: skip
        self._co_speakers(iri, page)
        topics = self.rows("""
SELECT ?topic (COUNT(DISTINCT ?edition) AS ?n) (GROUP_CONCAT(DISTINCT STR(?edition); separator=" ") AS ?editions) WHERE {
  ?rec conf:isHeldBy %x% ; conf:during ?edition . ?edition schema:about ?topic
} GROUP BY ?topic ORDER BY DESC(?n) ?topic""", x=iri)  # fmt: skip
        self._topic_rows(page, topics, "Topics of the editions where this person spoke")

    def _co_speakers(self, iri: str, page: dict) -> None:
        graph = self.projections.people if self.projections else None
        if graph is None or iri not in graph:
            return
        answer = questions.who_spoke_with(graph, iri)
        rows = []
        for c in answer["co_speakers"]:
            events = [self.link(e["event"], f"{e['name']} ({(e['date'] or 'undated')[:4]})") for e in c["events"]]
            roles = sorted({f"{r}" for e in c["events"] for r in e["roles"].get(c["iri"], [])})
            rows.append([self.link(c["iri"], c["name"]), c["side"], str(c["count"]), events, ", ".join(roles)])
        page["sections"].append(_section("co-speakers", "Who this person spoke with",
                                         ["Person", "Side", "Shared events", "Evidence: the events", "Their roles"],
                                         rows, note="People who held a role at the same event; the events are the "
                                         "evidence for each tie."))  # fmt: skip
        page["network"] = {"focus": iri, "url": f"/network?focus={iri}"}

    def _topic_rows(self, page: dict, rows: list[dict], heading: str) -> None:
        names = self.labels([r["topic"] for r in rows] + [e for r in rows for e in (r["editions"] or "").split()])
        page["sections"].append(_section("topics", heading, ["Topic", "Editions"],
            [[self.link(r["topic"], names.get(r["topic"] or "")),
              [self.link(e, names.get(e)) for e in (r["editions"] or "").split()]] for r in rows]))  # fmt: skip

    def _edition(self, iri: str, page: dict) -> None:
        facts = self.rows(
            """
SELECT ?type ?start ?end ?place ?country ?mode ?series ?colocated ?complete WHERE {
  %x% a ?t FILTER EXISTS { ?t rdfs:subClassOf* sg:Edition } ?t rdfs:label ?type FILTER (lang(?type) = "en")
  OPTIONAL { %x% schema:startDate ?start } OPTIONAL { %x% schema:endDate ?end }
  OPTIONAL { %x% schema:location ?place OPTIONAL { ?place schema:addressCountry ?country } }
  OPTIONAL { %x% schema:eventAttendanceMode/rdfs:label ?mode FILTER (lang(?mode) = "en") }
  OPTIONAL { %x% schema:superEvent ?series } OPTIONAL { %x% sg:coLocatedWith ?colocated }
  OPTIONAL { %x% sg:participantsComplete ?complete }
} LIMIT 1""",
            x=iri,
        )
        f = facts[0] if facts else {}
        hosts = [r["h"] for r in self.rows("SELECT DISTINCT ?h WHERE { %x% schema:organizer ?h } ORDER BY ?h", x=iri)]
        topics = [r["t"] for r in self.rows("SELECT DISTINCT ?t WHERE { %x% schema:about ?t } ORDER BY ?t", x=iri)]
        page["summary"] = [
            {"label": "Kind", "values": [f.get("type")]},
            {"label": "Date", "values": [" – ".join(d for d in (f.get("start"), f.get("end")) if d) or "not given"]},
            {"label": "Place", "values": [*self.linked([f.get("place")]), _country(f.get("country"))]},
            {"label": "Attendance", "values": [f.get("mode") or "not given"]},
            {"label": "Hosts", "values": self.linked(hosts)},
            {"label": "Topics", "values": self.linked(topics)},
            {"label": "Held with", "values": self.linked([f.get("colocated")])},
            {"label": "Series", "values": self.linked([f.get("series")])},
        ]  # fmt: skip
        if f.get("complete") == "false":
            page["note"] = "The sources list only some of the participants: someone missing here may have been there."
        rows = self.rows(
            """
SELECT ?g ?holder ?r ?role ?side ?org ?printed ?title ?talk ?mode ?evidence WHERE {
  GRAPH ?g { ?rec a sg:Participation ; conf:isHeldBy ?holder ; conf:withRole ?r ; conf:during %x% .
    OPTIONAL { ?rec sg:side/rdfs:label ?side FILTER (lang(?side) = "en") }
    OPTIONAL { ?rec sg:affiliation ?aff . ?aff conf:withOrganisation ?org ; sg:organisationAsPrinted ?printed
               OPTIONAL { ?aff sg:titleAsPrinted ?title } }
    OPTIONAL { ?rec sg:talk/schema:name ?talk }
    OPTIONAL { ?rec sg:attendanceMode/rdfs:label ?mode FILTER (lang(?mode) = "en") }
    OPTIONAL { ?rec sg:evidence ?evidence } }
  ?r rdfs:label ?role FILTER (lang(?role) = "en")
}""",
            x=iri,
        )
        rows.sort(key=lambda r: (ROLE_ORDER.get((r["r"] or "").rsplit("#", 1)[-1], 99), r["holder"] or ""))
        names = self.labels([r["holder"] for r in rows] + [r["org"] for r in rows])
        sources = self.sources(r["g"] for r in rows)
        page["sections"].append(_section("programme", "Programme",
            ["Who", "Role", "Affiliation as printed", "Talk", "Side", "Attended", "Evidence", "Source"],
            [[self.link(r["holder"], names.get(r["holder"] or "")), r["role"],
              _affiliation(self.link(r["org"], names.get(r["org"] or "")), r["printed"], r["title"]), r["talk"],
              r["side"], r["mode"], r["evidence"], sources.get(r["g"] or "")] for r in rows]))  # fmt: skip
        if f.get("series"):
            self._timeline(f["series"], page, current=iri)

    def _timeline(self, series: str, page: dict, current: str | None = None) -> None:
        rows = self.rows(
            """
SELECT ?e ?start ?type ?place (COUNT(DISTINCT ?holder) AS ?n) WHERE {
  ?e schema:superEvent %s% ; a ?t FILTER EXISTS { ?t rdfs:subClassOf* sg:Edition } ?t rdfs:label ?type
  FILTER (lang(?type) = "en")
  OPTIONAL { ?e schema:startDate ?start } OPTIONAL { ?e schema:location ?place }
  OPTIONAL { ?rec conf:during ?e ; conf:isHeldBy ?holder . ?holder a foaf:Person }
} GROUP BY ?e ?start ?type ?place ORDER BY (!BOUND(?start)) ?start ?e""",
            s=series,
        )
        names = self.labels([r["e"] for r in rows] + [r["place"] for r in rows])
        table = []
        for r in rows:
            edition = self.link(r["e"], names.get(r["e"] or ""))
            if r["e"] == current and edition is not None:
                edition = {**edition, "current": True}
            table.append([r["start"] or "undated", edition, r["type"],
                          self.link(r["place"], names.get(r["place"] or "")), r["n"]])  # fmt: skip
        page["sections"].append(_section("timeline", "The series, edition by edition",
                                         ["Date", "Edition", "Kind", "Place", "People"], table))  # fmt: skip

    def _series(self, iri: str, page: dict) -> None:
        hosts = [r["h"] for r in self.rows("SELECT DISTINCT ?h WHERE { %x% schema:organizer ?h } ORDER BY ?h", x=iri)]
        comments = [r["c"] for r in self.rows("SELECT ?c WHERE { %x% rdfs:comment ?c }", x=iri)]
        page["summary"] = [{"label": "Organisers", "values": self.linked(hosts)},
                           {"label": "Note", "values": comments}]  # fmt: skip
        self._timeline(iri, page)
        if self.projections is not None:
            events = {r["e"] for r in self.rows("SELECT ?e WHERE { ?e schema:superEvent %x% }", x=iri)}
            answer = questions.continuity(self.projections.person_event)
            rows = [[e["date"], self.link(e["event"], e["name"]), str(e["people"]), str(e["organisations"]),
                     ", ".join(e["new"]), ", ".join(e["returning"]),
                     f"{e['retention']:.0%}" if e["retention"] is not None else None]
                    for e in answer["events"] if e["event"] in events]  # fmt: skip
            page["sections"].append(_section("continuity", "Who came, who came back",
                ["Date", "Edition", "People", "Organisations", "New", "Returning", "Returning share"], rows))  # fmt: skip

    def _organisation(self, iri: str, page: dict) -> None:
        facts = self.rows(
            """
SELECT ?sector ?country WHERE {
  OPTIONAL { %x% sg:sector/rdfs:label ?sector FILTER (lang(?sector) = "en") }
  OPTIONAL { %x% schema:addressCountry ?country } } LIMIT 1""",
            x=iri,
        )
        f = facts[0] if facts else {}
        aliases = [r["a"] for r in self.rows("SELECT DISTINCT ?a WHERE { %x% skos:altLabel ?a } ORDER BY ?a", x=iri)]
        page["summary"] = [
            {"label": "Sector", "values": [f.get("sector") or "not given"]},
            {"label": "Country", "values": [_country(f.get("country")) or "not given"]},
            {"label": "Also written", "values": aliases},
        ]  # fmt: skip
        people = self.rows(
            """
SELECT ?g ?person ?edition ?date ?printed ?title WHERE {
  GRAPH ?g { ?aff conf:withOrganisation %x% ; conf:isAffiliationOf ?person ; conf:during ?edition
    OPTIONAL { ?aff sg:organisationAsPrinted ?printed } OPTIONAL { ?aff sg:titleAsPrinted ?title } }
  OPTIONAL { ?edition schema:startDate ?date }
} ORDER BY ?date ?person""",
            x=iri,
        )
        names = self.labels([r["person"] for r in people] + [r["edition"] for r in people])
        sources = self.sources(r["g"] for r in people)
        page["sections"].append(_section("people", "Its people over time",
            ["Date", "Edition", "Person", "Title as printed", "Name as printed", "Source"],
            [[r["date"], self.link(r["edition"], names.get(r["edition"] or "")),
              self.link(r["person"], names.get(r["person"] or "")), r["title"], r["printed"],
              sources.get(r["g"] or "")] for r in people]))  # fmt: skip
        editions = self.rows(
            """
SELECT ?edition ?date (GROUP_CONCAT(DISTINCT ?how; separator=", ") AS ?hows) WHERE {
  { ?rec conf:isHeldBy %x% ; conf:during ?edition ; conf:withRole/rdfs:label ?how FILTER (lang(?how) = "en") }
  UNION { ?aff conf:withOrganisation %x% ; conf:during ?edition BIND("through its people" AS ?how) }
  OPTIONAL { ?edition schema:startDate ?date }
} GROUP BY ?edition ?date ORDER BY ?date""",
            x=iri,
        )
        names = self.labels(r["edition"] for r in editions)
        page["sections"].append(_section("editions", "Its editions", ["Date", "Edition", "How it took part"],
            [[r["date"], self.link(r["edition"], names.get(r["edition"] or "")), r["hows"]] for r in editions]))  # fmt: skip
        graph = self.projections.organisations if self.projections else None
        if graph is not None and iri in graph:
            partners = sorted(graph[iri].items(), key=lambda item: (-item[1].get("weight", 1), item[0]))
            page["sections"].append(_section("partners", "Its partners",
                ["Organisation", "Shared events", "Evidence: the events"],
                [[self.link(other, graph.nodes[other].get("name")), str(len(data.get("events", {}))),
                  [self.link(e, f"{d['name']} ({(d['date'] or 'undated')[:4]})") for e, d in data.get("events", {}).items()]]
                 for other, data in partners],
                note="Organisations whose people or delegations took part in the same events."))  # fmt: skip
            page["network"] = {"focus": iri, "url": f"/network?graph=organisations&focus={iri}"}

    def _topic(self, iri: str, page: dict) -> None:
        broader = [r["b"] for r in self.rows("SELECT ?b WHERE { %x% skos:broader ?b } ORDER BY ?b", x=iri)]
        narrower = [r["n"] for r in self.rows("SELECT ?n WHERE { ?n skos:broader %x% } ORDER BY ?n", x=iri)]
        chinese = [
            r["l"] for r in self.rows('SELECT ?l WHERE { %x% skos:prefLabel ?l FILTER (lang(?l) = "zh") }', x=iri)
        ]
        page["summary"] = [{"label": "Broader", "values": self.linked(broader)},
                           {"label": "Narrower", "values": self.linked(narrower)},
                           {"label": "In Chinese", "values": chinese}]  # fmt: skip
        rows = self.rows(
            """
SELECT ?edition ?date ?via (GROUP_CONCAT(DISTINCT STR(?person); separator=" ") AS ?people) WHERE {
  ?via skos:broader* %x% . ?edition schema:about ?via
  OPTIONAL { ?edition schema:startDate ?date }
  OPTIONAL { ?rec conf:during ?edition ; conf:isHeldBy ?person ; conf:withRole ?r . ?person a foaf:Person
             FILTER (?r != sg:contact) }
} GROUP BY ?edition ?date ?via ORDER BY ?date ?edition""",
            x=iri,
        )
        names = self.labels([r["edition"] for r in rows] + [r["via"] for r in rows]
                            + [p for r in rows for p in (r["people"] or "").split()])  # fmt: skip
        page["sections"].append(_section("spoken", "Who spoke on it, and when",
            ["Date", "Edition", "As topic", "Who took part"],
            [[r["date"], self.link(r["edition"], names.get(r["edition"] or "")),
              self.link(r["via"], names.get(r["via"] or "")),
              [self.link(p, names.get(p)) for p in (r["people"] or "").split()]] for r in rows],
            note="Editions about this topic or a narrower one, and the people who held a role there."))  # fmt: skip

    def per_edition(self, where: str, heading: str, **iris: str) -> dict:
        """People and organisations per edition, for the participations ``where`` selects (as ?rec)."""
        rows = self.rows(
            f"""
SELECT ?edition ?date ?holder ?org ?isPerson WHERE {{
  {where}
  ?rec conf:during ?edition ; conf:isHeldBy ?holder .
  OPTIONAL {{ ?rec sg:affiliation/conf:withOrganisation ?org }}
  OPTIONAL {{ ?edition schema:startDate ?date }}
  BIND(IF(EXISTS {{ ?holder a foaf:Person }}, "yes", "no") AS ?isPerson)
}} ORDER BY ?date ?edition""",
            **iris,
        )
        names = self.labels([r["edition"] for r in rows] + [r["holder"] for r in rows] + [r["org"] for r in rows])
        grouped: dict[str, dict] = {}
        for r in rows:
            entry = grouped.setdefault(r["edition"] or "", {"date": r["date"], "people": [], "orgs": []})
            if r["isPerson"] == "yes" and r["holder"] not in entry["people"]:
                entry["people"].append(r["holder"])
            org = r["org"] if r["isPerson"] == "yes" else r["holder"]
            if org and org not in entry["orgs"]:
                entry["orgs"].append(org)
        return _section("per-edition", heading, ["Date", "Edition", "People", "Organisations"],
            [[e["date"], self.link(edition, names.get(edition)), [self.link(p, names.get(p)) for p in e["people"]],
              [self.link(o, names.get(o)) for o in e["orgs"]]] for edition, e in grouped.items()])  # fmt: skip

    def side_page(self, slug: str) -> dict:
        if slug not in SIDES:
            raise NotFound(
                f"there is no side {slug!r}: the sides are {', '.join(SIDES)}",
                [{"text": s, "url": f"/side/{s}", "iri": str(i)} for s, i in SIDES.items()],
            )
        iri = str(SIDES[slug])
        label = self.labels([iri]).get(iri, slug)
        return {"iri": iri, "kind": "side", "kind_name": "Side", "title": f"The {label} side", "summary": [],
                "sections": [self.per_edition("?rec sg:side %s% .", "Participants and organisations per edition",
                                              s=iri)]}  # fmt: skip

    def country_page(self, code: str) -> dict:
        code = code.upper()
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise NotFound(f"{code!r} is not an ISO 3166-1 alpha-2 country code (e.g. US, CN, FR)")
        orgs = [r["o"] for r in self.rows(f'SELECT ?o WHERE {{ ?o a org:Organization ; schema:addressCountry "{code}" }} '
                                          "ORDER BY ?o")]  # fmt: skip
        if not orgs:
            raise NotFound(f"no organisation from {code} is recorded")
        country = pycountry.countries.get(alpha_2=code)
        where = f"""{{ ?rec sg:affiliation/conf:withOrganisation/schema:addressCountry "{code}" }}
  UNION {{ ?rec conf:isHeldBy/schema:addressCountry "{code}" }}"""
        return {"iri": None, "kind": "country", "kind_name": "Country",
                "title": country.name if country else code, "summary": [
                    {"label": "Code", "values": [code]}, {"label": "Organisations", "values": self.linked(orgs)}],
                "sections": [self.per_edition(where, "Participants and organisations per edition")]}  # fmt: skip

    def search(self, text: str, limit: int = 50) -> list[dict]:
        """Entities whose name or label contains ``text`` (case and accents aside), people and editions first."""
        wanted = fold(text.strip())
        if not wanted:
            return []
        literal = str(ox.Literal(wanted))  # quoted and escaped as N-Triples writes it, which SPARQL reads
        rows = self.rows(f"""
SELECT DISTINCT ?x ?label ?t WHERE {{
  {{ ?x schema:name ?label }} UNION {{ ?x skos:prefLabel ?label FILTER (lang(?label) = "en") }}
  UNION {{ ?x skos:altLabel ?label }}
  FILTER (CONTAINS(LCASE(STR(?label)), {literal}))
  ?x a ?t
}} LIMIT {limit * 4}""")
        if len(rows) < limit:  # names with accents or other case forms: "jose" finds "José", folded here
            rows += self.rows("""
SELECT DISTINCT ?x ?label ?t WHERE {
  ?x schema:name|skos:altLabel ?label ; a ?t FILTER (?t IN (foaf:Person, org:Organization))
}""")
        order = {"person": 0, "organisation": 1, "edition": 2, "topic": 3}
        found: dict[str, dict] = {}
        names = self.labels(r["x"] for r in rows)
        for r in rows:
            iri = r["x"] or ""
            if iri in found or wanted not in fold(r["label"] or ""):
                continue
            kind = KINDS.get(r["t"] or "", "edition" if "/id/event/" in iri else "resource")
            found[iri] = {**(self.link(iri, names.get(iri, r["label"])) or {}), "kind": kind,
                          "matched": r["label"]}  # fmt: skip
        return sorted(found.values(), key=lambda f: (order.get(f["kind"], 9), f["text"]))[:limit]


def _country(code: str | None) -> dict | None:
    return {"text": code, "url": f"/country/{code}", "iri": None} if code else None


def _section(key: str, heading: str, columns: list[str], rows: list[list], note: str | None = None) -> dict:
    return {"id": key, "heading": heading, "columns": columns, "rows": rows, "note": note}


def _affiliation(org: dict | None, printed: str | None, title: str | None) -> list:
    cells: list = []
    if title:
        cells.append(title)
    if org is not None:
        cells.append(org if not printed or printed == org["text"] else {**org, "text": f"{printed} ({org['text']})"})
    return cells


def _years(dates: Iterable[str | None]) -> str:
    years = sorted({d[:4] for d in dates if d})
    if not years:
        return "not given"
    return years[0] if len(years) == 1 else f"{years[0]}–{years[-1]}"


def _short(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/"))[-1] or iri


@lru_cache(maxsize=64)
def _document_text(data_dir: Path, local_copy: str) -> str | None:
    """The text of a source document's local copy (under the data directory only), as the parser read it."""
    path = (data_dir / local_copy).resolve()
    if not path.is_relative_to(data_dir) or not path.is_file():
        return None
    try:
        return read_document(path).text
    except (DocumentError, OSError, UnicodeDecodeError):
        return None

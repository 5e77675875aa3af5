"""Curating entities by hand: edit a person or an organisation, merge two of them, add or rename a topic.

Each operation runs in one writing session (``spacegraph.write.Writer``: the writer lock, recovery once), reads the
graphs it changes from data/ (the truth), changes their quads, validates every changed graph (its own nodes as
focus) and commits them all in ONE journaled commit: the first graph is the commit's own, the others are files of
the same commit and are loaded into the same new store version before it is published (``on_new_version``). So
data/ and the store change together, or not at all, even across a crash. Each changed graph is attributed to the
curator (``prov:wasAttributedTo``).

A merge moves every record that points at the old IRI to the new one, in every graph, and keeps
``old owl:sameAs new`` in the graph that describes the new entity: the old IRI still dereferences (the web
redirects it). The old entity's names become aliases (``skos:altLabel``) of the new one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from spacegraph.datafiles import DataFile, data_files, read_data, trig_text
from spacegraph.iris import Minter, fold
from spacegraph.names.split import split_name
from spacegraph.settings import Settings
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.store.sparql import SparqlStore
from spacegraph.vocab import CONF, FOAF, ORG, OWL, RDF, SDO, SG, SKOS
from spacegraph.vocab.terms import SECTOR_BY_NAME, SECTORS, SIDES, find_side
from spacegraph.write import Agent, FileChange, GraphChange, Writer, WriteRejected, history
from spacegraph.write.pipeline import attributed


def _n(term: object) -> ox.NamedNode:
    return ox.NamedNode(str(term))


TYPE, NAME, FAMILY, GIVEN = _n(RDF.type), _n(SDO.name), _n(SDO.familyName), _n(SDO.givenName)
ALT, PREF, BROADER, IN_SCHEME = _n(SKOS.altLabel), _n(SKOS.prefLabel), _n(SKOS.broader), _n(SKOS.inScheme)
COUNTRY, SECTOR, SIDE, INFERRED = _n(SDO.addressCountry), _n(SG.sector), _n(SG.side), _n(SG.inferred)
HELD_BY, SAME_AS, CONCEPT = _n(CONF.isHeldBy), _n(OWL.sameAs), _n(SKOS.Concept)
KINDS = {"person": _n(FOAF.Person), "organisation": _n(ORG.Organization), "topic": CONCEPT}
SINGLE = {COUNTRY, SECTOR}  # at most one value: the merged entity keeps its own, takes the old one's only if none


@dataclass(frozen=True)
class Edited:
    """What an operation did: the entity's IRI, the graphs it changed, and a sentence saying so."""

    iri: str
    graphs: list[str]
    summary: str


Graphs = dict[str, DataFile]
Change = dict[str, list[ox.Quad]]  # graph IRI -> its whole new content


def find_entity(store: OxigraphStore | SparqlStore, text: str, kind: str) -> str:
    """The IRI of the person, organisation or topic ``text`` names: its IRI, canonical name or an alias (case and
    accents aside); LookupError names the near matches when it is none or several."""
    label = "skos:prefLabel" if kind == "topic" else "schema:name"
    rows = store.query(
        "PREFIX schema: <https://schema.org/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        f"SELECT DISTINCT ?x ?name WHERE {{ ?x a <{KINDS[kind].value}> . "
        f"{{ ?x {label} ?name }} UNION {{ ?x skos:altLabel ?name }} }}"
    )
    names = [(row["x"].value, row["name"].value) for row in rows]
    wanted = fold(text.strip())
    found = sorted({iri for iri, name in names if text.strip() == iri or fold(name) == wanted})
    if len(found) == 1:
        return found[0]
    if found:
        raise LookupError(f"{len(found)} {kind}s are called {text!r}: give the IRI of one of {', '.join(found)}")
    near = sorted({name for _, name in names if wanted and wanted in fold(name)})[:5]
    hint = f": did you mean {'; '.join(near)}?" if near else ""
    raise LookupError(f"no {kind} called {text!r}{hint}")


def _graphs(settings: Settings) -> Graphs:
    return {f.graph.value: f for f in read_data(data_files(settings.data))}


def _home(graphs: Graphs, iri: str, kind: str) -> str:
    """The graph that describes the entity (holds its type)."""
    typed = ox.Quad(ox.NamedNode(iri), TYPE, KINDS[kind])
    for name, data_file in graphs.items():
        if any(
            q.subject == typed.subject and q.predicate == TYPE and q.object == typed.object for q in data_file.quads
        ):
            return name
    raise LookupError(f"no file in data/ describes the {kind} <{iri}>: run `spacegraph build` if data/ changed")


def curate(settings: Settings, by: Agent, operation: Callable[[Writer, Graphs], tuple[Change, Edited]]) -> Edited:
    """Run ``operation`` (the graphs it changes, and what it did) in one writing session and commit every changed
    graph in one journaled commit, after validating each (``WriteRejected``: nothing was written)."""
    if settings.remote:
        raise ValueError("editing entities changes several graphs in one commit, which needs the embedded store: "
                         "run it against a local store, then load the data/ files into the server")  # fmt: skip
    with Writer(settings) as writer:
        graphs = _graphs(settings)
        changed, edited = operation(writer, graphs)
        changes = [GraphChange(ox.NamedNode(g), quads, graphs[g].path, by) for g, quads in changed.items()
                   if quads != graphs[g].quads]  # fmt: skip
        if not changes:
            return Edited(edited.iri, [], "nothing to change: " + edited.summary)
        for change in changes:
            report = writer.check(change)
            if not report.conforms:
                raise WriteRejected(report)
        first, rest = changes[0], changes[1:]
        for change in changes:  # each graph's history record (spacegraph.write.history) says what the whole was
            change.note = edited.summary + (f" (one commit of {len(changes)} graphs)" if rest else "")
        for c in rest:
            content = trig_text(attributed(c))
            first.also += [FileChange(c.file, content), history.record_for(settings.data, c, attributed(c), content)]

        def load_rest(store: OxigraphStore, _companions: object) -> None:
            for c in rest:
                store.remove_graph(c.graph)
                store.load(attributed(c))

        writer.commit(first, load_rest)
    return Edited(edited.iri, [c.graph.value for c in changes], edited.summary)


def _without(quads: list[ox.Quad], subject: ox.NamedNode, *predicates: ox.NamedNode) -> list[ox.Quad]:
    return [q for q in quads if not (q.subject == subject and q.predicate in predicates)]


def _values(quads: list[ox.Quad], subject: ox.NamedNode, predicate: ox.NamedNode) -> list[str]:
    return [_text(q.object) for q in quads if q.subject == subject and q.predicate == predicate]


def _text(term: object) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal) else str(term)


def _labels(node: ox.NamedNode, predicate: ox.NamedNode, texts: list[str], graph: ox.NamedNode,
            language: str | None = None) -> list[ox.Quad]:  # fmt: skip
    kept = dict.fromkeys(t.strip() for t in texts if t.strip())
    return [ox.Quad(node, predicate, ox.Literal(t, language=language) if language else ox.Literal(t), graph)
            for t in kept]  # fmt: skip


def check_country(country: str) -> str:
    code = country.strip().upper()
    if code and (len(code) != 2 or not code.isalpha()):
        raise ValueError(f"country {country!r} is not an ISO 3166-1 alpha-2 code: give two letters, e.g. US, CN, FR")
    return code


def _renamed(quads: list[ox.Quad], node: ox.NamedNode, graph: ox.NamedNode, name: str, person: bool) -> list[ox.Quad]:
    """The entity under a new canonical name; the old one is kept as an alias (so it is still found by it)."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("the name is empty: give the canonical name")
    old = _values(quads, node, NAME)
    out = _without(quads, node, NAME, *((FAMILY, GIVEN) if person else ()))
    out.append(ox.Quad(node, NAME, ox.Literal(name), graph))
    if person:
        split = split_name(name)
        out.append(ox.Quad(node, FAMILY, ox.Literal(split.family), graph))
        if split.given:
            out.append(ox.Quad(node, GIVEN, ox.Literal(split.given), graph))
    aliases = set(_values(out, node, ALT))
    out += _labels(node, ALT, [n for n in old if n != name and n not in aliases], graph)
    return out


def _describe(quads: list[ox.Quad], node: ox.NamedNode, graph: ox.NamedNode, fields: dict[str, object],
              person: bool) -> list[ox.Quad]:  # fmt: skip
    """The entity's own description with the given fields (None: unchanged) replaced."""
    if fields.get("name") is not None and " ".join(str(fields["name"]).split()) not in _values(quads, node, NAME):
        quads = _renamed(quads, node, graph, str(fields["name"]), person)  # (the same name: its parts stay as curated)
    if (aliases := fields.get("aliases")) is not None:
        canonical = set(_values(quads, node, NAME))
        quads = _without(quads, node, ALT) + _labels(node, ALT, [a for a in aliases if a not in canonical], graph)  # type: ignore[attr-defined]
    if acronym := str(fields.get("acronym") or "").strip():  # an acronym is an alias (skos:altLabel)
        quads += _labels(node, ALT, [acronym] if acronym not in _values(quads, node, ALT) else [], graph)
    if (country := fields.get("country")) is not None:
        code = check_country(str(country))
        quads = _without(quads, node, COUNTRY) + ([ox.Quad(node, COUNTRY, ox.Literal(code), graph)] if code else [])
    if (sector := fields.get("sector")) is not None:
        quads = _without(quads, node, SECTOR, INFERRED)
        if str(sector).strip():
            quads.append(ox.Quad(node, SECTOR, _n(find_sector(str(sector))), graph))
    return quads


def find_sector(text: str) -> str:
    wanted = text.strip().lower()
    for sector in SECTORS:
        if wanted in (sector.key, sector.label, str(sector.iri).lower(), str(sector.iri).rsplit("#", 1)[-1].lower()):
            return str(sector.iri)
    if wanted in SECTOR_BY_NAME:
        return str(SECTOR_BY_NAME[wanted].iri)
    raise ValueError(f"unknown sector {text!r}: use one of {', '.join(s.key for s in SECTORS)}")


def _set_side(graphs: Graphs, person: ox.NamedNode, side: str) -> Change:
    """Every participation of the person, in every graph, with ``side`` (no longer marked inferred)."""
    found = find_side(side)
    if found is None:
        raise ValueError(f"unknown side {side!r}: use one of {', '.join(s.label for s in SIDES)}")
    changed: Change = {}
    for name, data_file in graphs.items():
        records = {q.subject for q in data_file.quads if q.predicate == HELD_BY and q.object == person}
        if not records:
            continue
        quads = [q for q in data_file.quads if not (q.subject in records and q.predicate == SIDE)
                 and not (q.subject in records and q.predicate == INFERRED and q.object == SIDE)]  # fmt: skip
        changed[name] = quads + [ox.Quad(r, SIDE, _n(found.iri), data_file.graph) for r in sorted(records, key=str)]
    return changed


class EditConflict(ValueError):
    """The entity's graph changed after the form was opened (``expected_version``); nothing was written."""


def entity_version(settings: Settings, iri: str, kind: str) -> str:
    """The version of the file that describes the entity, for a form to send back (``edit_entity``)."""
    graphs = _graphs(settings)
    return history.version_of(graphs[_home(graphs, iri, kind)].path)


def edit_entity(settings: Settings, by: Agent, who: str, kind: str, expected_version: str | None = None,
                **fields: object) -> Edited:  # fmt: skip
    """Edit a person (name, aliases, country, side: the side of each of their participations) or an organisation
    (name, aliases, acronym, sector, country); a field left None is unchanged, an empty one removed. With
    ``expected_version``, refused (``EditConflict``, saying what changed) when the entity's graph changed since."""
    if kind not in ("person", "organisation"):
        raise ValueError(f"only people and organisations are edited here, not {kind}")

    def operation(writer: Writer, graphs: Graphs) -> tuple[Change, Edited]:
        iri = find_entity(writer.store, who, kind)
        node, home = ox.NamedNode(iri), _home(graphs, iri, kind)
        if expected_version and history.version_of(graphs[home].path) != expected_version:
            meanwhile = history.describe(history.changed_since(settings, home, expected_version)) or "changed"
            raise EditConflict(f"the {kind} was changed after you opened the form ({meanwhile}); nothing was "
                               "written: open the form again to see the changes, then make yours")  # fmt: skip
        changed: Change = _set_side(graphs, node, str(fields["side"])) if fields.get("side") else {}
        quads = changed.get(home, graphs[home].quads)
        changed[home] = _describe(list(quads), node, graphs[home].graph, fields, kind == "person")
        said = ", ".join(f"{k} {v!r}" for k, v in fields.items() if v is not None)
        return dict(sorted(changed.items(), key=lambda item: item[0] != home)), Edited(
            iri, [], f"{kind} <{iri}>: {said}"
        )

    return curate(settings, by, operation)


def _merged_quads(data_file: DataFile, old: ox.NamedNode, new: ox.NamedNode, has_single: set[ox.NamedNode],
                  kind: str) -> list[ox.Quad]:  # fmt: skip
    """The graph with every mention of ``old`` moved to ``new``: its names become aliases, its family and given
    names and its type go, a single-valued property (sector, country) moves only when ``new`` has none."""
    out: list[ox.Quad] = []
    graph = data_file.graph
    moved_single = {q.predicate for q in data_file.quads if q.subject == old and q.predicate in SINGLE
                    and q.predicate not in has_single}  # fmt: skip
    for q in data_file.quads:
        subject = new if q.subject == old else q.subject
        target = new if q.object == old else q.object
        if q.subject == old:
            if q.predicate in (TYPE, FAMILY, GIVEN):
                continue
            if q.predicate in SINGLE and q.predicate not in moved_single:
                continue
            if q.predicate == INFERRED and q.object not in moved_single:
                continue
            if q.predicate in (NAME, PREF):
                out.append(ox.Quad(new, ALT, ox.Literal(_text(q.object)), graph))
                continue
        if subject == target and q.predicate == SAME_AS:
            continue
        out.append(ox.Quad(subject, q.predicate, target, graph))
    names = set(_values(out, new, NAME)) | set(_values(out, new, PREF))
    return list(dict.fromkeys(q for q in out if not (q.subject == new and q.predicate == ALT
                                                     and _text(q.object) in names)))  # fmt: skip


def merge_entities(settings: Settings, by: Agent, old_name: str, new_name: str, kind: str) -> Edited:
    """Merge ``old_name`` into ``new_name`` (two people or two organisations): every record in every graph that
    points at the old IRI is moved to the new one, and ``old owl:sameAs new`` is kept where the new one is
    described, in one commit."""
    if kind not in ("person", "organisation"):
        raise ValueError(f"only people or organisations are merged, not {kind}")

    def operation(writer: Writer, graphs: Graphs) -> tuple[Change, Edited]:
        old_iri, new_iri = find_entity(writer.store, old_name, kind), find_entity(writer.store, new_name, kind)
        if old_iri == new_iri:
            raise ValueError(f"{old_name!r} and {new_name!r} are the same {kind} <{old_iri}>: nothing to merge")
        old, new, home = ox.NamedNode(old_iri), ox.NamedNode(new_iri), _home(graphs, new_iri, kind)
        has_single = {
            q.predicate for f in graphs.values() for q in f.quads if q.subject == new and q.predicate in SINGLE
        }
        changed: Change = {}
        for name, data_file in graphs.items():
            if any(old in (q.subject, q.object) for q in data_file.quads):
                changed[name] = _merged_quads(data_file, old, new, has_single, kind)
        changed.setdefault(home, list(graphs[home].quads))
        changed[home].append(ox.Quad(old, SAME_AS, new, graphs[home].graph))
        ordered = dict(sorted(changed.items(), key=lambda item: item[0] != home))
        return ordered, Edited(new_iri, [], f"{kind} <{old_iri}> merged into <{new_iri}>")

    return curate(settings, by, operation)


def _scheme_graph(graphs: Graphs) -> tuple[str, ox.NamedNode]:
    """The graph that holds the topic scheme, and the scheme."""
    for name, data_file in graphs.items():
        schemes = [q.object for q in data_file.quads if q.predicate == IN_SCHEME]
        if schemes:
            return name, schemes[0]  # type: ignore[return-value]
    raise LookupError("no topic scheme in data/: run `spacegraph import-series` to write the registry")


def add_topic(settings: Settings, by: Agent, english: str, chinese: str, broader: list[str] | None = None) -> Edited:
    """Add a topic to the scheme, with its English and Chinese labels and its broader topics (labels or IRIs).
    It counts as never covered until an edition is about it."""
    english, chinese = " ".join(english.split()), " ".join(chinese.split())
    if not english or not chinese:
        raise ValueError("a topic needs an English and a Chinese label (--en and --zh)")

    def operation(writer: Writer, graphs: Graphs) -> tuple[Change, Edited]:
        iri = str(Minter(settings.base).topic(english))
        try:
            existing = find_entity(writer.store, english, "topic")
        except LookupError:
            existing = None
        if existing or any(q.subject.value == iri for f in graphs.values() for q in f.quads):
            raise ValueError(f"the scheme already has a topic called {english!r} (<{existing or iri}>): rename that "
                             "one, or choose another label")  # fmt: skip
        home, scheme = _scheme_graph(graphs)
        graph, node = graphs[home].graph, ox.NamedNode(iri)
        parents = [find_entity(writer.store, b, "topic") for b in broader or [] if b.strip()]
        quads = [*graphs[home].quads, ox.Quad(node, TYPE, CONCEPT, graph), ox.Quad(node, IN_SCHEME, scheme, graph),
                 ox.Quad(node, PREF, ox.Literal(english, language="en"), graph),
                 ox.Quad(node, PREF, ox.Literal(chinese, language="zh"), graph),
                 *(ox.Quad(node, BROADER, ox.NamedNode(p), graph) for p in dict.fromkeys(parents))]  # fmt: skip
        return {home: quads}, Edited(iri, [], f"topic <{iri}> added: {english} / {chinese}")

    return curate(settings, by, operation)


def rename_topic(settings: Settings, by: Agent, topic: str, english: str | None = None,
                 chinese: str | None = None) -> Edited:  # fmt: skip
    """Give a topic new labels (its IRI stays); the old English label is kept as an alias."""
    if not (english or "").strip() and not (chinese or "").strip():
        raise ValueError("give a new English label (--en), a new Chinese label (--zh), or both")

    def operation(writer: Writer, graphs: Graphs) -> tuple[Change, Edited]:
        iri = find_entity(writer.store, topic, "topic")
        home = _home(graphs, iri, "topic")
        graph, node = graphs[home].graph, ox.NamedNode(iri)
        quads = list(graphs[home].quads)
        for text, language in ((english, "en"), (chinese, "zh")):
            text = " ".join((text or "").split())
            if not text:
                continue
            old = [q for q in quads if q.subject == node and q.predicate == PREF
                   and isinstance(q.object, ox.Literal) and q.object.language == language]  # fmt: skip
            quads = [q for q in quads if q not in old] + [
                ox.Quad(node, PREF, ox.Literal(text, language=language), graph)
            ]
            quads += [
                ox.Quad(node, ALT, ox.Literal(_text(q.object), language=language), graph)
                for q in old
                if _text(q.object) != text
            ]
        return {home: list(dict.fromkeys(quads))}, Edited(iri, [], f"topic <{iri}> renamed")

    return curate(settings, by, operation)

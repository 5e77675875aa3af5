"""data/ on disk: one TriG file per source document, each holding exactly one named graph.

Reading checks what SHACL cannot see: syntax (with the line), facts outside any named graph, and a file
holding more than one graph. Writing is all or nothing: every file is written beside its target first.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from spacegraph.vocab import PREFIXES

GRAPH_DIRS = ("registry", "graphs", "proposals")  # proposals: plans for a next edition, never facts


@dataclass(frozen=True)
class DataFile:
    path: Path
    graph: ox.NamedNode
    quads: list[ox.Quad]


class DataError(ValueError):
    """Something in data/ that cannot be loaded; ``str()`` names the file, the line and the fix."""

    def __init__(self, path: Path, problem: str, fix: str, line: int | None = None, column: int | None = None):
        self.path, self.problem, self.fix, self.line, self.column = path, problem, fix, line, column
        where = str(path) + (f", line {line}" if line else "") + (f", column {column}" if column else "")
        super().__init__(f"{where}: {problem}\n  Fix: {fix}")


class DataErrors(ValueError):
    def __init__(self, errors: list[DataError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def data_files(data_dir: Path) -> list[Path]:
    """The graph files of ``data_dir``, in a stable order: the registry, the source graphs, then proposals."""
    files: list[Path] = []
    for sub in GRAPH_DIRS:
        files += sorted((data_dir / sub).glob("*.trig"))
    return files


def read_data_file(path: Path) -> DataFile:
    try:
        quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TRIG))
    except SyntaxError as error:
        raise DataError(
            path,
            error.msg.split(": ", 1)[-1] if error.msg else str(error),
            "correct the TriG syntax there (https://www.w3.org/TR/trig/)",
            error.lineno,
            error.offset,
        ) from error
    except (OSError, ValueError) as error:
        raise DataError(path, f"cannot be read ({error})", "check the file exists and is UTF-8 TriG") from error
    loose = [q for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
    if loose:
        t = loose[0]
        raise DataError(
            path,
            f"{len(loose)} triple(s) are outside any named graph, the first: {t.subject} {t.predicate} {t.object}",
            "put every triple inside the file's named graph, GRAPH-IRI { … }: every fact needs a source",
        )
    graphs = sorted({str(q.graph_name) for q in quads})
    if len(graphs) != 1:
        found = ", ".join(f"<{g}>" for g in graphs) or "none"
        raise DataError(path, f"holds {len(graphs)} named graphs ({found})", "keep exactly one named graph per file")
    return DataFile(path, quads[0].graph_name, quads)


def read_data(paths: list[Path]) -> list[DataFile]:
    """Read every file; all problems are reported together, and a graph may live in one file only."""
    files, errors = [], []
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            data_file = read_data_file(path)
        except DataError as error:
            errors.append(error)
            continue
        other = seen.setdefault(data_file.graph.value, path)
        if other != path:
            errors.append(DataError(path, f"graph <{data_file.graph.value}> is also in {other}", "merge the two files"))
        files.append(data_file)
    if errors:
        raise DataErrors(errors)
    return files


def graph_quads(graph: Graph) -> list[ox.Quad]:
    """An rdflib graph's triples as pyoxigraph quads in its named graph, term by term (no text in between)."""
    name = ox.NamedNode(str(graph.identifier))
    return [ox.Quad(_term(s), _term(p), _term(o), name) for s, p, o in graph]  # type: ignore[arg-type]


def _term(term: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"{term!r} is not an RDF term")


def trig_text(quads: list[ox.Quad]) -> bytes:
    """The TriG text of a data file: sorted by subject, predicate and object (a stable, reviewable diff), with
    the project's prefixes that it uses; written by pyoxigraph in one pass."""
    ordered = sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    text = ox.serialize(ordered, format=ox.RdfFormat.TRIG, prefixes=_used_prefixes(ordered)) or b""
    return text if text.endswith(b"\n") or not text else text + b"\n"


def _used_prefixes(quads: list[ox.Quad]) -> dict[str, str]:
    iris = {t.value for q in quads for t in (q.subject, q.predicate, q.object) if isinstance(t, ox.NamedNode)}
    iris |= {q.object.datatype.value for q in quads if isinstance(q.object, ox.Literal)}
    namespaces = {iri[: max(iri.rfind("#"), iri.rfind("/")) + 1] for iri in iris}
    return {prefix: str(ns) for prefix, ns in PREFIXES.items() if str(ns) in namespaces}


def graph_to_trig(graph: Graph) -> str:
    """rdflib's TriG of a graph, for ``write_graph_files`` (import-series, whose output data/ must match
    byte for byte); the write path uses ``trig_text``, linear in the graph's size."""
    dataset = Dataset()
    for prefix, namespace in graph.namespaces():
        dataset.bind(prefix, namespace)
    named = dataset.graph(graph.identifier)
    for triple in graph:
        named.add(triple)
    return dataset.serialize(format="trig")


def write_graph_files(data_dir: Path, graphs: dict[str, Graph]) -> list[Path]:
    """Write each graph to data_dir/<relative path>; nothing is replaced until every file is written."""
    staged: list[tuple[Path, Path]] = []
    try:
        for relative, graph in graphs.items():
            target = data_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.tmp")
            temporary.write_text(graph_to_trig(graph), encoding="utf-8")
            staged.append((temporary, target))
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, target in staged:
        os.replace(temporary, target)
    return [target for _, target in staged]

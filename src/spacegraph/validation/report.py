"""Validation results, and the report a non-expert can read: grouped by source file, then by entity."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.util import from_n3


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result, in terms the report can print."""

    focus: str  # IRI (or blank node id) of the entity that breaks the rule
    path: str | None  # the property concerned, None for a node-level rule
    component: str  # local name of the SHACL constraint component, e.g. "MinCountConstraintComponent"
    value: str | None  # the offending value, when there is one
    message: str
    severity: str = "Violation"  # or "Warning": reported, but the data still conforms

    def sort_key(self) -> tuple[str, ...]:
        return (self.focus, self.path or "", self.component, self.value or "", self.message)


@dataclass
class Entity:
    """How the report names an entity: "Talk 'Link the World…' at Second Sino-U.S. … Workshop"."""

    kind: str = "Entity"
    label: str | None = None
    context: str | None = None

    def describe(self, iri: str) -> str:
        text = f"{self.kind} “{self.label}”" if self.label else f"{self.kind} <{iri}>"
        return text + (f" at {self.context}" if self.context else "")


@dataclass
class ValidationReport:
    violations: list[Violation]
    engine: str
    entities: dict[str, Entity] = field(default_factory=dict)
    files_of: dict[str, list[str]] = field(default_factory=dict)  # focus -> data files that mention it

    @property
    def conforms(self) -> bool:
        return all(v.severity != "Violation" for v in self.violations)

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity != "Violation"]

    def as_dict(self) -> dict:
        """The verdict, with the violations (which break conformance) and the warnings (which do not) apart."""
        return {
            "conforms": self.conforms,
            "engine": self.engine,
            "violations": [
                self._result(v) for v in sorted(self.violations, key=Violation.sort_key) if v.severity == "Violation"
            ],
            "warnings": [self._result(v) for v in sorted(self.warnings, key=Violation.sort_key)],
        }

    def _result(self, v: Violation) -> dict:
        return {
            "entity": v.focus,
            "description": self.entities.get(v.focus, Entity()).describe(v.focus),
            "files": self.files_of.get(v.focus, []),
            "property": v.path,
            "value": v.value,
            "constraint": v.component,
            "severity": v.severity,
            "message": v.message,
        }

    def as_rdf(self) -> Graph:
        """The report as a SHACL validation report (sh:ValidationReport), to serialise as Turtle."""
        graph = Graph()
        graph.bind("sh", SH)
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(self.conforms, datatype=XSD.boolean)))
        for v in sorted(self.violations, key=Violation.sort_key):
            result = BNode()
            graph.add((report, SH.result, result))
            graph.add((result, RDF.type, SH.ValidationResult))
            graph.add((result, SH.focusNode, _node(v.focus)))
            graph.add((result, SH.resultSeverity, SH[v.severity]))
            graph.add((result, SH.sourceConstraintComponent, SH[v.component]))
            graph.add((result, SH.resultMessage, Literal(v.message)))
            if v.path is not None:
                graph.add((result, SH.resultPath, URIRef(v.path)))
            if v.value is not None:
                graph.add((result, SH.value, _node(v.value)))
        return graph

    def render(self) -> str:
        if not self.violations:
            return "Conforms: every entity satisfies the shapes."
        by_file: dict[str, dict[str, list[Violation]]] = defaultdict(lambda: defaultdict(list))
        for v in sorted(self.violations, key=Violation.sort_key):
            for file in self.files_of.get(v.focus) or ["(no data file)"]:
                by_file[file][v.focus].append(v)
        errors = len(self.violations) - len(self.warnings)
        lines = [f"{errors} violation(s) and {len(self.warnings)} warning(s) in {len(by_file)} file(s):"]
        if self.conforms:
            lines[0] = (
                f"Conforms, with {len(self.warnings)} warning(s) in {len(by_file)} file(s) (warnings do not break conformance):"
            )
        for file in sorted(by_file):
            lines.append("")
            lines.append(file)
            for focus, violations in by_file[file].items():
                lines.append(f"  {self.entities.get(focus, Entity()).describe(focus)}")
                lines.append(f"    <{focus}>")
                for v in violations:
                    value = f" (value: {v.value})" if v.value is not None else ""
                    marker = "warning: " if v.severity != "Violation" else ""
                    lines.append(f"    - {marker}{v.message}{value}")
        return "\n".join(lines)


def _node(text: str) -> URIRef | BNode | Literal:
    """A focus node or value as the report keeps it (an IRI, ``_:id``, or a literal in N3) back as an RDF term."""
    if text.startswith("_:"):
        return BNode(text[2:])
    if text.startswith('"'):
        term = from_n3(text)
        return term if isinstance(term, Literal) else Literal(text)
    return URIRef(text)

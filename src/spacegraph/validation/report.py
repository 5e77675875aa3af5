"""Validation results, and the report a non-expert can read: grouped by source file, then by entity."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL validation result, in terms the report can print."""

    focus: str  # IRI (or blank node id) of the entity that breaks the rule
    path: str | None  # the property concerned, None for a node-level rule
    component: str  # local name of the SHACL constraint component, e.g. "MinCountConstraintComponent"
    value: str | None  # the offending value, when there is one
    message: str


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
        return not self.violations

    def as_dict(self) -> dict:
        return {
            "conforms": self.conforms,
            "engine": self.engine,
            "violations": [
                {
                    "entity": v.focus,
                    "description": self.entities.get(v.focus, Entity()).describe(v.focus),
                    "files": self.files_of.get(v.focus, []),
                    "property": v.path,
                    "value": v.value,
                    "constraint": v.component,
                    "message": v.message,
                }
                for v in sorted(self.violations)
            ],
        }

    def render(self) -> str:
        if self.conforms:
            return "Conforms: every entity satisfies the shapes."
        by_file: dict[str, dict[str, list[Violation]]] = defaultdict(lambda: defaultdict(list))
        for v in sorted(self.violations):
            for file in self.files_of.get(v.focus) or ["(no data file)"]:
                by_file[file][v.focus].append(v)
        lines = [f"{len(self.violations)} violation(s) in {len(by_file)} file(s):"]
        for file in sorted(by_file):
            lines.append("")
            lines.append(file)
            for focus, violations in by_file[file].items():
                lines.append(f"  {self.entities.get(focus, Entity()).describe(focus)}")
                lines.append(f"    <{focus}>")
                for v in violations:
                    value = f" (value: {v.value})" if v.value is not None else ""
                    lines.append(f"    - {v.message}{value}")
        return "\n".join(lines)

"""Running a SPARQL query on the store and writing its result as a table, CSV, JSON or Turtle."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pyoxigraph as ox
from tabulate import tabulate

from spacegraph.sparql import results, rewrite
from spacegraph.sparql.syntax import explain
from spacegraph.store import GraphStore
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.store.sparql import SparqlStoreError
from spacegraph.vocab import PREFIXES
from spacegraph.vocab.sparql import PREFIX_HEADER

FORMATS = ("table", "csv", "json", "turtle")


class QueryError(ValueError):
    """A query that cannot run, or a format that does not fit its result; the message says what to do."""


def run_query(store: GraphStore, sparql: str, output_format: str = "table") -> str:
    try:
        # the project's prefixes are declared, so queries may use sg:, schema:, conf: … without PREFIX lines; on
        # Oxigraph with the endpoint's early projection (spacegraph.sparql.rewrite): a join as fast as at /sparql
        text = PREFIX_HEADER + sparql
        result = rewrite.run(store, text, {}) if isinstance(store, OxigraphStore) else store.query(text)
    except SyntaxError as error:  # its position is in the text with the prefix lines in front: said in the user's
        said = explain(str(error), sparql, PREFIXES, lines_before=PREFIX_HEADER.count("\n"))
        raise QueryError(f"SPARQL syntax error: {said}") from error
    except (OSError, ValueError, SparqlStoreError) as error:
        raise QueryError(f"the query failed: {error}") from error
    if hasattr(result, "variables"):  # solutions, from Oxigraph or from a SPARQL server
        return _solutions(result, output_format)
    if isinstance(result, ox.QueryBoolean | bool):
        if output_format == "json":
            return json.dumps({"head": {}, "boolean": bool(result)})
        if output_format == "turtle":
            raise QueryError("an ASK query gives a boolean, not triples: use --format table, csv or json")
        return "true" if bool(result) else "false"
    if output_format not in ("turtle", "json"):
        raise QueryError("a CONSTRUCT or DESCRIBE query gives triples: use --format turtle (or json for JSON-LD)")
    rdf_format = ox.RdfFormat.TURTLE if output_format == "turtle" else ox.RdfFormat.JSON_LD
    prefixes = {k: str(v) for k, v in PREFIXES.items()} if output_format == "turtle" else None
    output = io.BytesIO()
    ox.serialize(result, output, format=rdf_format, prefixes=prefixes)
    return output.getvalue().decode("utf-8")


def _solutions(solutions: Any, output_format: str) -> str:
    if output_format == "turtle":
        raise QueryError("a SELECT query gives a table, not triples: use --format table, csv or json (or CONSTRUCT)")
    variables = [v.value for v in solutions.variables]
    if output_format == "csv":
        return _csv(variables, solutions)
    if output_format == "json":
        buffer = results.Buffer()
        results.write_solutions(solutions, "application/sparql-results+json", 0, buffer)
        return buffer.body.decode("utf-8")
    rows = [[show(solution[v]) for v in variables] for solution in solutions]
    buffer = io.StringIO()
    buffer.write(tabulate(rows, headers=variables, tablefmt="simple", disable_numparse=True))
    buffer.write(f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return buffer.getvalue()


def _csv(variables: list[str], solutions: Any) -> str:
    """SPARQL CSV (each term as its text: an IRI, a literal's lexical form, _:blank), for a spreadsheet: a cell that
    a spreadsheet would take for a formula is neutralised (``spreadsheet_cell``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_cell(v) for v in variables])
    for solution in solutions:
        writer.writerow([spreadsheet_cell(_csv_text(solution, v)) for v in variables])
    return buffer.getvalue()


def _csv_text(solution: Any, variable: str) -> str:
    try:
        term = solution[variable]
    except KeyError:
        return ""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_cell(text: str) -> str:
    """``text`` for a CSV cell that a spreadsheet opens: one starting with =, +, -, @, a tab or a carriage return
    gets a single quote before it, so that it is shown as text and never run as a formula (OWASP, "CSV Injection").
    A plain number (-3, +1.5e3) is left as it is: it cannot be a formula."""
    if text.startswith(FORMULA_START) and not NUMBER.fullmatch(text):
        return "'" + text
    return text


def show(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str:
    """A term for people: literals as their text, IRIs shortened with the project's prefixes."""
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    for prefix, namespace in PREFIXES.items():
        if term.value.startswith(str(namespace)) and prefix not in ("rdf", "rdfs", "xsd", "owl", "sh"):
            return f"{prefix}:{term.value[len(str(namespace)) :]}"
    return term.value

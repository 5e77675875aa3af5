"""The library of example queries (queries/*.rq): each with a title, a description and a stable URL.

/queries lists them; /queries/NAME shows one; /queries/NAME.rq is its text; /queries/NAME/results runs it
(with the same content negotiation as /sparql).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, redirect, render_template, request

from spacegraph.settings import resource_dir
from spacegraph.sparql.results import GRAPH_TYPES, SOLUTION_TYPES, file_extension
from spacegraph.web import render

bp = Blueprint("queries", __name__)
QUERIES_DIR = resource_dir("queries")  # in the package, or queries/ of a checkout


@dataclass(frozen=True)
class ExampleQuery:
    name: str
    title: str
    description: str
    text: str

    def as_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "description": self.description, "query": self.text}


def read_query(path: Path) -> ExampleQuery:
    text = path.read_text(encoding="utf-8")
    title = re.search(r"^# title:\s*(.+)$", text, re.M)
    lines = text.splitlines()
    description: list[str] = []
    for i, line in enumerate(lines):
        if line.startswith("# description:"):
            description.append(line.split(":", 1)[1].strip())
            description += [next_line.lstrip("# ").strip() for next_line in _continuation(lines[i + 1 :])]
    return ExampleQuery(path.stem, title.group(1).strip() if title else path.stem, " ".join(description), text)


def _continuation(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        if not line.startswith("#   "):
            break
        out.append(line)
    return out


def example_queries(directory: Path = QUERIES_DIR) -> list[ExampleQuery]:
    return [read_query(p) for p in sorted(directory.glob("*.rq"))]


def _find(name: str) -> ExampleQuery:
    path = QUERIES_DIR / f"{name}.rq"
    if not re.fullmatch(r"[a-z0-9-]+", name) or not path.is_file():
        abort(404)
    return read_query(path)


@bp.get("/queries.json")
@bp.get("/queries")
def index():
    return render.render([q.as_dict() for q in example_queries()], "queries.html")


@bp.get("/queries/<name>.rq")
def raw(name: str):
    return Response(_find(name).text, mimetype="application/sparql-query")


@bp.get("/queries/<name>")
def page(name: str):
    query = _find(name)
    return render_template("query.html", query=query, run_url=f"/queries/{name}/results")


@bp.get("/queries/<name>/results")
def results(name: str):
    """A browser is taken to the editor, which opens the query in a tab and runs it; any other client (or a
    browser asking for a ``format``) gets the results as a file named after the query, ``NAME.csv`` …"""
    query = _find(name)
    if "format" not in request.args and _browser():
        response = redirect("/sparql?" + urlencode({"example": name}), code=303)
        response.headers["Vary"] = "Accept"
        return response
    from spacegraph.web.sparql import answer_query  # here: web.sparql lists the example queries of this module

    response = answer_query(query.text)
    if response.status_code == 200:
        extension = file_extension(response.mimetype)
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


def _browser() -> bool:
    """Whether the client names HTML as what it prefers (a browser; ``*/*`` alone is a program's default)."""
    accept = render.accepted()
    named = any(value == render.HTML for value, quality in accept if quality > 0)
    return named and accept.best_match([render.HTML, *SOLUTION_TYPES, *GRAPH_TYPES]) == render.HTML

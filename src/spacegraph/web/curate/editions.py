"""Adding an edition in the browser: upload or paste a page (or start a blank form), correct what the importer
read beside the page's text, check, commit (``edition_plan``)."""

from __future__ import annotations

import re
from typing import Any, cast

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for

from spacegraph.ingest import documents
from spacegraph.ingest.documents import DocumentError
from spacegraph.iris import slug
from spacegraph.web.context import library
from spacegraph.web.curate import drafts, edition_form
from spacegraph.web.curate.auth import curator_required, current_agent, settings, signed_in
from spacegraph.web.curate.drafts import Draft
from spacegraph.web.curate.edition_plan import (
    GraphChangedMeanwhile,
    Planned,
    blank_draft,
    commit_draft,
    plan_draft,  # fmt: skip
    read_page,
)
from spacegraph.web.curate.writing import CuratorWriter
from spacegraph.web.links import page_url
from spacegraph.write import WriteRejected
from spacegraph.write.history import version_of

bp = Blueprint("curate_editions", __name__, url_prefix="/curate/editions")
SUFFIXES = tuple(documents.SUFFIXES)  # what the importer reads


@bp.route("/new")
@curator_required
def new() -> str:
    return render_template("curate/new.html", error=None)


def _upload() -> tuple[bytes, str]:
    """The uploaded file, or the pasted text as a .txt page named after its first line (or the name given)."""
    upload = request.files.get("page")
    if upload is not None and upload.filename:
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", upload.filename.rsplit("/", 1)[-1]).lstrip(".-")
        if not name.lower().endswith(SUFFIXES):
            raise DocumentError(f"{upload.filename}: give a .txt, .md, .html or .pdf file")
        return upload.read(), name
    text = request.form.get("text", "")
    if not text.strip():
        raise DocumentError("Paste the page's text, or choose a file to upload.")
    if source := request.form.get("source", "").strip():
        text = f"source: {source}\n{text}" if not re.match(r"\s*source:", text, re.I) else text
    first = request.form.get("name", "").strip() or next(line for line in text.splitlines() if line.strip())
    try:
        name = slug(first)[:60].rstrip("-")
    except ValueError:
        name = "pasted-page"
    return text.encode("utf-8"), f"{name}.txt"


@bp.route("/read", methods=["POST"])
@curator_required
def read() -> Response | tuple[str, int]:
    account = signed_in()
    assert account is not None
    try:
        raw, filename = _upload()
        with CuratorWriter(settings(), current_agent()) as writer:
            draft = read_page(writer, raw, filename, account.name)
    except (DocumentError, LookupError) as error:
        return render_template("curate/new.html", error=str(error)), 400
    drafts.save(settings(), draft)
    return cast(Response, redirect(url_for("curate_editions.draft", draft_id=draft.id)))


@bp.route("/blank", methods=["POST"])
@curator_required
def blank() -> Response | tuple[str, int]:
    account = signed_in()
    assert account is not None
    name, source = request.form.get("name", "").strip(), request.form.get("source", "").strip()
    if not name or not source:
        return render_template("curate/new.html", error="Give the edition's name and where its facts come from."), 400
    try:
        with CuratorWriter(settings(), current_agent()) as writer:
            draft = blank_draft(writer, name, source, account.name)
    except ValueError as error:
        return render_template("curate/new.html", error=str(error)), 400
    drafts.save(settings(), draft)
    return cast(Response, redirect(url_for("curate_editions.draft", draft_id=draft.id)))


@bp.route("/edit/<name>", methods=["POST"])
@curator_required
def edit(name: str) -> Response | tuple[str, int]:
    """Edit an edition recorded before: the form as it was last committed from the browser, when the graph has
    not changed since; else what the importer reads from the page's saved copy in data/sources/. A POST with the
    CSRF token, from the button on the edition's page: it makes a draft, and another site must not make one."""
    account = signed_in()
    assert account is not None
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        abort(404)
    data = settings().data
    found = drafts.reopen(settings(), name, version_of(data / "graphs" / f"{name}.trig"), account.name)
    if found is None:
        saved = sorted(p for p in (data / "sources").glob(f"{name}.*") if p.suffix.lower() in SUFFIXES)
        if not saved:
            return render_template("curate/new.html", error=f"No page of {name!r} is kept in data/sources/ to "
                                   "edit from: upload the page again."), 404  # fmt: skip
        try:
            with CuratorWriter(settings(), current_agent()) as writer:
                found = read_page(writer, saved[0].read_bytes(), saved[0].name, account.name)
        except (DocumentError, LookupError) as error:
            return render_template("curate/new.html", error=str(error)), 400
        found.note = ("The form shows what the importer reads from the saved page: the graph was not "
                              "last changed from this form, and saving replaces it with the form as it stands.")  # fmt: skip
        drafts.save(settings(), found)
    return cast(Response, redirect(url_for("curate_editions.draft", draft_id=found.id)))


def _load(draft_id: str) -> Draft:
    try:
        return drafts.load(settings(), draft_id)
    except LookupError:
        abort(404)


@bp.route("/<draft_id>", methods=["GET", "POST"])
@curator_required
def draft(draft_id: str) -> Response | str | tuple[str, int]:
    """The form beside the page; a POST checks it (``action=check``) or commits it (``action=commit``)."""
    current = _load(draft_id)
    version = request.form.get("version", current.version)
    errors: dict[str, str] = {}
    if request.method == "POST":
        current.events, errors = edition_form.events_from_form(request.form, current.events)
        drafts.save(settings(), current)
    message, status = None, 200
    with CuratorWriter(settings(), current_agent()) as writer:
        planned = plan_draft(writer, current, writer.agent, insist=request.method == "POST")
        errors = {**planned.errors, **errors}
        if request.form.get("action") == "commit":
            if errors or planned.general:
                message, status = "Nothing was written: correct the fields marked below.", 422
            else:
                try:
                    commit_draft(writer, current, planned, writer.agent, version, bool(request.form.get("replace")))
                except GraphChangedMeanwhile as refused:
                    message, status = str(refused), 409
                except WriteRejected as rejected:
                    message, status = f"Nothing was written: {rejected}", 422
                else:
                    target = settings().data / "graphs" / f"{current.name}.trig"
                    drafts.keep_committed(settings(), current, version_of(target))  # for the next edit
                    return cast(Response, redirect(_edition_url(current, planned)))
    drafts.save(settings(), current)
    return render_template("curate/draft.html", **_form_page(current, planned, errors, message, version)), status


def _edition_url(draft: Draft, planned: Planned) -> str:
    base = settings().base
    edition = next((str(s) for s in planned.plan.graph.subjects() if "/id/event/" in str(s)), draft.graph)
    return page_url(edition, base)


def _form_page(draft: Draft, planned: Planned, errors: dict[str, str], message: str | None,
               version: str) -> dict[str, Any]:  # fmt: skip
    spans = [(row["span"], f"e{e}-p{r}") for e, event in enumerate(draft.events)
             for r, row in enumerate(event["participants"]) if row["span"]]  # fmt: skip
    spans += [
        (span, f"e{e}-{fact}") for e, event in enumerate(draft.events) for fact, span in event["evidence"].items()
    ]
    return {"draft": draft, "segments": highlighted(draft.text, spans), "errors": errors, "general": planned.general,
            "message": message, "version": version, "warnings": planned.plan.warnings,
            "roles": edition_form.ROLE_CHOICES, "sides": edition_form.SIDE_CHOICES,
            "modes": edition_form.MODE_CHOICES, "names": registry_names(), "conforms": not errors and not planned.general}  # fmt: skip


def highlighted(text: str, spans: list[tuple[list[int], str]]) -> list[tuple[str, str | None]]:
    """``text`` cut into pieces, each marked with the field read from it (None: no field); overlaps keep the first."""
    pieces: list[tuple[str, str | None]] = []
    at = 0
    for (start, end), field in sorted(spans, key=lambda s: (s[0][0], -s[0][1])):
        if start < at or end <= start or end > len(text):
            continue
        pieces += [(text[at:start], None), (text[start:end], field)]
        at = end
    return [*pieces, (text[at:], None)]


def registry_names() -> dict[str, list[str]]:
    """The names of people and organisations, and the topics' labels, for the form's suggestions."""
    store = library().store()
    query = """PREFIX schema: <https://schema.org/> PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        PREFIX org: <http://www.w3.org/ns/org#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?kind ?name WHERE {
          { ?x a foaf:Person ; schema:name ?name BIND("person" AS ?kind) }
          UNION { ?x a org:Organization ; schema:name ?name BIND("organisation" AS ?kind) }
          UNION { ?x a skos:Concept ; skos:prefLabel ?name FILTER(lang(?name) = "en") BIND("topic" AS ?kind) } }"""
    names: dict[str, list[str]] = {"person": [], "organisation": [], "topic": []}
    for row in store.query(query):
        names[row["kind"].value].append(row["name"].value)
    return {kind: sorted(set(found), key=str.casefold) for kind, found in names.items()}

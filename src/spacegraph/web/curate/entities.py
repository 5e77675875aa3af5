"""Curators edit people and organisations, merge two of them, and add or rename topics (``library.entities``).

Each form posts to the same library call as the command line; a refusal (a SHACL violation, a bad value) is shown
next to the field it concerns and nothing is written. The page of an IRI that was merged into another redirects
(308) to the page of the one it is ``owl:sameAs`` now.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from rdflib import URIRef

from spacegraph.library.entities import (
    EditConflict,
    add_topic,
    edit_entity,
    entity_version,
    find_entity,
    merge_entities,
    rename_topic,
)
from spacegraph.vocab import FOAF, ORG, SDO, SG, SKOS
from spacegraph.vocab.sparql import fill
from spacegraph.vocab.terms import SECTORS, SIDES
from spacegraph.web.context import library
from spacegraph.web.curate.auth import curator_required, current_agent
from spacegraph.web.links import page_url
from spacegraph.write import WriteRejected

bp = Blueprint("curate_entities", __name__, url_prefix="/curate")

FIELD_OF_PATH = {str(SDO.name): "name", str(SDO.familyName): "name", str(SDO.givenName): "name",
                 str(SKOS.altLabel): "aliases", str(SDO.addressCountry): "country", str(SG.sector): "sector",
                 str(SG.side): "side", str(SKOS.prefLabel): "en", str(SKOS.broader): "broader"}  # fmt: skip
FIELD_WORDS = ("country", "sector", "side", "alias", "name", "english", "chinese", "broader", "label")
KIND_CLASS = {"person": FOAF.Person, "organisation": ORG.Organization}
DESCRIBE = """PREFIX schema: <https://schema.org/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sg: <https://w3id.org/spacegraph/ontology#> PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX conf: <https://w3id.org/scholarlydata/ontology/conference-ontology.owl#>
SELECT ?name ?alias ?country ?sector ?side WHERE { %x% a %class% ; schema:name ?name .
  OPTIONAL { %x% skos:altLabel ?alias } OPTIONAL { %x% schema:addressCountry ?country }
  OPTIONAL { %x% sg:sector ?sector }
  OPTIONAL { ?r conf:isHeldBy %x% ; sg:side/rdfs:label ?side FILTER (lang(?side) = "en") } }"""
TOPICS = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?topic ?en ?zh WHERE { ?topic a skos:Concept ; skos:prefLabel ?en FILTER (lang(?en) = "en")
  OPTIONAL { ?topic skos:prefLabel ?zh FILTER (lang(?zh) = "zh") } } ORDER BY LCASE(STR(?en))"""


def field_errors(error: Exception) -> dict[str, list[str]]:
    """A refusal as messages per form field ("form": the ones no field owns)."""
    out: dict[str, list[str]] = {}
    if isinstance(error, WriteRejected):
        for v in error.report.violations:
            if v.severity == "Violation":
                out.setdefault(FIELD_OF_PATH.get(v.path or "", "form"), []).append(v.message)
        return out
    message = error.args[0] if isinstance(error, KeyError) else str(error)
    first = message.split(":", 1)[0].lower()
    word = next((w for w in FIELD_WORDS if w in first), None)
    field = {"alias": "aliases", "english": "en", "chinese": "zh", "label": "en"}.get(word or "", word or "form")
    return {field: [message]}


def _current(kind: str, iri: str) -> dict[str, Any]:
    try:
        rows = list(library().store().query(fill(DESCRIBE, x=URIRef(iri), **{"class": KIND_CLASS[kind]})))
    except ValueError:
        return {}
    if not rows:
        return {}
    first = rows[0]
    sector = first["sector"].value if first["sector"] is not None else ""
    return {"iri": iri, "name": first["name"].value,
            "aliases": "\n".join(sorted({r["alias"].value for r in rows if r["alias"] is not None})),
            "country": first["country"].value if first["country"] is not None else "",
            "sector": next((s.key for s in SECTORS if str(s.iri) == sector), ""),
            "sides": sorted({r["side"].value for r in rows if r["side"] is not None}), "side": ""}  # fmt: skip


@bp.route("/<any(person, organisation):kind>/edit", methods=["GET", "POST"])
@curator_required
def edit(kind: str) -> ResponseReturnValue:
    """The edit form of a person or an organisation (``?iri=``), and its submission."""
    iri = request.values.get("iri", "").strip()
    try:  # a name or an alias will do too
        iri = find_entity(library().store(), iri, kind) if iri else ""
    except LookupError as error:
        return render_template("curate/entity_missing.html", kind=kind, iri=iri, error=str(error)), 404
    values = _current(kind, iri) if iri else {}
    if not values:
        return render_template("curate/entity_missing.html", kind=kind, iri=iri, error=None), 404 if iri else 200
    values["url"] = page_url(iri, library().settings.base)
    values["version"] = request.form.get("version") or entity_version(library().settings, iri, kind)
    if request.method == "GET":
        return render_template("curate/entity_edit.html", kind=kind, values=values, errors={}, sectors=SECTORS,
                               sides=SIDES)  # fmt: skip
    form = {k: request.form.get(k, "") for k in ("name", "aliases", "country", "sector", "side", "acronym")}
    fields: dict[str, object] = {"name": form["name"], "country": form["country"],
                                 "aliases": [a.strip() for a in form["aliases"].splitlines() if a.strip()]}  # fmt: skip
    fields |= {"side": form["side"] or None} if kind == "person" else {"sector": form["sector"],
                                                                         "acronym": form["acronym"]}  # fmt: skip
    try:
        done = edit_entity(library().settings, current_agent(), iri, kind, values["version"], **fields)
    except EditConflict as error:
        return render_template("curate/entity_edit.html", kind=kind, values=values | form, errors={"form": [str(error)]},
                               sectors=SECTORS, sides=SIDES), 409  # fmt: skip
    except (WriteRejected, ValueError, LookupError) as error:
        return render_template("curate/entity_edit.html", kind=kind, values=values | form, errors=field_errors(error),
                               sectors=SECTORS, sides=SIDES), 422  # fmt: skip
    return render_template("curate/entity_done.html", done=done, url=page_url(done.iri, library().settings.base))


@bp.route("/merge", methods=["GET", "POST"])
@curator_required
def merge() -> ResponseReturnValue:
    """Merge two people (or organisations): every record moved, the old IRI redirected."""
    form = {k: request.values.get(k, "") for k in ("old", "new")}
    kind = "organisation" if request.values.get("kind") == "organisation" else "person"
    if request.method == "GET":
        return render_template("curate/entity_merge.html", form=form, kind=kind, errors={})
    try:
        done = merge_entities(library().settings, current_agent(), form["old"], form["new"], kind)
    except (WriteRejected, ValueError, LookupError) as error:
        errors = field_errors(error)
        if "form" in errors and "no " in errors["form"][0] and form["old"] and form["old"] in errors["form"][0]:
            errors = {"old": errors.pop("form")}
        return render_template("curate/entity_merge.html", form=form, kind=kind, errors=errors), 422
    return render_template("curate/entity_done.html", done=done, url=page_url(done.iri, library().settings.base))


@bp.route("/topics", methods=["GET", "POST"])
@curator_required
def topics() -> ResponseReturnValue:
    """The topic scheme: every topic with a rename form, and a form to add one."""
    base = library().settings.base
    rows = [{"iri": r["topic"].value, "en": r["en"].value, "zh": r["zh"].value if r["zh"] is not None else "",
             "url": page_url(r["topic"].value, base)} for r in library().store().query(TOPICS)]  # fmt: skip
    form = {k: request.form.get(k, "") for k in ("en", "zh", "broader", "topic", "action")}
    errors: dict[str, list[str]] = {}
    done = None
    if request.method == "POST":
        try:
            if form["action"] == "rename":
                done = rename_topic(library().settings, current_agent(), form["topic"], form["en"], form["zh"])
            else:
                broader = [b for b in request.form.getlist("broader") if b]
                done = add_topic(library().settings, current_agent(), form["en"], form["zh"], broader)
        except (WriteRejected, ValueError, LookupError) as error:
            errors = field_errors(error)
            return render_template("curate/entity_topics.html", topics=rows, form=form, errors=errors), 422
        return render_template("curate/entity_done.html", done=done, url=url_for("curate_entities.topics"))
    return render_template("curate/entity_topics.html", topics=rows, form=form, errors=errors)

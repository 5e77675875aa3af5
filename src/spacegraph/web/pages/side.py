"""The pages of a side of the dialogue (``/side/us``) and of a country (``/country/CN``): who took part for it,
people and organisations, edition by edition."""

from __future__ import annotations

import re

import pycountry

from spacegraph.vocab.terms import SIDE_BY_SLUG
from spacegraph.web.pages.cells import section
from spacegraph.web.pages.entity import PageNotFound
from spacegraph.web.pages.reader import Reader

PER_EDITION = """
SELECT ?edition ?date ?holder ?org ?isPerson WHERE {{
  {where}
  ?rec conf:during ?edition ; conf:isHeldBy ?holder .
  OPTIONAL {{ ?rec sg:affiliation/conf:withOrganisation ?org }}
  OPTIONAL {{ ?edition schema:startDate ?date }}
  BIND(IF(EXISTS {{ ?holder a foaf:Person }}, "yes", "no") AS ?isPerson)
}} ORDER BY ?date ?edition"""


def side_page(reader: Reader, slug: str) -> dict:
    if slug not in SIDE_BY_SLUG:
        raise PageNotFound(
            f"there is no side {slug!r}: the sides are {', '.join(SIDE_BY_SLUG)}",
            [{"text": s, "url": f"/side/{s}", "iri": str(side.iri)} for s, side in SIDE_BY_SLUG.items()],
        )
    iri = str(SIDE_BY_SLUG[slug].iri)
    label = reader.labels([iri]).get(iri, slug)
    return {"iri": iri, "kind": "side", "kind_name": "Side", "title": f"The {label} side", "summary": [],
            "sections": [per_edition(reader, "?rec sg:side %s% .", "Participants and organisations per edition",
                                     s=iri)]}  # fmt: skip


def country_page(reader: Reader, code: str) -> dict:
    code = code.upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise PageNotFound(f"{code!r} is not an ISO 3166-1 alpha-2 country code (e.g. US, CN, FR)")
    orgs = [r["o"] for r in reader.rows(f'SELECT ?o WHERE {{ ?o a org:Organization ; schema:addressCountry "{code}" }} '
                                        "ORDER BY ?o")]  # fmt: skip
    if not orgs:
        raise PageNotFound(f"no organisation from {code} is recorded")
    country = pycountry.countries.get(alpha_2=code)
    where = f"""{{ ?rec sg:affiliation/conf:withOrganisation/schema:addressCountry "{code}" }}
  UNION {{ ?rec conf:isHeldBy/schema:addressCountry "{code}" }}"""
    return {"iri": None, "kind": "country", "kind_name": "Country",
            "title": country.name if country else code, "summary": [
                {"label": "Code", "values": [code]}, {"label": "Organisations", "values": reader.linked(orgs)}],
            "sections": [per_edition(reader, where, "Participants and organisations per edition")]}  # fmt: skip


def per_edition(reader: Reader, where: str, heading: str, **iris: str) -> dict:
    """People and organisations per edition, for the participations ``where`` selects (as ?rec)."""
    rows = reader.rows(PER_EDITION.format(where=where), **iris)
    names = reader.labels([r["edition"] for r in rows] + [r["holder"] for r in rows] + [r["org"] for r in rows])
    grouped: dict[str, dict] = {}
    for r in rows:
        entry = grouped.setdefault(r["edition"] or "", {"date": r["date"], "people": [], "orgs": []})
        if r["isPerson"] == "yes" and r["holder"] not in entry["people"]:
            entry["people"].append(r["holder"])
        org = r["org"] if r["isPerson"] == "yes" else r["holder"]
        if org and org not in entry["orgs"]:
            entry["orgs"].append(org)
    return section("per-edition", heading, ["Date", "Edition", "People", "Organisations"],
        [[e["date"], reader.link(edition, names.get(edition)), [reader.link(p, names.get(p)) for p in e["people"]],
          [reader.link(o, names.get(o)) for o in e["orgs"]]] for edition, e in grouped.items()])  # fmt: skip

"""The pages of a side of the dialogue (``/side/us``) and of a country (``/country/CN``): who took part for it,
people and organisations, edition by edition."""

from __future__ import annotations

import re
from collections import defaultdict

import pycountry

from spacegraph.vocab.terms import SIDE_BY_SLUG
from spacegraph.web.pages.entity import PageNotFound
from spacegraph.web.pages.reader import Reader
from spacegraph.web.pages.table import Row, table

COUNTRIES = "SELECT DISTINCT ?o ?c WHERE { ?o a org:Organization ; schema:addressCountry ?c }"


def side_page(reader: Reader, slug: str) -> dict:
    if slug not in SIDE_BY_SLUG:
        raise PageNotFound(
            f"there is no side {slug!r}: the sides are {', '.join(SIDE_BY_SLUG)}",
            [{"text": s, "url": f"/side/{s}", "iri": str(side.iri)} for s, side in SIDE_BY_SLUG.items()],
        )
    iri = str(SIDE_BY_SLUG[slug].iri)
    label = reader.labels([iri]).get(iri, slug)
    return {"iri": iri, "kind": "side", "kind_name": "Side", "title": f"The {label} side", "summary": [],
            "sections": [per_edition(reader, ("side", label), "Participants and organisations per edition")]}  # fmt: skip


def country_page(reader: Reader, code: str) -> dict:
    code = code.upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise PageNotFound(f"{code!r} is not an ISO 3166-1 alpha-2 country code (e.g. US, CN, FR)")
    orgs = [r["o"] for r in reader.rows(f'SELECT ?o WHERE {{ ?o a org:Organization ; schema:addressCountry "{code}" }} '
                                        "ORDER BY ?o")]  # fmt: skip
    if not orgs:
        raise PageNotFound(f"no organisation from {code} is recorded")
    country = pycountry.countries.get(alpha_2=code)
    return {"iri": None, "kind": "country", "kind_name": "Country",
            "title": country.name if country else code, "summary": [
                {"label": "Code", "values": [code]}, {"label": "Organisations", "values": reader.linked(orgs)}],
            "sections": [per_edition(reader, ("country", code), "Participants and organisations per edition")]}  # fmt: skip


def per_edition(reader: Reader, group: tuple[str, str], heading: str) -> dict:
    """People and organisations per edition, of one side or country (``group``), from the analysis cache's role
    records; newest first, one page of editions at a time."""
    editions = reader.once(("per-edition",), lambda: group_appearances(reader)).get(group, {})
    rows = [Row([], {"year": (e["date"] or "")[:4] or None, "role": sorted(e["roles"]), "sector": sorted(e["sectors"])},
                (e["date"] or "", e["name"], len(e["people"]), len(e["orgs"])), (edition, e))
            for edition, e in editions.items()]  # fmt: skip

    def cells(shown: list[tuple[str, dict]]) -> list[list]:
        return [[e["date"], reader.link(edition, e["name"]), [reader.link(p, n) for p, n in e["people"].items()],
                 [reader.link(o, n) for o, n in e["orgs"].items()]] for edition, e in shown]  # fmt: skip

    return table("per-edition", heading, ["Date", "Edition", "People", "Organisations"], rows, reader.args, sort="-1",
                 build=cells)  # fmt: skip


def group_appearances(reader: Reader) -> dict[tuple[str, str], dict[str, dict]]:
    """(``side``, label) and (``country``, code) -> edition -> its date, name, people, organisations, roles and
    sectors, from every role record (computed once per data version)."""
    countries = {r["o"]: r["c"] for r in reader.rows(COUNTRIES)}
    out: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
    for a in reader.projections.appearances if reader.projections else []:
        organisation = a.agent if a.kind == "organisation" else a.organisation
        country = countries.get(organisation or "")
        for kind, value in (("side", a.side), ("country", country)):
            if value is None:
                continue
            e = out[(kind, value)].setdefault(a.event, {"date": a.date, "name": a.event_name, "people": {}, "orgs": {},
                                                "roles": set(), "sectors": set()})  # fmt: skip
            if a.kind == "person":
                e["people"].setdefault(a.agent, a.name)
            if organisation:
                e["orgs"].setdefault(organisation, a.organisation_name if a.kind == "person" else a.name)
            e["roles"].add(a.role)
            if a.sector:
                e["sectors"].add(a.sector)
    return dict(out)

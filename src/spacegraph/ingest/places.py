"""Places as pages print them: "Fuzhou, China", "Hefei, Anhui, China", "Paris, France (hybrid event)", "virtual".

>>> parse_place("Hefei, Anhui, China")
Place(city='Hefei', country='CN', mode=None)
>>> parse_place("Paris, France (hybrid event)")
Place(city='Paris', country='FR', mode='hybrid')
>>> parse_place("Virtual")
Place(city=None, country=None, mode='online')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pycountry

# Common forms pycountry's lookup does not know.
COUNTRY_ALIASES = {
    "usa": "US", "u.s.": "US", "u.s.a.": "US", "us": "US", "united states of america": "US", "america": "US",
    "uk": "GB", "u.k.": "GB", "england": "GB", "britain": "GB", "great britain": "GB", "prc": "CN",
    "p.r. china": "CN", "mainland china": "CN", "russia": "RU", "south korea": "KR", "korea": "KR",
    "iran": "IR", "vietnam": "VN", "the netherlands": "NL", "czech republic": "CZ", "hong kong": "HK",
}  # fmt: skip
ONLINE = re.compile(r"\b(?:virtual(?:ly)?|online|webinar|remote(?:ly)?|zoom)\b", re.I)
HYBRID = re.compile(r"\bhybrid\b", re.I)


@dataclass(frozen=True)
class Place:
    city: str | None
    country: str | None
    mode: str | None  # attendance mode the place line states, if any


@cache
def country_code(name: str) -> str | None:
    key = name.strip().strip(".").lower()
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    if len(key) < 3:
        return None
    try:
        return pycountry.countries.lookup(name.strip()).alpha_2
    except LookupError:
        return None


def parse_place(text: str) -> Place:
    mode = "hybrid" if HYBRID.search(text) else None
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"\b(?:hybrid|in[- ]person)\s+(?:event|meeting|format)\b", " ", text, flags=re.I)
    parts = [p.strip(" .;") for p in re.split(r",|\band\b", text) if p.strip(" .;")]
    if ONLINE.search(text) and not any(country_code(p) for p in parts):
        return Place(None, None, mode or "online")
    country = None
    if parts and (code := country_code(parts[-1])):
        country = code
        parts = parts[:-1]
    city = parts[0] if parts and not ONLINE.search(parts[0]) else None
    if ONLINE.search(text):
        mode = mode or "hybrid"
    return Place(city, country, mode)


COUNTRY_NAMES = sorted(
    {c.name for c in pycountry.countries}
    | {getattr(c, "common_name", c.name) for c in pycountry.countries}
    | {k.title() for k in COUNTRY_ALIASES if len(k) > 3},
    key=len,
    reverse=True,
)
IN_PLACE = re.compile(
    r"\b(?:in|at)\s+(?P<place>(?:[A-Z][\w'’.-]+(?:\s[A-Z][\w'’.-]+)*,\s+){1,2}(?:"
    + "|".join(re.escape(n) for n in COUNTRY_NAMES)
    + r"))\b"
)


def place_in_prose(sentence: str) -> Place | None:
    """ "… held in Paris, France, …" -> Paris, FR."""
    m = IN_PLACE.search(sentence)
    return parse_place(m.group("place")) if m else None


CHINESE_PLACES = re.compile(
    r"\b(?:China|Chinese|Beijing|Shanghai|Shenzhen|Guangzhou|Wuhan|Xi'?an|Chengdu|Hefei|Fuzhou|Changsha|Nanjing|"
    r"Hangzhou|Harbin|Tianjin|Chongqing|Jiuquan|Wenchang|Taiyuan|Xichang)\b"
)
US_NAMES = re.compile(r"\b(?:American|U\.S\.|United States|NASA|NOAA|FAA|Pentagon)\b")


def country_in_name(name: str) -> str | None:
    """The country an organisation's own name states ("Beijing … Co., Ltd." -> CN), or None."""
    if CHINESE_PLACES.search(name):
        return "CN"
    if US_NAMES.search(name):
        return "US"
    for country in COUNTRY_NAMES:
        if re.search(rf"\b{re.escape(country)}\b", name):
            return country_code(country)
    return None

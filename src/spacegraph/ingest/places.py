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

from spacegraph.ingest.dates import MONTHS
from spacegraph.ingest.gazetteer import city_country
from spacegraph.names.split import looks_like_person

MONTH_NAMES = sorted(MONTHS, key=len, reverse=True)

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
    if len(key) < 4:  # "EST", "CET" are time zones, not Estonia: only the aliases' short forms
        return None
    try:
        return pycountry.countries.lookup(name.strip()).alpha_2
    except LookupError:
        return None


# A part of a place line that names a venue, a room or an address, not the city.
VENUE = re.compile(
    r"\b(?:room|hall|hotel|cent(?:er|re)|auditorium|building|campus|university|universit[éy]|institute|museum|"
    r"library|theat(?:re|er)|amphitheat(?:re|er)|house|palace|tower|floor|suite|street|road|avenue|boulevard|"
    r"plaza|square|park|salon|salón|sala|club|school|faculty|college|academy|office|headquarters|pavilion|arena|"
    r"stadium|lounge|ballroom|conference|convention|venue|embassy|ministry|lab(?:orator(?:y|ies))?|space|"
    r"foundation|forum|council|agency|inc|ltd|gmbh)\b|\d|@",
    re.I,
)
ATTENDANCE_WORDS = re.compile(
    r"(?:\s*(?:&|\+|/|\band\b|\bor\b|\bplus\b)\s*)?\b(?:(?:also\s+)?(?:online|virtual(?:ly)?|remote(?:ly)?|"
    r"livestream(?:ed)?|(?:via\s+|on\s+)?zoom(?:\s+webinar)?|webinar)|hybrid(?:\s+(?:event|meeting|format))?|in[- ]person"
    r"(?:\s+(?:event|meeting|format))?)\b",
    re.I,
)
CITY_STATES = {"SG": "Singapore", "MC": "Monaco", "HK": "Hong Kong", "MO": "Macau", "VA": "Vatican City"}
SUBDIVISION_SUFFIX = re.compile(r"\s+(?:sheng|shi|zizhiqu|province|state|region|oblast|prefecture|county)$", re.I)


@cache
def _subdivisions() -> dict[str, str]:
    """Normalised names of states, provinces and regions (and the US states' codes) -> their country."""
    names: dict[str, str] = {}
    for sub in pycountry.subdivisions:
        key = SUBDIVISION_SUFFIX.sub("", sub.name).lower()
        names.setdefault(key, sub.country_code)
        if sub.country_code == "US":
            names[sub.code.split("-")[1].lower()] = "US"
    names["d.c."] = names["dc"] = "US"
    return names


def subdivision_country(part: str) -> str | None:
    """The country of a state, province or region named ``part`` ("Anhui", "California", "TX"), or None."""
    compact = part.replace(".", "").strip()
    if len(compact) == 2:
        return "US" if compact.isupper() and _subdivisions().get(compact.lower()) == "US" else None
    key = SUBDIVISION_SUFFIX.sub("", part.strip(" .")).lower()
    return _subdivisions().get(key) if len(key) > 3 else None


# A day or time after a place ("Lisbon on Thursday", "Recife this Monday morning"): no part of the place
WHEN_AFTER = re.compile(
    r"\s+(?:(?:on|this|next|last)\s+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b.*$|\s+(?:on|this)\s+"
    r"(?:morning|afternoon|evening|weekend)\b.*$",
    re.S,
)


def parse_place(text: str) -> Place:
    """A place line: the city is the part nearest the country that is no venue, room, address or region."""
    mode = "hybrid" if HYBRID.search(text) else None
    text = WHEN_AFTER.sub("", re.sub(r"\([^)]*\)", " ", text))
    online = bool(ONLINE.search(text))
    text = ATTENDANCE_WORDS.sub(" ", text)
    parts = [p.strip(" .;:·|–—-") for p in re.split(r",|\band\b|\s[|·–—]\s", text)]
    parts = [p for p in parts if p and re.search(r"\w", p)]
    if len(parts) > 1 and country_code(" ".join(text.split()).strip(" .,")):
        parts = [" ".join(text.split()).strip(" .,")]  # "Trinidad and Tobago"
    if online and not any(country_code(p) for p in parts) and not mode:
        if not parts or all(VENUE.search(p) for p in parts):
            return Place(None, None, "online")
    country = None
    if parts and (code := country_code(parts[-1])):
        country, parts = code, parts[:-1]
    elif parts and (code := subdivision_country(parts[-1])):  # "Houston, TX"; else a city ("Beijing", "Lusaka")
        state = len(parts) > 1 and not VENUE.search(parts[-2]) or len(parts[-1]) < 4
        country, parts = code, parts[:-1] if state else parts
    while len(parts) > 1 and not VENUE.search(parts[-2]) and country and subdivision_country(parts[-1]) == country:
        parts = parts[:-1]
    in_han = {c for c in map(han_city, parts) if c}
    parts = [han_city(p) or p for p in parts]  # 成都, 海南省海口市 -> Chengdu, Haikou
    cities = [p for p in parts if not VENUE.search(p) and len(p.split()) <= 4 and p[:1].isupper()]
    city = cities[-1] if cities else None
    if city is None and country in CITY_STATES:
        city = CITY_STATES[country]
    if country is None and city is not None:
        chinese = CHINESE_CITY.fullmatch(city) or city in in_han
        country = city_country(city) or ("CN" if chinese else None)
    if online:
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


CHINESE_CITY = re.compile(
    r"Beijing|Shanghai|Shenzhen|Guangzhou|Wuhan|Xi'?an|Chengdu|Hefei|Fuzhou|Changsha|Nanjing|Hangzhou|Harbin|Tianjin|"
    r"Chongqing|Jiuquan|Wenchang|Taiyuan|Xichang"
)
CHINESE_PLACES = re.compile(r"\b(?:China|Chinese|" + CHINESE_CITY.pattern + r")\b")
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


# "held in Haikou", "the forum in Bremen", "took place … at the Harbourlight Hotel in Cape Town"
PLACE_CUE = re.compile(
    r"\b(?:held|hosted|took\s+place|takes\s+place|take\s+place|convened?|gather(?:s|ed)?|met|meets?|meeting|forum|"
    r"workshop|conference|dialogue|roundtable|summit|seminar|symposium|event|panel|gathering|session)\b",
    re.I,
)
IN_CITY = re.compile(
    r"\bin\s+(?P<place>[A-Z][\w'’.-]+(?:\s(?:(?:es|de|del|la|le|am|an|upon|on|sur)\s)?[A-Z][\w'’.-]+){0,3}"
    r"(?:,\s+[A-Z][\w'’.-]+(?:\s[A-Z][\w'’.-]+){0,2})?)"
)
NOT_A_PLACE = re.compile(
    r"^(?:the|a|an|this|that|our|its|their|" + "|".join(MONTH_NAMES) + r"|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|english|chinese|french|spanish|arabic|person|total|part|particular)\b",
    re.I,
)


# The Chinese cities above in Han characters: "…对话会在成都举行" (was held in Chengdu).
HAN_CITIES = dict(
    pair.split("=")
    for pair in (
        "北京=Beijing;上海=Shanghai;深圳=Shenzhen;广州=Guangzhou;武汉=Wuhan;西安=Xi'an;成都=Chengdu;合肥=Hefei;"
        "福州=Fuzhou;长沙=Changsha;南京=Nanjing;杭州=Hangzhou;哈尔滨=Harbin;天津=Tianjin;重庆=Chongqing;酒泉=Jiuquan;"
        "文昌=Wenchang;太原=Taiyuan;西昌=Xichang"
    ).split(";")
)
HAN_PLACE = re.compile(r"在(?P<city>" + "|".join(HAN_CITIES) + r")(?:市)?(?:隆重|成功)?(?:举行|举办|召开|开幕)")


HAN_CITY = re.compile(r"^(?:[\u4e00-\u9fff]{2,7}?[省区])?(?P<city>[\u4e00-\u9fff]{2,3}?)市?$")


def han_city(text: str) -> str | None:
    """A Chinese city written in Han characters, in pinyin ("南宁", "海南省海口市" -> "Nanning", "Haikou"): the
    names above as the project spells them, any other by pypinyin's readings; None for anything else."""
    m = HAN_CITY.match(text.strip())
    if not m:
        return None
    city = m.group("city")
    if city in HAN_CITIES:
        return HAN_CITIES[city]
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(city, style=Style.NORMAL)).capitalize()


def place_line(text: str) -> Place | None:
    """A line that is only a place, "City, Country" ("Nairobi, Kenya" under an event's heading), or None."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 2 or len(text) > 60 or VENUE.search(parts[0]) or not country_code(parts[1].strip(" .")):
        return None
    place = parse_place(text)
    if place.city != parts[0] or (city_country(place.city) is None and looks_like_person(place.city)):
        return None  # "Ana Lind, Kenya" is a person and her country, unless the gazetteer knows the city
    return place


def place_in_prose(sentence: str) -> Place | None:
    """ "… held in Paris, France, …" -> Paris, FR; "the forum in Bremen" -> Bremen (after a word that speaks of
    the event: held, took place, met, forum, workshop …), never a venue, a month or a language."""
    m = IN_PLACE.search(sentence)
    if m:
        return parse_place(m.group("place"))
    if han := HAN_PLACE.search(sentence):
        return Place(HAN_CITIES[han.group("city")], "CN", None)
    cue = PLACE_CUE.search(sentence)
    if cue is None:
        return None
    for m in IN_CITY.finditer(sentence, cue.end()):
        text = m.group("place")
        if NOT_A_PLACE.match(text) or VENUE.search(text):
            continue
        place = parse_place(text)
        if place.city or place.country:
            return place
    return None


def place_beside_date(text: str, start: int, end: int) -> Place | None:
    """The place a date line gives before or after its date: "Buenos Aires, Argentina – Tuesday, 22 November
    2016", "May 10, 2016 — Nairobi, Kenya", "Dakar, Senegal | 4-6 February 2025 | Hybrid", "Athens, 14–15 June"."""
    segments = [s for side in (text[:start], text[end:]) for s in re.split(r"\s[|·–—-]\s|\||·|\s[–—]|[–—]\s", side)]
    segments = [s.strip(" ,;:") for s in segments if re.search(r"[^\W\d_]", s)]
    for segment in segments:
        place = parse_place(segment)
        alone = len(segments) == 1 and "," not in segment and not segment.endswith(".")
        if place.country or (place.city and alone and TITLE_CASE.fullmatch(place.city)):
            return place
    return None


# A city's name: capitalised words, with the particles some have ("Dar es Salaam", "Rio de Janeiro").
TITLE_CASE = re.compile(r"[A-Z][\w'’.-]*(?:\s(?:(?:es|de|del|da|do|la|le|am|an|upon|on|sur)\s)?[A-Z][\w'’.-]*){0,3}")


CITY_COMMA = re.compile(
    r"(?<![\w'’.-])(?P<city>[A-Z][\w'’.-]+(?:\s[A-Z][\w'’.-]+){0,2}),\s+(?=(?P<rest>[A-Z][\w.]*(?:\s[A-Z][\w.]*){0,3}))"
)


def place_after_date(text: str, end: int, window: int = 200) -> Place | None:
    """In a long line (a flattened page), the first "City, Country" (or "City, ST") within ``window`` characters
    after the date ending at ``end``: "… March 8, 2017 10:00 am EST Harlan Auditorium, Washington, DC Hosted by"."""
    for m in CITY_COMMA.finditer(text[end : end + window]):
        words = m.group("rest").split()
        for n in range(len(words), 0, -1):
            country = country_code(" ".join(words[:n])) or subdivision_country(" ".join(words[:n]))
            if country and not VENUE.search(m.group("city")):
                return Place(m.group("city"), country, None)
    return None

#!/usr/bin/env python
"""Generate a synthetic spacegraph data directory of a chosen size, for benchmarks and tests.

The output is a data directory exactly like data/: ``registry/{organisations,people,topics,series}.trig`` and
one ``graphs/*.trig`` per edition, each file holding one named graph that describes its own provenance, so
``spacegraph --data DIR --store STORE build`` loads and validates it like the real data. Everything is made
with the library: records (``spacegraph.vocab.records``), a ``Registry`` to resolve printed names, the
``spacegraph.ingest.to_rdf`` functions and ``spacegraph.datafiles.write_graph_files``.

What the data looks like:

* several dialogue series, each with a few editions a year over many years (more editions in later years),
  workshops and dialogues in U.S., Chinese and third-country cities, some online or hybrid, some
  co-located with a larger event;
* two main sides (U.S., China) plus others, on every edition;
* people picked by preferential attachment (a Yule-Simon process over recent appearances): a few recur in
  dozens of editions, most appear once; each series has convenors who open, close and moderate most of its
  editions for some years and then hand over;
* organisations in all six sectors and in many countries, printed under their name, their acronym, with the
  acronym in parentheses, or with a typo (registered as aliases, as curators do);
* affiliations that change over a person's career (a new organisation and title from one year on);
* topics in a SKOS scheme three levels deep (8 broad topics, subjects, aspects of subjects with a second
  broader topic), with English and Chinese labels; editions and talks are about them;
* roles: speaker, moderator, opening and closing remarks, keynote, panelist, discussant, contact, and
  organisations as hosts; talks with titles; participant lists complete or not.

The size is the number of quads (triples in their named graphs) over all files, as ``spacegraph build``
counts them; the generator predicts each file's count while it plans, stops at the target (a few per cent
either side at 10^4, closer at larger sizes) and reports the count actually written. The output depends on
``--seed`` and ``--triples`` only, never on the machine, the number of jobs or the hash seed.
"""

from __future__ import annotations

import argparse
import bisect
import gc
import itertools
import json
import math
import multiprocessing
import os
import random
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from spacegraph.datafiles import write_graph_files
from spacegraph.ingest.to_rdf import (
    Provenance,
    describe_graph,
    new_graph,
    organisation_triples,
    person_triples,
    source_graph,
)
from spacegraph.iris import Minter, slug
from spacegraph.names.keys import name_key
from spacegraph.names.registry import Registry
from spacegraph.vocab import CONF, RDF, RDFS, SDO, SG, SKOS
from spacegraph.vocab.records import (
    EventRecord,
    OrganisationRecord,
    ParticipantRecord,
    PersonRecord,
    SourceRecord,
)
from spacegraph.vocab.terms import ROLE_BY_KEY

GENERATOR_VERSION = 1
END_YEAR = 2025
REGISTRY_RECORDED_AT = "2026-01-01T00:00:00Z"
FACT_FILE = "generator.json"  # written to DIR/sources/: the parameters and counts of the run
EXAMPLE = """\
example:
  python bench/generate.py --triples 100000 --out bench/out/100000-seed1 --seed 1
  spacegraph --data bench/out/100000-seed1 --store /tmp/bench-store build
"""

#################################################################
# Vocabulary of the synthetic world
#################################################################

TOP_TOPICS = [
    ("space commercialization", "航天商业化"),
    ("space policy and regulation", "航天政策与监管"),
    ("satellite constellations and services", "卫星星座与应用"),
    ("commercial human spaceflight and space tourism", "商业载人航天与太空旅游"),
    ("lunar and cislunar activities", "月球与地月空间活动"),
    ("space safety and sustainability", "空间安全与可持续性"),
    ("U.S.-China dialogue and cooperation", "中美对话与合作"),
    ("space economy and business models", "太空经济与商业模式"),
]
SUBJECTS = [  # (English, Chinese, index of the broader topic in TOP_TOPICS)
    ("commercial launch services", "商业发射服务", 0),
    ("reusable launch vehicles", "可重复使用运载火箭", 0),
    ("small satellite manufacturing", "小卫星制造", 0),
    ("in-space manufacturing", "在轨制造", 0),
    ("space supply chains", "航天供应链", 0),
    ("launch licensing", "发射许可", 1),
    ("spectrum management", "频谱管理", 1),
    ("export controls", "出口管制", 1),
    ("space law", "空间法", 1),
    ("national space legislation", "国家航天立法", 1),
    ("broadband constellations", "宽带星座", 2),
    ("Earth observation data", "对地观测数据", 2),
    ("satellite navigation", "卫星导航", 2),
    ("satellite internet of things", "卫星物联网", 2),
    ("remote sensing applications", "遥感应用", 2),
    ("suborbital tourism", "亚轨道旅游", 3),
    ("commercial space stations", "商业空间站", 3),
    ("astronaut training", "航天员训练", 3),
    ("crew transportation", "载人运输", 3),
    ("lunar resources", "月球资源", 4),
    ("lunar landers", "月球着陆器", 4),
    ("cislunar communications", "地月通信", 4),
    ("lunar research stations", "月球科研站", 4),
    ("space resource utilization", "空间资源利用", 4),
    ("space debris mitigation", "空间碎片减缓", 5),
    ("active debris removal", "主动碎片清除", 5),
    ("space situational awareness", "空间态势感知", 5),
    ("collision avoidance", "碰撞规避", 5),
    ("on-orbit servicing", "在轨服务", 5),
    ("people-to-people exchange", "民间交流", 6),
    ("track II diplomacy", "二轨外交", 6),
    ("joint research projects", "联合研究项目", 6),
    ("data exchange mechanisms", "数据交换机制", 6),
    ("youth and education exchange", "青年与教育交流", 6),
    ("space investment", "航天投资", 7),
    ("venture capital", "风险投资", 7),
    ("space insurance", "航天保险", 7),
    ("market competition", "市场竞争", 7),
    ("public-private partnerships", "公私合作", 7),
]
ASPECTS = [  # (English template, Chinese template, second broader topic or None)
    ("regulation of {}", "{}监管", 1),
    ("markets for {}", "{}市场", 7),
    ("financing {}", "{}融资", 7),
    ("international cooperation on {}", "{}国际合作", 6),
    ("safety of {}", "{}安全", 5),
    ("standards for {}", "{}标准", 1),
    ("the future of {}", "{}的未来", None),
    ("risks in {}", "{}风险", None),
    ("technology trends in {}", "{}技术趋势", None),
    ("workforce development for {}", "{}人才培养", None),
    ("data sharing in {}", "{}数据共享", 6),
    ("norms of behaviour for {}", "{}行为规范", 5),
    ("insurance of {}", "{}保险", 7),
    ("public perception of {}", "{}的公众认知", None),
    ("sustainability of {}", "{}的可持续性", 5),
]

CN_FAMILY = (
    "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin Luo Zheng Liang Xie Song Tang "
    "Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu Du Ye Cheng Wei Su Lu Ding Ren Shen Yao Jin "
    "Fan Fang Shi Tan Liao Zou Xiong Qin Huo Pi"
).split()
CN_SYLLABLES = (
    "Yi Ran Jia Dong Wei Ming Hua Jun Lei Tao Hong Li Xin Yu Fang Qing Bo Jie Hao Yang Chen Xiao Lin Ping Feng "
    "Gang Jing Lan Mei Ning Rui Shan Ting Wen Xue Yan Yun Zhen Zhi Hui Kai Peng Qiang Song Tian Xiang Yong Zhong "
    "An Bin Cheng Da Fei Guang Heng Jian Kang Liang Min Nan"
).split()
KR_FAMILY = "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon".split()
KR_SYLLABLES = "Min Jun Seo Ji Hyun Woo Young Soo Eun Jae Hye Sung Ho Yeon Dong".split()
US_GIVEN = (
    "James John Robert Michael William David Richard Joseph Thomas Charles Daniel Matthew Anthony Mark Steven "
    "Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Jason Edward Jeffrey Ryan Jacob Gary Nicholas "
    "Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Frank Raymond Patrick Alexander "
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret Sandra "
    "Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie Rebecca Laura Sharon Cynthia "
    "Kathleen Amy Angela Shirley Anna Brenda Pamela Emma Nicole Helen Samantha Katherine Christine Rachel Victoria"
).split()
US_FAMILY = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson "
    "Anderson Thomas Taylor Moore Jackson Martin Thompson White Harris Sanchez Clark Ramirez Lewis Robinson "
    "Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell "
    "Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris "
    "Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox "
    "Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo "
    "Sanders Patel Myers Long Ross Foster Christensen Hodgkins Manber Ronci Curcio Weeden Pace Hertzfeld"
).split()
EU_GIVEN = (
    "Jean Pierre Marie Sophie Luc Claire Hans Klaus Anna Lena Stefan Julia Marco Giulia Luca Francesca Pablo "
    "Lucia Carlos Elena Olivier Camille Thomas Nicolas Isabelle Matteo Chiara Andreas Katrin Lars Ingrid Erik "
    "Astrid Pieter Sanne Jan Eva Tomas Petra Mikhail Olga Dmitri Natalia Oliver Charlotte Harry Amelia Ahmed Fatima"
).split()
EU_FAMILY = (
    "Martin Bernard Dubois Durand Lefebvre Moreau Laurent Simon Michel Leroy Muller Schmidt Schneider Fischer "
    "Weber Meyer Wagner Becker Schulz Hoffmann Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci "
    "Garcia Fernandez Lopez Martinez Gonzalez Rodriguez Jansen DeVries Bakker Visser Andersson Johansson "
    "Karlsson Nilsson Hansen Johansen Olsen Nowak Kowalski Novak Ivanov Petrov Smirnov Popescu Papadopoulos "
    "Wilson Thompson Evans Walker Wright Al-Mansouri Haddad"
).split()
JP_GIVEN = "Hiroshi Takashi Kenji Yuki Satoshi Akira Naoko Yoko Keiko Haruki Daisuke Emi Kaori Ryo Shinji".split()
JP_FAMILY = "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada Sasaki".split()
IN_GIVEN = "Arjun Priya Rahul Ananya Vikram Kavya Sanjay Deepa Ravi Meera Anil Sunita Rajesh Lakshmi Kiran".split()
IN_FAMILY = "Sharma Verma Gupta Iyer Nair Reddy Rao Menon Pillai Bhat Mehta Joshi Kulkarni Desai Banerjee".split()

BRANDS = (
    "Stellar Orbital Nova Apex Horizon Zenith Polaris Vega Aurora Summit Pioneer Vector Helios Astra Galaxy "
    "Quantum Frontier Meridian Equinox Solstice Comet Nebula Photon Kepler Atlas Titan Orion Lyra Altair Sirius "
    "Cosmos Starlight Skyward Celestial Eclipse Voyager Endeavour Liberty Odyssey Ascent"
).split()
CN_BRANDS = (
    "Tianyi Xingyun Changguang Jiuzhou Xinghe Tianbing Yinhe Lanjian Xingji Tianhui Hongyan Kunpeng Qianfan "
    "Tiangong Xihe Zhuque Qingzhou Xuntian Tianlian Haiyang Fengyun Gaofen Yunhai Tianqi Xingwang Huoyan Qiankun "
    "Xuanyuan Pangu Fuxi Kuafu Jingwei Nuwa Taiyi Shenlong Tianzhou Wangxing Guoxing Hangtian Weixing"
).split()
FIELDS = [
    "Space Technology", "Aerospace", "Satellite Systems", "Launch Services", "Space Systems", "Rocketry",
    "Space Robotics", "Remote Sensing", "Space Communications", "Propulsion", "Space Electronics",
    "Geospatial Intelligence", "Orbital Logistics", "Space Power", "Space Materials", "Space Medicine",
    "Astrodynamics", "Space Weather", "Navigation Systems", "Space Data",
]  # fmt: skip
POLICY_FIELDS = [
    "Space Commerce", "Space Policy", "Space Affairs", "Commercial Space Transportation",
    "Space Situational Awareness", "Science and Technology", "Industry and Information Technology",
    "Space Exploration", "Space Sustainability", "Space Law", "Earth Observation", "Satellite Applications",
    "Civil Aviation and Space", "Innovation Policy",
]  # fmt: skip
US_AGENCIES = ["Federal", "National", "U.S.", "Interagency", "State Department", "Commerce Department",
               "Defense Department", "NASA", "NOAA", "FAA"]  # fmt: skip
US_STATES = [
    "Colorado", "Virginia", "Texas", "Florida", "California", "Alabama", "Maryland", "Ohio", "Washington",
    "New Mexico", "Arizona", "Utah", "Georgia", "Michigan", "Massachusetts", "Oklahoma", "Hawaii", "Alaska",
]  # fmt: skip
US_CITIES = [
    ("Washington", "US"), ("New York", "US"), ("Boulder", "US"), ("Colorado Springs", "US"), ("Houston", "US"),
    ("Los Angeles", "US"), ("San Francisco", "US"), ("Seattle", "US"), ("Cape Canaveral", "US"),
    ("Huntsville", "US"), ("Denver", "US"), ("Boston", "US"),
]  # fmt: skip
CN_CITIES = [
    ("Beijing", "CN"), ("Shanghai", "CN"), ("Fuzhou", "CN"), ("Hefei", "CN"), ("Shenzhen", "CN"), ("Xi'an", "CN"),
    ("Wuhan", "CN"), ("Changsha", "CN"), ("Haikou", "CN"), ("Wenchang", "CN"), ("Zhuhai", "CN"),
    ("Hong Kong", "HK"),
]  # fmt: skip
OTHER_CITIES = [
    ("Paris", "FR"), ("Vienna", "AT"), ("Dubai", "AE"), ("Tokyo", "JP"), ("Bremen", "DE"), ("Milan", "IT"),
    ("Singapore", "SG"), ("Luxembourg", "LU"), ("Geneva", "CH"), ("Bengaluru", "IN"),
]  # fmt: skip
CN_ORG_CITIES = [
    "Beijing", "Shanghai", "Shenzhen", "Xi'an", "Changsha", "Chengdu", "Wuhan", "Hangzhou", "Nanjing", "Hefei",
    "Suzhou", "Guangzhou", "Tianjin", "Jinan", "Qingdao", "Xiamen", "Harbin", "Changchun", "Fuzhou", "Kunming",
]  # fmt: skip
CN_PROVINCES = [
    "Guangdong", "Jiangsu", "Zhejiang", "Shandong", "Sichuan", "Hubei", "Hunan", "Fujian", "Anhui", "Shaanxi",
    "Hainan", "Jilin", "Heilongjiang", "Liaoning", "Henan", "Hebei", "Yunnan", "Guangxi", "Jiangxi", "Shanxi",
]  # fmt: skip
OTHER_COUNTRIES = {  # code: (adjective, company suffix, a city, weight)
    "FR": ("French", "SAS", "Toulouse", 10), "DE": ("German", "GmbH", "Munich", 9), "GB": ("British", "Ltd", "London", 9),
    "JP": ("Japanese", "K.K.", "Tokyo", 9), "IN": ("Indian", "Pvt. Ltd.", "Bengaluru", 7), "LU": ("Luxembourg", "S.A.", "Luxembourg", 4),
    "IT": ("Italian", "S.p.A.", "Rome", 6), "KR": ("Korean", "Co., Ltd.", "Daejeon", 5), "CA": ("Canadian", "Inc.", "Montreal", 6),
    "AE": ("Emirati", "LLC", "Dubai", 4), "AU": ("Australian", "Pty Ltd", "Adelaide", 5), "NL": ("Dutch", "B.V.", "Noordwijk", 4),
    "SG": ("Singaporean", "Pte. Ltd.", "Singapore", 3), "CH": ("Swiss", "AG", "Geneva", 4), "BR": ("Brazilian", "Ltda.", "Sao Jose dos Campos", 3),
    "NZ": ("New Zealand", "Ltd", "Auckland", 2), "RU": ("Russian", "JSC", "Moscow", 3), "AT": ("Austrian", "GmbH", "Vienna", 3),
}  # fmt: skip
REGIONS = ["European", "Asia-Pacific", "African", "Arab", "Latin American", "Nordic", "International",
           "Inter-American", "Pan-Asian", "Eurasian"]  # fmt: skip
SECTOR_WEIGHTS = {  # side -> sector -> weight
    "US": {"private company": 38, "government body": 14, "non-profit": 18, "research institute": 28,
           "state-owned enterprise": 2},
    "CN": {"private company": 28, "state-owned enterprise": 27, "government body": 12, "non-profit": 10,
           "research institute": 23},
    "other": {"private company": 30, "government body": 20, "non-profit": 12, "research institute": 22,
              "state-owned enterprise": 6, "intergovernmental body": 10},
}  # fmt: skip
TITLES = {
    "private company": ["CEO", "Founder and CEO", "CTO", "Vice President of Business Development", "Chief Engineer",
                        "Director of Government Affairs", "Head of Strategy", "President", "Co-founder"],
    "state-owned enterprise": ["General Manager", "Chief Designer", "Vice President", "Deputy Chief Engineer",
                               "Director of International Cooperation", "Executive Vice President"],
    "government body": ["Director", "Deputy Director", "Senior Policy Advisor", "Program Manager",
                        "Division Chief", "Associate Administrator"],
    "non-profit": ["Executive Director", "Director of Programs", "Senior Fellow", "Secretary General",
                   "Vice President & Secretary General", "Project Manager"],
    "research institute": ["Professor", "Associate Professor", "Senior Researcher", "Research Fellow", "Dean",
                           "Research Staff Member", "Director of the Space Policy Program"],
    "intergovernmental body": ["Head of Office", "Programme Officer", "Director", "Senior Legal Officer"],
}  # fmt: skip
SERIES_PREFIXES = ["Sino-U.S.", "U.S.-China", "Trans-Pacific", "Track II", "Bilateral", "Beijing-Washington",
                   "Pacific", "China-U.S."]  # fmt: skip
SERIES_THEMES = ["Space Commercialization", "Space Policy", "Lunar Commerce", "Satellite Services", "Space Safety",
                 "Commercial Launch", "Space Economy", "Space Sustainability", "Commercial Human Spaceflight",
                 "Space Traffic", "Space Resources", "Space Law"]  # fmt: skip
SERIES_KINDS = [("Workshop", "workshop"), ("Dialogue", "dialogue"), ("Roundtable", "dialogue"),
                ("Forum", "workshop"), ("High-end Dialogue", "dialogue")]  # fmt: skip
BIG_EVENTS = {
    "US": ["Space Symposium", "International Space Development Conference", "Small Satellite Conference"],
    "CN": ["China Space Conference", "Airshow China", "China Commercial Space Summit"],
    "other": ["International Astronautical Congress", "Paris Peace Forum", "UN/China Forum on Space Solutions"],
}
TALK_TEMPLATES = [
    "Perspectives on {}", "Lessons learned in {}", "Opportunities and challenges in {}", "The state of {}",
    "Toward a shared approach to {}", "Case study: {}", "The case for {}", "A roadmap for {}",
    "New developments in {}", "Building trust through {}", "What comes next for {}", "Rethinking {}",
]  # fmt: skip
THEME_TITLES = ["Constellations Guide the Future", "Perspectives on Lunar Commercialization", "Open Skies",
                "Partners in Orbit", "From LEO to the Moon", "Shared Orbits", "A Sustainable Space Economy",
                "New Players, New Rules", "Launch and Beyond", "Bridging the Pacific"]  # fmt: skip
LEGAL_SUFFIXES = ["Group Co., Ltd.", "Co., Ltd.", "Inc.", "LLC", "Corporation", "Co.", "Holdings", "SAS", "GmbH",
                  "Ltd", "K.K.", "Pvt. Ltd.", "S.A.", "S.p.A.", "Pty Ltd", "B.V.", "Pte. Ltd.", "AG", "Ltda.",
                  "JSC"]  # fmt: skip


#################################################################
# The world: organisations, people, topics, series
#################################################################


@dataclass(eq=False)
class Org:
    name: str
    sector: str
    country: str | None
    side: str
    aliases: list[str] = field(default_factory=list)
    acronym: str | None = None
    typo: str | None = None

    def record(self) -> OrganisationRecord:
        return OrganisationRecord(self.name, self.sector, self.country, tuple(self.aliases))


@dataclass(eq=False)
class Person:
    index: int
    name: str
    family: str
    given: str | None
    side: str
    culture: str
    aliases: list[str]
    variants: list[str]  # printed forms that resolve without an alias (case, hyphenation)
    org: Org
    title: str
    since: int  # year of the current affiliation
    appearances: int = 0

    def record(self) -> PersonRecord:
        return PersonRecord(self.name, self.family, self.given, tuple(self.aliases))


@dataclass(eq=False)
class Series:
    name: str
    short: str
    kind: str
    start_year: int
    organisers: list[Org]
    convenors: dict[str, Person | None] = field(default_factory=dict)  # side -> current convenor
    convenor_until: dict[str, int] = field(default_factory=dict)
    editions: int = 0
    by_year: dict[int, int] = field(default_factory=dict)


@dataclass
class Plan:
    """Everything generated before any RDF: what the files will say."""

    seed: int
    target: int
    orgs: list[Org]
    people: list[Person]
    topics: list[tuple[str, str, list[str]]]  # (English label, Chinese label, broader English labels)
    series: list[Series]
    sources: list[tuple[str, SourceRecord, str, str]]  # (file name, record, series name, recorded at)
    predicted: int


class Names:
    """Claims names so that no two entities share a resolution key or an IRI segment."""

    def __init__(self) -> None:
        self.keys: set[str] = set()

    def free(self, *names: str) -> bool:
        keys = [name_key(n) for n in names]
        return all(k and k not in self.keys for k in keys) and len(set(keys)) == len(keys)

    def claim(self, *names: str) -> None:
        for n in names:
            self.keys.add(name_key(n))


def _zipf_cumulative(n: int, exponent: float) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(n)))


def _pick(rng: random.Random, items: list, cumulative: list[float]):
    return items[bisect.bisect_left(cumulative, rng.random() * cumulative[-1])]


def _acronym(name: str) -> str | None:
    skip = {"of", "for", "the", "and", "on", "in", "co.,", "ltd.", "ltd", "inc.", "llc", "co."}
    letters = [w[0] for w in name.replace("-", " ").split() if w.lower() not in skip and w[0].isalpha()]
    acronym = "".join(letters).upper()
    return acronym if 3 <= len(acronym) <= 6 else None


def _typo(rng: random.Random, name: str) -> str:
    """The name as a careless source prints it: upper case, one letter doubled or two swapped."""
    chars = list(name.upper())
    positions = [i for i in range(1, len(chars) - 2) if chars[i].isalpha() and chars[i + 1].isalpha()]
    i = rng.choice(positions)
    if rng.random() < 0.5:
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    else:
        chars.insert(i, chars[i])
    return "".join(chars)


def _org_name(rng: random.Random, side: str, sector: str, country: str | None) -> str:
    r = rng.random
    c = rng.choice
    if side == "CN":
        if sector == "private company":
            return f"{c(CN_ORG_CITIES)} {c(CN_BRANDS)} {c(FIELDS)} Co., Ltd."
        if sector == "state-owned enterprise":
            if r() < 0.5:
                return f"China {c(CN_BRANDS)} {c(FIELDS)} Group Co., Ltd."
            return f"{c(CN_BRANDS)} Academy of {c(FIELDS)}"
        if sector == "government body":
            if r() < 0.8:
                return f"{c(CN_PROVINCES)} Provincial {c(['Bureau', 'Commission', 'Department', 'Office'])} of {c(POLICY_FIELDS)}"
            return f"China National {c(POLICY_FIELDS)} Administration"
        if sector == "non-profit":
            if r() < 0.4:
                return f"Chinese Society of {c(FIELDS)} {c(['Engineering', 'Industry', 'Research', 'Applications'])}"
            return (
                f"{c(CN_ORG_CITIES)} {c(POLICY_FIELDS)} {c(['Association', 'Industry Alliance', 'Promotion Center'])}"
            )
        if sector == "research institute":
            if r() < 0.5:
                return f"{c(CN_ORG_CITIES)} University of {c(FIELDS)}"
            return f"{c(CN_ORG_CITIES)} {c(CN_BRANDS)} Institute of {c(FIELDS)}"
    if side == "US":
        if sector in ("private company", "state-owned enterprise"):
            suffix = c(["Inc.", "LLC", "Corporation", "Co.", "Holdings"])
            if r() < 0.5:
                return f"{c(BRANDS)} {c(FIELDS)} {suffix}"
            return f"{c(BRANDS)}{c(BRANDS).lower()} {suffix}"
        if sector == "government body":
            if r() < 0.6:
                return f"{c(US_AGENCIES)} Office of {c(POLICY_FIELDS)}"
            return f"{c(US_STATES)} {c(POLICY_FIELDS)} {c(['Authority', 'Commission', 'Council'])}"
        if sector == "non-profit":
            if r() < 0.6:
                return f"{c(BRANDS)} {c(['World', 'Space', 'Orbit', 'Frontier'])} {c(['Foundation', 'Institute', 'Alliance', 'Society', 'Council'])}"
            return f"{c(['Alliance', 'Coalition', 'Foundation', 'Center'])} for {c(POLICY_FIELDS)} {c(['Studies', 'Dialogue', 'Research', 'Advancement'])}"
        if sector == "research institute":
            roll = r()
            if roll < 0.3:
                return f"{c(US_STATES)} {c(['State University', 'Institute of Technology', 'Polytechnic University'])} {c(['Department', 'School', 'Laboratory'])} of {c(FIELDS)}"
            if roll < 0.6:
                return f"{c(BRANDS)} Center for {c(POLICY_FIELDS)} {c(['Studies', 'Research', 'Analysis'])}"
            return f"{c(US_STATES)} Institute of {c(FIELDS)}"
    adjective, suffix, city, _ = OTHER_COUNTRIES.get(country or "", ("International", "Ltd", "Geneva", 0))
    if sector in ("private company", "state-owned enterprise"):
        if sector == "state-owned enterprise":
            return f"{adjective} {c(FIELDS)} {c(['Company', 'Corporation', 'Group'])} {c(BRANDS)}"
        return f"{c(BRANDS)} {c(FIELDS)} {suffix}"
    if sector == "government body":
        if r() < 0.3:
            return f"{adjective} {c(['Space Agency', 'Space Office', 'Space Directorate'])} for {c(POLICY_FIELDS)}"
        return f"{adjective} Ministry of {c(POLICY_FIELDS)}"
    if sector == "non-profit":
        return f"{adjective} {c(BRANDS)} {c(['Foundation', 'Space Society', 'Institute'])}"
    if sector == "research institute":
        if r() < 0.5:
            return f"University of {city} {c(['Department', 'Centre', 'School'])} of {c(FIELDS)}"
        return f"{adjective} Institute of {c(FIELDS)} {c(BRANDS)}"
    # intergovernmental body
    roll = r()
    if roll < 0.4:
        return f"{c(REGIONS)} Organisation for {c(POLICY_FIELDS)}"
    if roll < 0.7:
        return f"United Nations {c(['Office', 'Programme', 'Committee'])} for {c(POLICY_FIELDS)} {c(['', 'Cooperation', 'Coordination'])}".strip()
    return f"{c(REGIONS)} {c(FIELDS)} {c(['Agency', 'Consortium', 'Organisation'])}"


class World:
    """The generator's state: every random choice is drawn from one seeded Random, in a fixed order."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.names = Names()
        self.orgs_by_side: dict[str, list[Org]] = {"US": [], "CN": [], "other": []}
        self.org_cumulative: dict[str, list[float]] = {}
        self.people: list[Person] = []
        self.recent: dict[str, list[Person]] = {"US": [], "CN": [], "other": []}  # one entry per appearance
        self.other_countries = list(OTHER_COUNTRIES)
        self.other_weights = list(itertools.accumulate(v[3] for v in OTHER_COUNTRIES.values()))

    # organisations ------------------------------------------------------------------

    def make_orgs(self, count: int) -> list[Org]:
        rng = self.rng
        shares = {"US": 0.4, "CN": 0.4, "other": 0.2}
        orgs: list[Org] = []
        for side, share in shares.items():
            sectors = list(SECTOR_WEIGHTS[side])
            weights = list(SECTOR_WEIGHTS[side].values())
            wanted = max(len(sectors), round(count * share))
            # every sector at least once on every side that has it, then by weight
            plan = sectors + rng.choices(sectors, weights, k=wanted - len(sectors))
            for sector in plan:
                org = self._new_org(side, sector)
                if org is not None:
                    self.orgs_by_side[side].append(org)
                    orgs.append(org)
        for side, pool in self.orgs_by_side.items():
            rng.shuffle(pool)  # popularity (Zipf rank) independent of sector
            self.org_cumulative[side] = _zipf_cumulative(len(pool), 0.9)
        return orgs

    def _new_org(self, side: str, sector: str) -> Org | None:
        rng = self.rng
        for _ in range(50):
            if side == "US":
                country: str | None = "US"
            elif side == "CN":
                country = "HK" if rng.random() < 0.04 else "CN"
            elif sector == "intergovernmental body":
                country = None if rng.random() < 0.5 else rng.choice(["AT", "FR", "CH", "NL", "AE"])
            else:
                country = self.other_countries[
                    bisect.bisect_left(self.other_weights, rng.random() * self.other_weights[-1])
                ]
            name = _org_name(rng, side, sector, country)
            if "(" in name or not self.names.free(name):
                continue
            org = Org(name, sector, country, side)
            self.names.claim(name)
            acronym = _acronym(name)
            if acronym and rng.random() < 0.6 and self.names.free(acronym):
                org.acronym = acronym
                org.aliases.append(acronym)
                self.names.claim(acronym)
            if rng.random() < 0.12:
                typo = _typo(rng, name)
                if self.names.free(typo):
                    org.typo = typo
                    org.aliases.append(typo)
                    self.names.claim(typo)
            suffix = next((s for s in LEGAL_SUFFIXES if name.endswith(" " + s)), None)
            if suffix and rng.random() < 0.25:
                short = name[: -len(suffix) - 1]
                if self.names.free(short):
                    org.aliases.append(short)
                    self.names.claim(short)
            return org
        return None

    def pick_org(self, side: str) -> Org:
        return _pick(self.rng, self.orgs_by_side[side], self.org_cumulative[side])

    def printed_org(self, org: Org) -> str:
        roll = self.rng.random()
        if org.acronym and roll < 0.1:
            return f"{org.name} ({org.acronym})"
        if org.acronym and roll < 0.2:
            return org.acronym
        if org.typo and roll < 0.26:
            return org.typo
        if len(org.aliases) > (org.acronym is not None) + (org.typo is not None) and roll < 0.3:
            return org.aliases[-1]
        return org.name

    # people -------------------------------------------------------------------------

    def new_person(self, side: str, year: int) -> Person:
        rng = self.rng
        org = self.pick_org(side)
        culture = self._culture(side, org.country)
        name, family, given, aliases, variants = self._person_name(culture)
        title = rng.choice(TITLES[org.sector])
        person = Person(len(self.people), name, family, given, side, culture, aliases, variants, org, title, year)
        self.people.append(person)
        return person

    def _culture(self, side: str, country: str | None) -> str:
        if side == "US":
            return "US"
        if side == "CN":
            return "CN"
        return {"JP": "JP", "IN": "IN", "KR": "KR", "GB": "US", "CA": "US", "AU": "US", "NZ": "US"}.get(
            country or "", "EU"
        )

    def _person_name(self, culture: str) -> tuple[str, str, str | None, list[str], list[str]]:
        rng = self.rng
        for attempt in range(200):
            aliases: list[str] = []
            variants: list[str] = []
            if culture in ("CN", "KR"):
                families, syllables = (CN_FAMILY, CN_SYLLABLES) if culture == "CN" else (KR_FAMILY, KR_SYLLABLES)
                family = rng.choice(families)
                if rng.random() < 0.15 and attempt < 20:
                    given = rng.choice(syllables)
                else:
                    given = rng.choice(syllables) + rng.choice(syllables).lower()
                    if attempt > 100:
                        given += rng.choice(syllables).lower()
                name = f"{family.upper()} {given}"
                variants.append(f"{family} {given}")
                if rng.random() < 0.35:
                    aliases.append(f"{given} {family}")
            else:
                given_pool, family_pool = {
                    "US": (US_GIVEN, US_FAMILY), "EU": (EU_GIVEN, EU_FAMILY),
                    "JP": (JP_GIVEN, JP_FAMILY), "IN": (IN_GIVEN, IN_FAMILY),
                }[culture]  # fmt: skip
                given, family = rng.choice(given_pool), rng.choice(family_pool)
                middle = f" {chr(65 + rng.randrange(26))}." if attempt >= 3 else ""
                if attempt > 60:
                    middle += f" {chr(65 + rng.randrange(26))}."
                name = f"{given}{middle} {family}"
                if culture == "JP" and rng.random() < 0.3:
                    aliases.append(f"{family.upper()} {given}")
                elif not middle and rng.random() < 0.2:
                    aliases.append(f"{given} {chr(65 + rng.randrange(26))}. {family}")
                variants.append(f"{given.upper()}{middle} {family.upper()}")
            if not self.names.free(name):
                continue
            aliases = [a for a in aliases if self.names.free(name, a)]
            self.names.claim(name, *aliases)
            return name, family, given, aliases, variants
        raise RuntimeError(f"cannot find a free {culture} name")

    def pick_person(self, side: str, year: int, present: set[int], p_new: float, window: int) -> Person:
        """Preferential attachment over recent appearances: a new person with probability p_new."""
        rng = self.rng
        recent = self.recent[side]
        if recent and rng.random() >= p_new:
            for _ in range(6):
                person = recent[rng.randrange(max(0, len(recent) - window), len(recent))]
                if person.index not in present:
                    return person
        return self.new_person(side, year)

    def appear(self, person: Person, year: int) -> None:
        """Record an appearance; the affiliation may change with the years since the last move."""
        rng = self.rng
        if person.appearances and year > person.since and rng.random() < min(0.6, 0.1 * (year - person.since)):
            person.org = self.pick_org(person.side)
            person.title = rng.choice(TITLES[person.org.sector])
            person.since = year
        elif person.appearances and rng.random() < 0.05:
            person.title = rng.choice(TITLES[person.org.sector])  # promoted in place
        person.appearances += 1
        self.recent[person.side].append(person)

    def printed_name(self, person: Person) -> str:
        roll = self.rng.random()
        if person.aliases and roll < 0.2:
            return self.rng.choice(person.aliases)
        if person.variants and roll < 0.3:
            return person.variants[0]
        return person.name


def make_topics(rng: random.Random, count: int) -> list[tuple[str, str, list[str]]]:
    topics: list[tuple[str, str, list[str]]] = [(en, zh, []) for en, zh in TOP_TOPICS]
    topics += [(en, zh, [TOP_TOPICS[top][0]]) for en, zh, top in SUBJECTS]
    combos = [(s, a) for s in range(len(SUBJECTS)) for a in range(len(ASPECTS))]
    rng.shuffle(combos)
    for s, a in combos[: max(0, count - len(topics))]:
        subject_en, subject_zh, _ = SUBJECTS[s]
        aspect_en, aspect_zh, second = ASPECTS[a]
        broader = [subject_en]
        if second is not None and second != SUBJECTS[s][2]:
            broader.append(TOP_TOPICS[second][0])
        topics.append((aspect_en.format(subject_en), aspect_zh.format(subject_zh), broader))
    return topics


#################################################################
# Planning: records, with a running prediction of the quads they make
#################################################################

DESCRIBE_TRIPLES = 5  # a graph's own type, time and agent, and the agent's type and label
DOCUMENT_TRIPLES = 3  # wasDerivedFrom, the document's type and label (+1 for a local copy)


def predicted_quads(source: SourceRecord, orgs: dict[str, Org]) -> int:
    """The quads ``to_rdf.source_graph`` makes from ``source`` (with the generator's fact file as a second
    document), counted without building the graph. It mirrors to_rdf, and the generator keeps apart what to_rdf
    would merge (one edition per source; distinct people, hosts and talk titles per edition), so it is exact for
    the to_rdf it was written against; ``generate`` checks it on a sample of real graphs and plans again with a
    corrected target if the library has changed since."""
    n = DESCRIBE_TRIPLES + 2 * DOCUMENT_TRIPLES + 1 + (1 if source.local_copy else 0)
    for event in source.events:
        n += 4 + bool(event.start_date) + bool(event.end_date) + bool(event.attendance_mode)
        if event.city:
            n += 3 + bool(event.country)
        if event.co_located_with:
            n += 3
        n += len(set(event.topics))
        for printed in event.hosts:
            n += 4 + 1 + 1 + bool(orgs[printed].country)  # participation, organizer, name as printed, side
        for p in event.participants:
            affiliation = p.organisation is not None
            if affiliation:
                n += 5 + bool(p.title)
            if p.talk_title:
                n += 4
            for role in p.roles:
                n += 5 + bool(p.side) + affiliation + bool(p.talk_title and role in ("speaker", "keynote"))
                n += bool(p.attendance and role != "contact") + bool(p.evidence)
    return n


def person_registry_quads(person: Person) -> int:
    return 3 + bool(person.given) + len(person.aliases)


class Planner:
    def __init__(self, target: int, seed: int, progress: Callable[[str], None], budget: int | None = None):
        self.target = target
        self.budget = budget or target  # the predicted quads to plan for: the target, unless corrected
        self.seed = seed
        self.progress = progress
        self.world = World(seed)
        self.minter = Minter()
        rng = self.world.rng
        # sizes of the world, from the target: about 330 quads per edition, people ~ 55% of appearances
        editions = max(8, target / 330)
        self.span = int(min(30, max(6, round(editions / 4))))
        self.start_year = END_YEAR - self.span + 1
        n_orgs = int(min(6000, max(45, target / 230)))
        self.orgs = self.world.make_orgs(n_orgs)
        self.printed_orgs: dict[str, Org] = {}
        n_topics = int(min(len(SUBJECTS) * len(ASPECTS), max(60, target / 1500)))
        self.topics = make_topics(rng, n_topics)
        self.topic_labels = [t[0] for t in self.topics]
        order = list(range(len(self.topics)))
        rng.shuffle(order)
        self.topic_order = [self.topic_labels[i] for i in order]
        self.topic_cumulative = _zipf_cumulative(len(self.topic_order), 0.8)
        n_series = max(1, round(editions / (4 * self.span * 0.6)))
        self.series: list[Series] = []
        for i in range(n_series):
            self.series.append(self._new_series(i, n_series))
        self.window = 2500
        self.registry_quads = 0

    def _new_series(self, i: int, n: int) -> Series:
        rng = self.world.rng
        if i == 0:
            name, short, kind = (
                "U.S.-China Space Commercialization Dialogue",
                "Sino-U.S. Space Commercialization",
                "workshop",
            )
        else:
            for _ in range(1000):
                label, kind = rng.choice(SERIES_KINDS)
                short = f"{rng.choice(SERIES_PREFIXES)} {rng.choice(SERIES_THEMES)}"
                name = f"{short} {label} Series"
                if name not in {s.name for s in self.series[:i]} and short not in {s.short for s in self.series[:i]}:
                    break
            else:
                short = f"{short} {i}"
                name = f"{short} {label} Series"
        start = self.start_year + int(self.span * (math.sqrt(1 + 8 * i / n) - 1) / 2)
        us = [o for o in self.world.orgs_by_side["US"] if o.sector in ("non-profit", "research institute")]
        cn = [o for o in self.world.orgs_by_side["CN"] if o.sector in ("non-profit", "research institute")]
        organisers = [rng.choice(us[: max(3, len(us) // 4)]), rng.choice(cn[: max(3, len(cn) // 4)])]
        third = rng.choice(us)
        if rng.random() < 0.3 and third not in organisers:
            organisers.append(third)
        return Series(name, short, kind, start, organisers)

    # one edition ----------------------------------------------------------------------

    def plan(self) -> Plan:
        world = self.world
        rng = world.rng
        fixed = self.fixed = self._registry_quads()
        total = fixed
        per_participant = 21.0  # running mean, to fit the last edition to the remaining budget
        sources: list[tuple[str, SourceRecord, str, str]] = []
        used_names: set[str] = set()
        last_report = time.monotonic()
        while total < self.budget:
            fraction = min(1.0, (total - fixed) / max(1, self.budget - fixed))
            # editions become more frequent: three times as many a year at the end as at the start
            t = self.span * (math.sqrt(1 + 8 * fraction) - 1) / 2
            year, day = self.start_year + int(t), min(364, int((t - int(t)) * 365))
            if year > END_YEAR:
                year, day = END_YEAR, 364
            date = _date(year, day)
            remaining = self.budget - total
            self.registry_quads = 0
            edition, series, host_orgs = self._edition(year, date, remaining, per_participant)
            self.printed_orgs.update(zip(edition.hosts, host_orgs, strict=True))
            file_name = slug(f"bench {year} {series.short} {series.editions}")[:90].rstrip("-")
            if file_name in used_names:
                raise RuntimeError(f"two editions would be written to {file_name}")
            used_names.add(file_name)
            source = SourceRecord(
                url=f"https://dialogues.example.org/{slug(series.short)}/{year}/{file_name}",
                title=rng.choice(["Event page: ", "Agenda: ", "Summary report: ", "Press release: "]) + edition.name,
                events=(edition,),
            )
            quads = predicted_quads(source, self.printed_orgs) + self.registry_quads
            total += quads
            if edition.participants:
                per_participant = 0.9 * per_participant + 0.1 * (quads - 45) / len(edition.participants)
            recorded = _date(year, min(364, day + rng.randrange(2, 60))) + "T12:00:00Z"
            sources.append((file_name, source, series.name, recorded))
            if time.monotonic() - last_report > 2:
                self.progress(f"planned {len(sources):,} editions, {total:,} of {self.budget:,} quads")
                last_report = time.monotonic()
        return Plan(self.seed, self.target, self.orgs, world.people, self.topics, self.series, sources, total)

    def _edition(
        self, year: int, date: str, remaining: int, per_participant: float
    ) -> tuple[EventRecord, Series, list[Org]]:
        world = self.world
        rng = world.rng
        active = [s for s in self.series if s.start_year <= year] or self.series[:1]
        series = min(active, key=lambda s: (s.by_year.get(year, 0), rng.random()))
        series.editions += 1
        series.by_year[year] = series.by_year.get(year, 0) + 1
        kind = series.kind if rng.random() < 0.85 else ("dialogue" if series.kind == "workshop" else "workshop")
        topics = self._topics(rng.randint(1, 4))
        if kind == "workshop":
            name = f"{_ordinal(series.editions)} {series.short} Workshop"
        else:
            name = f"{series.short} Dialogue {year}, Session {series.by_year[year]}: {rng.choice(THEME_TITLES)}"

        # where and how
        roll = rng.random()
        online_years = year in (2020, 2021)
        if online_years and roll < 0.5 or not online_years and roll < 0.04:
            mode: str | None = "online"
            city = country = None
        else:
            city, country = rng.choice(US_CITIES if roll < 0.5 else CN_CITIES if roll < 0.92 else OTHER_CITIES)
            mode = rng.choices(["in-person", "hybrid", None], [70, 22 if online_years else 12, 8])[0]
        side_of_place = "US" if country == "US" else "CN" if country in ("CN", "HK") else "other"
        co_located = None
        if city and rng.random() < 0.18:
            co_located = f"{rng.choice(BIG_EVENTS[side_of_place])} {year}"
        end = None
        roll = rng.random()
        if roll < 0.3:
            end = _add_day(date)
        elif roll < 0.5:
            end = date

        # hosts: the organisers, sometimes a local co-host
        hosts_orgs = list(series.organisers)
        if rng.random() < 0.3 and side_of_place in ("US", "CN"):
            local = world.pick_org(side_of_place)
            if local not in hosts_orgs:
                hosts_orgs.append(local)
        hosts = tuple(world.printed_org(o) for o in hosts_orgs)

        complete = rng.random() < 0.65
        if complete:
            size = int(min(80, max(4, rng.lognormvariate(math.log(14), 0.55))))
        else:
            size = int(min(25, max(1, rng.lognormvariate(math.log(5), 0.6))))
        fit = int((remaining - 60) / max(per_participant, 5.0))
        size = max(1, min(size, fit))

        participants: list[ParticipantRecord] = []
        present: set[int] = set()
        talk_slugs: set[str] = set()

        def add(person: Person, roles: tuple[str, ...], talk: bool) -> None:
            if not person.appearances:  # first appearance: the person enters the people registry
                self.registry_quads += person_registry_quads(person)
            present.add(person.index)
            world.appear(person, year)
            participants.append(self._participant(person, roles, talk, topics, mode, talk_slugs))

        # convenors of the series: opening, closing, moderation, contact
        convenors = []
        for side in ("US", "CN"):
            convenor = self._convenor(series, side, year)
            if convenor.index not in present and rng.random() < 0.85:
                convenors.append(convenor)
        for i, convenor in enumerate(convenors[:size]):
            if len(convenors) == 1:
                roles: tuple[str, ...] = ("openingRemarks", "closingRemarks")
            else:
                roles = ("openingRemarks",) if i == 0 else ("closingRemarks",)
            if rng.random() < 0.3:
                roles = ("moderator", *roles)
            if i == 0 and rng.random() < 0.5:
                roles = (*roles, "contact")
            add(convenor, roles, False)
        if len(participants) < size and rng.random() < 0.3:
            add(world.pick_person(self._side(side_of_place), year, present, 0.3, self.window), ("keynote",), True)
        while len(participants) < size:
            side = self._side(side_of_place)
            person = world.pick_person(side, year, present, 0.55, self.window)
            role = rng.choices(
                [("speaker",), ("panelist",), ("moderator",), ("discussant",), ("speaker", "panelist"),
                 ("moderator", "panelist")],
                [55, 25, 6, 8, 3, 3],
            )[0]  # fmt: skip
            add(person, role, "speaker" in role and rng.random() < 0.9)
        edition = EventRecord(
            name=name, kind=kind, start_date=date, end_date=end, city=city, country=country, hosts=hosts,
            co_located_with=co_located, topics=topics, participants=tuple(participants),
            participants_complete=complete, attendance_mode=mode,
        )  # fmt: skip
        return edition, series, hosts_orgs

    def _side(self, place: str) -> str:
        roll = self.world.rng.random()
        other = 0.25 if place == "other" else 0.12
        return "other" if roll < other else "US" if roll < other + (1 - other) / 2 else "CN"

    def _convenor(self, series: Series, side: str, year: int) -> Person:
        rng = self.world.rng
        current = series.convenors.get(side)
        if current is None or year > series.convenor_until[side]:
            organiser = next((o for o in series.organisers if o.side == side), series.organisers[0])
            person = self.world.new_person(side, year) if current is None or rng.random() < 0.7 else current
            if person is not current:
                person.org, person.title, person.since = organiser, rng.choice(TITLES[organiser.sector]), year
            series.convenors[side] = person
            series.convenor_until[side] = year + rng.randint(3, 9)
        return series.convenors[side]  # type: ignore[return-value]

    def _topics(self, k: int) -> tuple[str, ...]:
        chosen: list[str] = []
        for _ in range(k * 3):
            topic = _pick(self.world.rng, self.topic_order, self.topic_cumulative)
            if topic not in chosen:
                chosen.append(topic)
            if len(chosen) == k:
                break
        return tuple(chosen)

    def _participant(self, person: Person, roles: tuple[str, ...], talk: bool, topics: tuple[str, ...],
                     mode: str | None, talk_slugs: set[str]) -> ParticipantRecord:  # fmt: skip
        world = self.world
        rng = world.rng
        printed = world.printed_name(person)
        organisation = world.printed_org(person.org) if rng.random() < 0.96 else None
        title = person.title if organisation and rng.random() < 0.85 else None
        talk_title = None
        if talk:
            for attempt in range(20):
                subject = rng.choice(topics) if rng.random() < 0.8 else rng.choice(self.topic_labels)
                candidate = rng.choice(TALK_TEMPLATES).format(subject)
                candidate = candidate[0].upper() + candidate[1:]
                if attempt > 10:
                    candidate += f": a {rng.choice(['U.S.', 'Chinese', 'European', 'industry', 'legal'])} view"
                key = slug(candidate)[:80].rstrip("-")
                if key not in talk_slugs:
                    talk_slugs.add(key)
                    talk_title = candidate
                    break
        attendance = None
        if mode == "hybrid":
            attendance = rng.choices(["in-person", "online", "prerecorded"], [60, 30, 10])[0]
        elif mode == "in-person" and rng.random() < 0.06:
            attendance = rng.choice(["online", "prerecorded"])
        side = person.side if rng.random() < 0.96 else None
        evidence = None
        if rng.random() < 0.85:
            said = f"“{talk_title}”" if talk_title else " and ".join(ROLE_BY_KEY[r].phrases[0].title() for r in roles)
            who = ", ".join(x for x in (printed, title, organisation) if x)
            evidence = f"{who}: {said}"
        return ParticipantRecord(
            name=printed, family_name=person.family, given_name=person.given, roles=roles, title=title,
            organisation=organisation, side=side, talk_title=talk_title, attendance=attendance, evidence=evidence,
        )  # fmt: skip

    # registry sizes, known before any edition --------------------------------------------

    def _registry_quads(self) -> int:
        minter = self.minter
        prov = _registry_prov(minter)
        docs = [_fact_document(minter)]
        return sum(
            len(g)
            for g in (
                organisations_graph(self.orgs, minter, prov, docs),
                topics_graph(self.topics, minter, prov, docs),
                series_graph(self.series, minter, prov, docs),
                people_graph([], minter, prov, docs),
            )
        )


def _calibrate(plan: Plan, printed_orgs: dict[str, Org], registry: Registry, samples: int = 40) -> float:
    """Quads of real graphs over predicted quads, on sources spread over the plan."""
    minter = Minter()
    docs = [_fact_document(minter)]
    prov = _registry_prov(minter)
    step = max(1, len(plan.sources) // samples)
    real = predicted = 0
    for name, source, series_name, _ in plan.sources[::step]:
        graph = source_graph(source, minter.graph(name), registry, minter, minter.series(series_name), prov, docs)
        real += len(graph)
        predicted += predicted_quads(source, printed_orgs)
    return real / predicted


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _date(year: int, day_of_year: int) -> str:
    import datetime

    return (datetime.date(year, 1, 1) + datetime.timedelta(days=day_of_year)).isoformat()


def _add_day(date: str) -> str:
    import datetime

    return (datetime.date.fromisoformat(date) + datetime.timedelta(days=1)).isoformat()


#################################################################
# RDF: the registry graphs and one graph per source, with the library
#################################################################


def _fact_document(minter: Minter) -> tuple[URIRef, str, str | None]:
    return (
        minter.source(FACT_FILE),
        f"spacegraph benchmark generator parameters ({FACT_FILE})",
        f"sources/{FACT_FILE}",
    )


def _agent(minter: Minter) -> URIRef:
    return minter.agent("spacegraph bench generator")


def _registry_prov(minter: Minter) -> Provenance:
    return Provenance(_agent(minter), "spacegraph bench generator", REGISTRY_RECORDED_AT)


def organisations_graph(orgs: list[Org], minter: Minter, prov: Provenance, docs) -> Graph:
    graph = new_graph(minter.graph("registry-organisations"))
    describe_graph(graph, docs, prov)
    for org in orgs:
        organisation_triples(graph, minter, org.record())
    return graph


def people_graph(people: list[Person], minter: Minter, prov: Provenance, docs) -> Graph:
    graph = new_graph(minter.graph("registry-people"))
    describe_graph(graph, docs, prov)
    for person in people:
        person_triples(graph, minter, person.record())
    return graph


def topics_graph(topics: list[tuple[str, str, list[str]]], minter: Minter, prov: Provenance, docs) -> Graph:
    graph = new_graph(minter.graph("registry-topics"))
    describe_graph(graph, docs, prov)
    scheme = minter.topic_scheme("spacegraph topics")
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, RDF.type, SG.TopicScheme))
    graph.add((scheme, SKOS.prefLabel, Literal("spacegraph topics", lang="en")))
    graph.add((scheme, SKOS.prefLabel, Literal("spacegraph 议题", lang="zh")))
    for en, zh, broader in topics:
        topic = minter.topic(en)
        graph.add((topic, RDF.type, SKOS.Concept))
        graph.add((topic, SKOS.prefLabel, Literal(en, lang="en")))
        graph.add((topic, SKOS.prefLabel, Literal(zh, lang="zh")))
        graph.add((topic, SKOS.inScheme, scheme))
        if not broader:
            graph.add((topic, SKOS.topConceptOf, scheme))
        for b in broader:
            graph.add((topic, SKOS.broader, minter.topic(b)))
    return graph


def series_graph(series: list[Series], minter: Minter, prov: Provenance, docs) -> Graph:
    graph = new_graph(minter.graph("registry-series"))
    describe_graph(graph, docs, prov)
    for s in series:
        iri = minter.series(s.name)
        graph.add((iri, RDF.type, CONF.WorkshopSeries))
        graph.add((iri, SDO.name, Literal(s.name)))
        graph.add(
            (iri, RDFS.comment, Literal(f"Synthetic series from bench/generate.py, running since {s.start_year}."))
        )
        for organiser in s.organisers:
            graph.add((iri, SDO.organizer, minter.organisation(organiser.name)))
    return graph


# The state the conversion workers read (inherited through fork, or set in-process with --jobs 1).
_STATE: dict = {}


def _convert(task: tuple[str, int, int]) -> list[tuple[str, int]]:
    """Write the files of one task; return (file, quads) for each."""
    kind, start, stop = task
    plan: Plan = _STATE["plan"]
    registry: Registry = _STATE["registry"]
    out: Path = _STATE["out"]
    minter = Minter()
    docs = [_fact_document(minter)]
    graphs: dict[str, Graph] = {}
    if kind == "registry":
        prov = _registry_prov(minter)
        people = [p for p in plan.people if p.appearances]
        graphs["registry/organisations.trig"] = organisations_graph(plan.orgs, minter, prov, docs)
        graphs["registry/people.trig"] = people_graph(people, minter, prov, docs)
        graphs["registry/topics.trig"] = topics_graph(plan.topics, minter, prov, docs)
        graphs["registry/series.trig"] = series_graph(plan.series, minter, prov, docs)
    else:
        for name, source, series_name, recorded in plan.sources[start:stop]:
            prov = Provenance(_agent(minter), "spacegraph bench generator", recorded)
            graph = source_graph(source, minter.graph(name), registry, minter, minter.series(series_name), prov, docs)
            graphs[f"graphs/{name}.trig"] = graph
    write_graph_files(out, graphs)
    return [(relative, len(graph)) for relative, graph in graphs.items()]


#################################################################
# Entry points
#################################################################


@dataclass(frozen=True)
class Summary:
    out: Path
    target: int
    seed: int
    quads: int
    predicted: int
    files: int
    editions: int
    series: int
    people: int
    organisations: int
    topics: int
    first_year: int
    last_year: int
    seconds: float

    def as_dict(self) -> dict:
        return {k: (str(v) if isinstance(v, Path) else v) for k, v in self.__dict__.items()}


def generate(
    out: Path,
    triples: int,
    seed: int = 1,
    *,
    jobs: int | None = None,
    force: bool = False,
    progress: Callable[[str], None] = lambda message: None,
) -> Summary:
    """Write a data directory of about ``triples`` quads to ``out``; the same seed and size give the same files."""
    started = time.perf_counter()
    if triples < 2000:
        raise ValueError("--triples must be at least 2000 (the registries alone take about a thousand)")
    out = Path(out)
    existing = [out / d for d in ("registry", "graphs", "sources") if (out / d).exists()]
    if existing and not force:
        raise FileExistsError(f"{out} already holds {', '.join(d.name for d in existing)}/: use --force to replace")
    for d in existing:
        shutil.rmtree(d)

    progress(f"Planning about {triples:,} quads (seed {seed})")
    planner = Planner(triples, seed, progress)
    plan = planner.plan()
    people = [p for p in plan.people if p.appearances]
    registry = Registry([o.record() for o in plan.orgs], [p.record() for p in people])
    ratio = _calibrate(plan, planner.printed_orgs, registry)
    if abs(ratio - 1) > 0.001:
        fixed = planner.fixed
        corrected = round(fixed + (triples - fixed) / ratio)
        progress(f"to_rdf makes {ratio:.3f} times the predicted quads: planning again for {corrected:,}")
        planner = Planner(triples, seed, progress, budget=corrected)
        plan = planner.plan()
        people = [p for p in plan.people if p.appearances]
        registry = Registry([o.record() for o in plan.orgs], [p.record() for p in people])
    years = [int(s.events[0].start_date[:4]) for _, s, _, _ in plan.sources if s.events[0].start_date]
    progress(
        f"Planned {len(plan.sources):,} editions in {len(plan.series)} series ({min(years)}-{max(years)}), "
        f"{len(people):,} people, {len(plan.orgs):,} organisations, {len(plan.topics)} topics"
    )

    if jobs is None:
        jobs = 1 if triples < 50_000 else (os.cpu_count() or 1)
    batch = 40
    tasks = [("registry", 0, 0)] + [("sources", i, i + batch) for i in range(0, len(plan.sources), batch)]
    _STATE.update(plan=plan, registry=registry, out=out)
    gc.freeze()  # the plan is read-only from here: keep the collector (and copy-on-write) off it
    written: list[tuple[str, int]] = []
    last_report = time.monotonic()
    try:
        if jobs > 1:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for result in pool.imap_unordered(_convert, tasks):
                    written += result
                    if time.monotonic() - last_report > 3:
                        progress(f"wrote {len(written):,} of {len(plan.sources) + 4:,} files")
                        last_report = time.monotonic()
        else:
            for task in tasks:
                written += _convert(task)
                if time.monotonic() - last_report > 3:
                    progress(f"wrote {len(written):,} of {len(plan.sources) + 4:,} files")
                    last_report = time.monotonic()
    finally:
        _STATE.clear()

    quads = sum(n for _, n in written)
    summary = Summary(
        out=out, target=triples, seed=seed, quads=quads, predicted=plan.predicted, files=len(written),
        editions=len(plan.sources), series=len(plan.series), people=len(people), organisations=len(plan.orgs),
        topics=len(plan.topics), first_year=min(years), last_year=max(years),
        seconds=round(time.perf_counter() - started, 2),
    )  # fmt: skip
    facts = {"generator": "bench/generate.py", "version": GENERATOR_VERSION, **summary.as_dict()}
    for volatile in ("out", "seconds"):
        facts.pop(volatile)
    (out / "sources").mkdir(parents=True, exist_ok=True)
    (out / "sources" / FACT_FILE).write_text(json.dumps(facts, indent=2) + "\n", encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/generate.py",
        description="Generate a synthetic spacegraph data directory (registry/*.trig, graphs/*.trig) of about "
        "N quads, deterministic for a seed.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--triples", type=int, default=100_000, help="target number of quads (default 100000)")
    parser.add_argument("--out", type=Path, required=True, help="data directory to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--jobs", type=int, help="processes writing files (default: all cores from 50000 quads)")
    parser.add_argument("--force", action="store_true", help="replace registry/, graphs/ and sources/ under --out")
    parser.add_argument("--quiet", action="store_true", help="no progress messages")
    args = parser.parse_args(argv)

    def progress(message: str) -> None:
        if not args.quiet:
            print(message + " …", file=sys.stderr, flush=True)

    try:
        summary = generate(args.out, args.triples, args.seed, jobs=args.jobs, force=args.force, progress=progress)
    except (FileExistsError, ValueError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    print(
        f"Wrote {summary.files:,} files, {summary.quads:,} quads (target {summary.target:,}) to {summary.out} "
        f"in {summary.seconds:.1f} s: {summary.editions:,} editions {summary.first_year}-{summary.last_year} "
        f"in {summary.series} series, {summary.people:,} people, {summary.organisations:,} organisations."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One-off seed of data/registry/topics.trig, kept to show where the file came from.

The file is now curated by hand; running this again overwrites those edits. English labels are the topics as
series.json prints them; Chinese labels and the broader topics are the curators' work.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Literal

from spacegraph.datafiles import write_graph_files
from spacegraph.ingest.to_rdf import Provenance, describe_graph, new_graph
from spacegraph.iris import Minter
from spacegraph.vocab import PROV, RDF, SG, SKOS

BROADER = {
    "space commercialization": "航天商业化",
    "space policy and regulation": "航天政策与监管",
    "satellite constellations and services": "卫星星座与应用",
    "commercial human spaceflight and space tourism": "商业载人航天与太空旅游",
    "lunar and cislunar activities": "月球与地月空间活动",
    "space safety and sustainability": "空间安全与可持续性",
    "U.S.-China dialogue and cooperation": "中美对话与合作",
    "space economy and business models": "太空经济与商业模式",
}
C, P, S, H, L, SS, D, E = BROADER  # short names for the table below
TOPICS = {
    "trends, challenges, and opportunities in the commercialization of space": ("航天商业化的趋势、挑战与机遇", [C]),
    "how space commercialization is happening in the U.S. and China": ("美中两国航天商业化的进展", [C]),
    "increasing transparency between both commercial contexts": ("增进两国商业航天环境之间的透明度", [D]),
    "space commercialization related information exchange between the U.S. and China": ("美中航天商业化信息交流", [D]),
    "Chinese and US approaches to the commercialization of space": ("中美航天商业化路径", [C]),
    "international economic policy and capability development": ("国际经济政策与能力建设", [P]),
    "experiences from the commercialization of other industries": ("其他行业商业化的经验", [E]),
    "successful cases and prospects of Sino-US commercial space cooperation": ("中美商业航天合作的成功案例与前景", [D]),
    "the space economy": ("太空经济", [E]),
    "space tourism": ("太空旅游", [H]),
    "cislunar development": ("地月空间开发", [L]),
    "satellite constellations for broadband and internet of things": ("用于宽带和物联网的卫星星座", [S]),
    "policy and regulatory best practices": ("政策与监管最佳实践", [P]),
    "the value of market competition": ("市场竞争的价值", [E]),
    "commercial human spaceflight": ("商业载人航天", [H]),
    "the Overview Effect": ("总观效应", [H]),
    "balancing safety and innovation through the regulation of commercial human spaceflight activities": (
        "通过监管商业载人航天活动平衡安全与创新",
        [P, H],
    ),
    "establishing a regular dialogue between U.S. and Chinese space stakeholders on trends and activities in space "
    "commercialization": ("建立美中航天利益相关方关于航天商业化趋势与活动的定期对话", [D]),
    "space traffic management": ("空间交通管理", [SS]),
    "space safety": ("空间安全", [SS]),
    "benefits that satellite constellations might offer for society": ("卫星星座可能为社会带来的益处", [S]),
    "the need for a sustainable orbital environment": ("可持续轨道环境的必要性", [SS]),
    "bilateral communication and understanding": ("双边沟通与理解", [D]),
    "new business models": ("新商业模式", [E]),
    "lunar commercialization": ("月球商业化", [L, C]),
    "types of value (commercial, cultural, scientific) expected from lunar activities": (
        "月球活动预期带来的价值类型（商业、文化、科学）",
        [L],
    ),
    "governance of lunar activities": ("月球活动治理", [L, P]),
}


def main(data_dir: Path) -> None:
    minter = Minter()
    prov = Provenance(
        minter.agent("spacegraph curators"), "spacegraph curators", "2026-11-27T20:00:00Z", PROV.Organization
    )
    graph = new_graph(minter.graph("registry-topics"))
    describe_graph(
        graph,
        [(minter.source("series.json"), "spacegraph series fact file (series.json)", "sources/series.json")],
        prov,
    )
    scheme = minter.topic_scheme("spacegraph topics")
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, RDF.type, SG.TopicScheme))
    graph.add((scheme, SKOS.prefLabel, Literal("spacegraph topics", lang="en")))
    graph.add((scheme, SKOS.prefLabel, Literal("spacegraph 议题", lang="zh")))
    graph.add(
        (
            scheme,
            SKOS.editorialNote,
            Literal(
                "English labels of narrower topics are as the sources print them; the Chinese labels and the broader "
                "topics are the curators' translations and grouping.",
                lang="en",
            ),
        )
    )
    for label, zh in BROADER.items():
        top = minter.topic(label)
        graph.add((top, RDF.type, SKOS.Concept))
        graph.add((top, SKOS.prefLabel, Literal(label, lang="en")))
        graph.add((top, SKOS.prefLabel, Literal(zh, lang="zh")))
        graph.add((top, SKOS.inScheme, scheme))
        graph.add((top, SKOS.topConceptOf, scheme))
    for label, (zh, broader) in TOPICS.items():
        topic = minter.topic(label)
        graph.add((topic, RDF.type, SKOS.Concept))
        graph.add((topic, SKOS.prefLabel, Literal(label, lang="en")))
        graph.add((topic, SKOS.prefLabel, Literal(zh, lang="zh")))
        graph.add((topic, SKOS.inScheme, scheme))
        for b in broader:
            graph.add((topic, SKOS.broader, minter.topic(b)))
    write_graph_files(data_dir, {"registry/topics.trig": graph})


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "data"))

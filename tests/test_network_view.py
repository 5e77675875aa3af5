"""The network view: /api/network and its GEXF in process on the real series; /network in headless Chromium on the
real series, on a phone, and at about 1,000 people from the synthetic graph."""

from __future__ import annotations

import importlib.util
import json
import sys
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from spacegraph.settings import PROJECT_ROOT
from spacegraph.web import create_app
from spacegraph.web.headers import VENDOR_FILES

ARTIFACTS = Path(__file__).parent / "artifacts"
BASE = "https://w3id.org/spacegraph/id/"
MANBER, WANG = BASE + "person/jeffrey-manber", BASE + "person/wang-yiran"
GEXF = "{http://gexf.net/1.3}"
SERIES = (
    BASE
    + "series/u-s-china-space-commercialization-dialogue-sino-u-s-space-commercialization-workshops-and-space-high-end-dialogue-series"
)
FUZHOU = BASE + "event/2020-second-sino-u-s-space-commercialization-workshop"
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SYNTHETIC_QUADS = 50_000  # bench/generate.py at seed 1: 1,019 people in the co-appearance network


def _load_bench():
    spec = importlib.util.spec_from_file_location("bench_web_network", PROJECT_ROOT / "bench" / "web_network.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _load_bench()


@pytest.fixture
def client(built_settings):
    return create_app({"SETTINGS": built_settings, "TESTING": True}).test_client()


def _network(client, query: str = "") -> dict:
    response = client.get("/api/network" + query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


# ---- in process ----


def _ids(network: dict) -> set[str]:
    return {n["id"] for n in network["nodes"]}


def _edges(network: dict) -> dict[frozenset, int]:
    """The ties shown, as {a, b} -> weight (the answer lists them by node positions)."""
    nodes = network["nodes"]
    return {frozenset((nodes[i]["id"], nodes[j]["id"])): weight for i, j, weight in network["edges"]}


def _tie(client, a: str, b: str, query: str = "") -> dict:
    response = client.get(f"/api/network/tie?a={a}&b={b}{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_manber_is_linked_to_wang_yiran_by_the_2020_fuzhou_workshop(client):
    network = _network(client)
    nodes = {n["id"]: n for n in network["nodes"]}
    manber = nodes[MANBER]
    assert (manber["label"], manber["kind"], manber["side"], manber["url"]) == (
        "Jeffrey Manber", "person", "U.S.", "/id/person/jeffrey-manber",
    )  # fmt: skip
    assert manber["years"] == [2020, 2020] and manber["degree"] >= 1 and manber["sector"] and manber["country"] == "US"
    assert -1.5 <= manber["x"] <= 1.5 and -1.5 <= manber["y"] <= 1.5  # laid out on the server
    assert _edges(network)[frozenset((MANBER, WANG))] == 1
    tie = _tie(client, MANBER, WANG)
    assert (tie["source"]["label"], tie["target"]["label"], tie["weight"]) == ("Jeffrey Manber", "WANG Yiran", 1)
    evidence = tie["evidence"][0]
    assert (evidence["edition"], evidence["name"], evidence["date"], evidence["url"]) == (
        FUZHOU, "Second Sino-U.S. Space Commercialization Workshop", "2020-09-19",
        "/id/event/2020-second-sino-u-s-space-commercialization-workshop",
    )  # fmt: skip
    assert evidence["roles"] == {"source": ["speaker or presenter"], "target": ["closing remarks", "opening remarks"]}
    assert evidence["affiliations"] == {"source": "Nanoracks", "target": "Chinese Society of Astronautics"}
    assert evidence["sources"] == ["https://swfound.org/events/2020/second-sino-us-space-commercialization-workshop"]
    counts = network["counts"]
    assert counts["nodes"] == len(network["nodes"]) == counts["total_nodes"] and counts["edges"] == len(
        network["edges"]
    )
    assert network["shown"] == f"All {counts['nodes']} people; all {counts['edges']} ties among them."
    assert network == _network(client)  # the same view, the same layout


def test_the_filter_controls_get_their_values(client, built_settings):
    from spacegraph.library import Spacegraph
    from spacegraph.web.pages.network import network_page

    options = network_page(Spacegraph(built_settings))
    assert options["years"] == [2019, 2023] and options["graphs"] == ["people", "organisations"]
    fuzhou = next(e for e in options["editions"] if e["iri"] == FUZHOU)
    assert (fuzhou["year"], fuzhou["url"]) == (2020, "/id/event/2020-second-sino-u-s-space-commercialization-workshop")
    dates = [e["date"] for e in options["editions"]]
    assert len(dates) == 8 and [d for d in dates if d] == sorted(filter(None, dates), reverse=True)  # newest first
    assert options["sides"][:2] == ["U.S.", "China"]
    assert "private company" in options["sectors"]
    labels = {t["label"]: t for t in options["topics"]}
    assert labels["space traffic management"]["editions"] == 1
    assert all(t["iri"].startswith(BASE + "topic/") for t in options["topics"])
    assert options["limits"] == {"nodes": 2000, "ties": 20000, "default_nodes": 500, "default_ties": 5000}
    assert [(s["iri"], s["editions"]) for s in options["series"]] == [(SERIES, 8)]


def test_filters_narrow_the_network(client):
    everyone = _network(client)
    china = _network(client, "?side=China")
    assert 0 < len(china["nodes"]) < len(everyone["nodes"])
    assert {n["side"] for n in china["nodes"]} == {"China"}
    assert _network(client, "?side=china")["counts"] == china["counts"]
    later = _network(client, "?from=2021")
    assert 0 < len(later["nodes"]) < len(everyone["nodes"]) and MANBER not in _ids(later)
    assert all(min(n["years"]) >= 2021 for n in later["nodes"])
    a, b = next(iter(_edges(later)))
    assert all(e["date"] >= "2021" for e in _tie(client, a, b, "&from=2021")["evidence"])
    window = _network(client, "?from=2020&to=2020&side=U.S.")
    assert MANBER in _ids(window) and WANG not in _ids(window)
    fuzhou = _network(client, "?edition=" + FUZHOU)
    assert len(fuzhou["nodes"]) == 9  # the nine people of the page (its contact also opened and closed it)
    assert {e["edition"] for e in _tie(client, MANBER, WANG, "&edition=" + FUZHOU)["evidence"]} == {FUZHOU}
    topic = _network(client, "?topic=" + BASE + "topic/cislunar-development")
    assert 0 < len(topic["nodes"]) < len(everyone["nodes"])
    broader = _network(client, "?topic=" + BASE + "topic/lunar-and-cislunar-activities")
    assert _ids(topic) < _ids(broader)  # narrower topics count
    assert _ids(_network(client, "?series=" + SERIES)) == _ids(everyone)  # the one series holds every edition
    in_series = _network(client, f"?series={SERIES}&edition={FUZHOU}")
    assert len(in_series["nodes"]) == 9 and in_series["filters"]["series"] == SERIES
    sector = _network(client, "?sector=private+company")
    assert {n["sector"] for n in sector["nodes"]} == {"private company"}
    organisations = _network(client, "?graph=organisations")
    assert organisations["graph"] == "organisations" and {n["kind"] for n in organisations["nodes"]} == {"organisation"}
    assert "Nanoracks" in {n["label"] for n in organisations["nodes"]}
    gexf = _network(client, "?from=2022&side=China")["gexf"]
    assert gexf == "/api/network.gexf?from=2022&side=China&nodes=500&ties=5000&rank=ties&radius=1"


def test_the_view_is_cut_and_says_what_it_left_out(client):
    everyone = _network(client)
    top = _network(client, "?nodes=5&ties=4")
    assert len(top["nodes"]) == 5 and len(top["edges"]) == 4
    by_ties = sorted(everyone["nodes"], key=lambda n: (-n["degree"], n["id"]))
    assert _ids(top) == {n["id"] for n in by_ties[:5]}  # the five with the most ties
    assert sorted(_edges(top).values(), reverse=True) == sorted(_edges(top).values(), reverse=True)[:4]
    strongest = sorted(w for pair, w in _edges(everyone).items() if pair <= _ids(top))[-4:]
    assert sorted(_edges(top).values()) == strongest  # the strongest ties among them
    counts = top["counts"]
    assert (counts["total_nodes"], counts["total_edges"]) == (len(everyone["nodes"]), len(everyone["edges"]))
    assert top["shown"].startswith(f"The 5 people with the most ties, of {len(everyone['nodes'])}; the 4 strongest")
    assert f"({len(everyone['edges']) - 4} ties not shown" in top["shown"]
    by_editions = _network(client, "?nodes=3&rank=editions")
    assert "with the most editions" in by_editions["shown"]
    assert min(n["editions"] for n in by_editions["nodes"]) >= sorted(
        (n["editions"] for n in everyone["nodes"]), reverse=True)[2]  # fmt: skip


def test_the_view_can_keep_the_people_a_centrality_measure_ranks_first(client, built_settings):
    from spacegraph.library import Spacegraph

    top = _network(client, "?nodes=3&rank=pagerank")
    ranking = Spacegraph(built_settings).rank("pagerank", None, top=3)["ranking"]
    assert _ids(top) == {r["iri"] for r in ranking} and "with the highest PageRank" in top["shown"]
    assert {n["id"]: n["score"] for n in top["nodes"]} == {r["iri"]: r["score"] for r in ranking}
    assert all(n["score"] is None for n in _network(client, "?nodes=3")["nodes"])
    response = client.get("/api/network?graph=organisations&rank=betweenness")
    assert response.status_code == 400 and "ranks people: use ties or editions" in response.get_json()["error"]


def test_focus_opens_the_ego_network(client):
    around = _network(client, "?focus=" + MANBER)
    assert MANBER in _ids(around) and WANG in _ids(around)
    assert not all(MANBER in pair for pair in _edges(around))  # the ties among the neighbours too
    assert {n for pair in _edges(around) if MANBER in pair for n in pair} == _ids(around)  # one tie away, all of them
    assert around["shown"].startswith("The network around Jeffrey Manber:")
    two = _network(client, f"?focus={MANBER}&radius=2&nodes=3")
    assert len(two["nodes"]) == 3 and MANBER in _ids(two)
    response = client.get("/api/network?focus=" + MANBER + "&from=2021")  # Manber took part in 2020 only
    assert (
        response.status_code == 400
        and "is not a node of this network with these filters" in response.get_json()["error"]
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=20x", "from must be a year such as 2020, not '20x'"),
        ("to=99999", "to must be a year"),
        ("from=2023&to=2020", "from (2023) is after to (2020)"),
        ("edition=https://example.org/nothing", "is not an edition of the graph"),
        ("topic=lunar", "is not a topic of the graph"),
        ("series=" + BASE + "series/nothing", "is not a series of the graph: give a series' IRI"),
        ("side=Mars", "side must be one of U.S., China, other, unknown"),
        ("sector=bakery", "sector must be one of"),
        ("graph=events", "graph must be one of people, organisations"),
        ("nodes=0", "nodes must be a whole number from 1 to 2,000, not '0'"),
        ("ties=100000", "ties must be a whole number from 1 to 20,000"),
        ("radius=9", "radius must be a whole number from 1 to 3"),
        ("rank=charisma", "rank must be one of ties, editions, pagerank"),
        ("focus=https://example.org/nobody", "is not a node of this network with these filters"),
    ],
)
def test_bad_parameters_get_400_with_a_message(client, query, message):
    for path in ("/api/network?", "/api/network.gexf?"):
        response = client.get(path + query)
        assert response.status_code == 400
        body = response.get_json()
        assert body["ok"] is False and body["status"] == 400 and message in body["error"]


def test_gexf_download_is_dynamic_and_filtered(client):
    response = client.get("/api/network.gexf?from=2020&to=2021")
    assert response.status_code == 200 and response.mimetype == "application/gexf+xml"
    assert response.headers["Content-Disposition"] == 'attachment; filename="spacegraph-people-2020-2021.gexf"'
    graph = ElementTree.fromstring(response.data).find(
        f"{GEXF}graph"
    )  # GEXF 1.3, checked whole in tests/test_exports.py
    assert graph.get("mode") == "dynamic"
    shown = _network(client, "?from=2020&to=2021")
    nodes = {n.get("id"): n for n in graph.iter(f"{GEXF}node")}
    edges = {frozenset((e.get("source"), e.get("target"))): e for e in graph.iter(f"{GEXF}edge")}
    assert len(nodes) == len(shown["nodes"]) and len(edges) == len(shown["edges"])
    spells = edges[frozenset((MANBER, WANG))].iter(f"{GEXF}spell")
    assert [(s.get("start"), s.get("end")) for s in spells] == [("2020-09-19", "2020-09-19")]
    assert nodes[MANBER].get("label") == "Jeffrey Manber"
    assert all(e.find(f"{GEXF}spells") is not None for e in edges.values())


def test_vendor_serves_sigma_and_graphology(client):
    for name in ("sigma.min.js", "graphology.umd.min.js"):
        assert name in VENDOR_FILES
        response = client.get("/vendor/" + name)
        assert response.status_code == 200 and len(response.data) > 10_000, name
        response.close()
    html = client.get("/network").get_data(as_text=True)
    assert "/vendor/sigma.min.js" in html and "/vendor/graphology.umd.min.js" in html
    assert "https://" not in "".join(line for line in html.splitlines() if "<script" in line)  # nothing from a CDN
    for shape in ("circle", "square", "diamond"):
        assert client.get(f"/static/network-shapes/{shape}.svg").status_code == 200


class _Controls(HTMLParser):
    def __init__(self):
        super().__init__()
        self.controls: dict[str, str] = {}
        self.labels: set[str] = set()
        self.buttons: list[str] = []
        self._button: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("input", "select", "textarea") and attributes.get("type") != "hidden":
            self.controls[attributes.get("id") or "?"] = tag
        elif tag == "label" and attributes.get("for"):
            self.labels.add(attributes["for"])
        elif tag == "button":
            self._button = []

    def handle_data(self, data):
        if self._button is not None:
            self._button.append(data)

    def handle_endtag(self, tag):
        if tag == "button" and self._button is not None:
            self.buttons.append("".join(self._button).strip())
            self._button = None


def test_page_has_a_label_for_every_control(client):
    response = client.get("/network")
    assert response.status_code == 200
    parser = _Controls()
    parser.feed(response.get_data(as_text=True))
    expected = {
        "f-graph",
        "f-from",
        "f-to",
        "f-edition",
        "f-series",
        "f-side",
        "f-sector",
        "f-topic",
        "f-nodes",
        "f-ties",
        "f-rank",
        "colour-by",
        "size-by",
        "search",
        "path-a",
        "path-b",
    }
    assert set(parser.controls) == expected
    assert parser.labels >= expected
    assert all(parser.buttons) and {"PNG", "SVG", "Show path", "Find"} <= set(parser.buttons)
    html = response.get_data(as_text=True)
    assert "Second Sino-U.S. Space Commercialization Workshop" in html  # the edition filter's options, without script
    assert 'id="network-table"' in html


# ---- in Chromium ----


def _point_on_edge(page, a: str) -> dict:
    """A tie to hover and where: a point of it away from nodes and other ties, on a tie of ``a`` if one is clear
    enough, else on whichever tie is clearest; with the names its tooltip should say."""
    return page.evaluate(
        """(a) => {
          const net = window.spacegraphNetwork, g = net.graph, r = net.renderer;
          const box = r.getContainer().getBoundingClientRect();
          const at = (id) => r.graphToViewport(g.getNodeAttributes(id));
          const away = (p, u, v) => {
            const dx = v.x - u.x, dy = v.y - u.y;
            const k = Math.max(0, Math.min(1, ((p.x - u.x) * dx + (p.y - u.y) * dy) / (dx * dx + dy * dy || 1)));
            return Math.hypot(p.x - u.x - k * dx, p.y - u.y - k * dy);
          };
          const clearest = (edge) => {
            const [x, y] = g.extremities(edge), s = at(x), t = at(y);
            let best = null;
            for (let k = 20; k <= 80; k += 2) {
              const p = { x: s.x + ((t.x - s.x) * k) / 100, y: s.y + ((t.y - s.y) * k) / 100 };
              const onNode = g.someNode((n, attributes) => {
                const q = at(n);
                return Math.hypot(p.x - q.x, p.y - q.y) < r.scaleSize(attributes.size) + 6;
              });
              if (onNode) continue;
              const clearance = Math.min(...g.filterEdges((o) => o !== edge).map((o) => away(p, at(g.source(o)), at(g.target(o)))));
              if (!best || clearance > best.clearance) best = { ...p, clearance, edge };
            }
            return best;
          };
          const candidates = (edges) => edges.map(clearest).filter(Boolean).sort((x, y) => y.clearance - x.clearance);
          let best = candidates(g.edges(a))[0];
          if (!best || best.clearance < 4) best = candidates(g.edges())[0];
          const [x, y] = g.extremities(best.edge);
          return { x: best.x + box.left, y: best.y + box.top, clearance: best.clearance, id: best.edge,
                   expected: [g.getNodeAttribute(x, "label"), g.getNodeAttribute(y, "label")] };
        }""",
        a,
    )


def _node_on_screen(page, iri: str) -> dict:
    return page.evaluate(
        """(iri) => {
          const net = window.spacegraphNetwork, r = net.renderer;
          const p = r.graphToViewport(net.graph.getNodeAttributes(iri)), box = r.getContainer().getBoundingClientRect();
          return { x: p.x + box.left, y: p.y + box.top, width: box.width, height: box.height,
                   cx: box.left + box.width / 2, cy: box.top + box.height / 2 };
        }""",
        iri,
    )


def _whole_graph_on_screen(page) -> None:
    page.evaluate("window.spacegraphNetwork.renderer.getCamera().setState({x: 0.5, y: 0.5, ratio: 1, angle: 0}); "
                  "window.spacegraphNetwork.renderer.refresh(); "
                  "document.getElementById('graph').scrollIntoView({block: 'center'})")  # fmt: skip


def _ready(page) -> None:
    page.wait_for_function("window.spacegraphNetwork && window.spacegraphNetwork.ready", timeout=60_000)


def _labels(page) -> list[str]:
    return page.evaluate("window.spacegraphNetwork.graph.mapNodes((id, a) => a.label)")


def test_network_view_search_path_hover_downloads_and_expand(browser, live_server):
    page, timings, errors = bench.open_network(browser, live_server, viewport={"width": 1280, "height": 1000})
    assert timings["error"] is None and timings["nodes"] == page.locator("#network-table tbody tr").count() > 10
    assert {"fetch_ms", "build_ms", "render_ms", "ready_ms"} <= set(timings)
    assert page.evaluate("window.spacegraphNetwork.graph.order") == timings["nodes"]
    assert page.evaluate(bench.INKED) > 1000  # the WebGL layers hold a picture
    assert page.locator("#network-shown").inner_text().startswith("All 14 people; all 53 ties among them")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "network.png"), full_page=True)

    # search, from the keyboard: the node is found, centred and described with its ties (and no stray "null")
    page.focus("#search")
    page.keyboard.type("jeffrey manber")
    page.keyboard.press("Enter")
    assert page.evaluate("window.spacegraphNetwork.found") == MANBER
    node = _node_on_screen(page, MANBER)
    assert abs(node["x"] - node["cx"]) < 2 and abs(node["y"] - node["cy"]) < 2
    assert page.locator("#network-detail h2").inner_text() == "Jeffrey Manber"
    detail = page.locator("#network-detail").inner_text()
    assert "WANG Yiran" in detail and "null" not in detail and "undefined" not in detail

    # the shortest path to Blaine Curcio: two hops; it goes when a filter changes (it was found in another network)
    page.fill("#path-a", "Jeffrey Manber")
    page.fill("#path-b", "Blaine Curcio")
    page.get_by_role("button", name="Show path").click()
    path = page.evaluate("window.spacegraphNetwork.path")
    assert path["hops"] == 2 and path["steps"][0] == "Jeffrey Manber" and path["steps"][-1] == "Blaine Curcio"
    assert page.locator("#network-detail ol.hops li").count() == 2
    page.screenshot(path=str(ARTIFACTS / "network-path.png"))
    page.fill("#f-to", "2022")
    page.locator("#f-to").dispatch_event("change")
    page.wait_for_function("window.spacegraphNetwork.ready && new URL(location).searchParams.get('to') === '2022'")
    assert page.evaluate("window.spacegraphNetwork.path") is None
    assert page.locator("#network-detail").inner_text() == ""
    page.fill("#f-to", "")
    page.locator("#f-to").dispatch_event("change")
    page.wait_for_function("window.spacegraphNetwork.ready && !new URL(location).searchParams.get('to')")

    # hovering a tie shows its evidence, fetched from /api/network/tie
    _whole_graph_on_screen(page)
    point = _point_on_edge(page, MANBER)
    page.mouse.move(point["x"], point["y"])
    tip = page.locator("#edge-tip")
    tip.wait_for(state="visible", timeout=5_000)
    assert page.evaluate("window.spacegraphNetwork.hoveredEdge") == point["id"], point
    text = tip.inner_text()
    assert all(part in text for part in point["expected"]) and "edition" in text, (text, point)
    page.locator("#network-detail a[href^='https://']").first.wait_for(timeout=5_000)  # the sources, as links
    page.screenshot(path=str(ARTIFACTS / "network-hover.png"))
    page.mouse.move(0, 0)

    # downloads: PNG and SVG of what is shown (each side its shape), GEXF of the same view
    sides = page.evaluate("window.spacegraphNetwork.graph.mapNodes((id, a) => a.data.side)")
    for button, start in (("PNG", b"\x89PNG"), ("SVG", b"<svg")):
        with page.expect_download() as download:
            page.get_by_role("button", name=button, exact=True).click()
        assert Path(download.value.path()).read_bytes().startswith(start), button
        if button == "SVG":
            svg = ElementTree.parse(download.value.path()).getroot()
            shapes = {
                kind: len(svg.findall(f"{{http://www.w3.org/2000/svg}}{kind}"))
                for kind in ("circle", "rect", "polygon")
            }
            assert shapes["rect"] - 1 == sides.count("China") and shapes["polygon"] == sides.count(
                "other"
            )  # 1: the background
            assert shapes["circle"] == len(sides) - sides.count("China") - sides.count("other")
    with page.expect_download() as download:
        page.get_by_role("link", name="GEXF").click()
    gexf = ElementTree.parse(download.value.path()).getroot()
    assert len(gexf.findall(f".//{GEXF}node")) == timings["nodes"]

    # a filter refetches: only the Chinese side
    page.select_option("#f-side", "China")
    page.wait_for_function("window.spacegraphNetwork.ready && new URL(location).searchParams.get('side') === 'China'")
    _ready(page)
    assert set(page.evaluate("window.spacegraphNetwork.graph.mapNodes((id, a) => a.data.side)")) == {"China"}
    assert page.locator("#download-gexf").get_attribute("href") == "/api/network.gexf?side=China"
    page.select_option("#f-side", "")
    page.wait_for_function("window.spacegraphNetwork.ready && !new URL(location).searchParams.get('side')")
    assert errors == []
    page.close()


def test_focus_opens_the_ego_network_and_a_click_brings_in_neighbours(browser, live_server):
    page, timings, errors = bench.open_network(browser, live_server, "/network?focus=" + MANBER)
    assert page.locator("#network-shown").inner_text().startswith("The network around Jeffrey Manber:")
    shown = set(page.evaluate("window.spacegraphNetwork.graph.nodes()"))
    assert MANBER in shown and WANG in shown and timings["nodes"] == 9  # the nine of Fuzhou 2020
    page.get_by_role("button", name="Show the whole network again").click()
    page.wait_for_function("window.spacegraphNetwork.ready && !new URL(location).searchParams.get('focus')")
    assert page.evaluate("window.spacegraphNetwork.graph.order") == 14
    # three people only: a click on one brings in the people it shared an edition with
    page.goto(live_server + "/network?nodes=3")
    _ready(page)
    assert page.evaluate("window.spacegraphNetwork.graph.order") == 3
    first = page.evaluate("window.spacegraphNetwork.graph.nodes()[0]")
    grown = bench.expand(page, first)
    assert grown["before"] == 3 and grown["after"] > 3
    assert page.locator("#network-detail h2").inner_text() in _labels(page)
    # a person who is not shown: the search opens the network around them
    page.goto(live_server + "/network?nodes=3")
    _ready(page)
    everyone = page.evaluate("fetch('/api/network').then((r) => r.json()).then((d) => d.nodes.map((n) => n.label))")
    hidden = sorted(set(everyone) - set(_labels(page)))[0]
    page.fill("#search", hidden)
    page.press("#search", "Enter")
    page.wait_for_function("new URL(location).searchParams.get('focus') && window.spacegraphNetwork.ready")
    assert hidden in _labels(page) and page.locator("#network-shown").inner_text().startswith(
        f"The network around {hidden}")  # fmt: skip
    assert (
        page.evaluate("window.spacegraphNetwork.graph.getNodeAttribute(window.spacegraphNetwork.found, 'label')")
        == hidden
    )
    assert errors == []
    page.close()


def test_network_view_shows_an_error_from_the_server(browser, live_server):
    page, timings, _ = bench.open_network(browser, live_server, "/network?from=2023&to=2020")
    assert "from (2023) is after to (2020)" in timings["error"]
    status = page.locator("#network-status")
    assert "could not be loaded" in status.inner_text() and status.get_attribute("role") == "alert"
    page.close()


def test_network_view_has_no_wcag_violations(browser, live_server):
    assert AXE.exists(), "axe-core is missing: run `npm ci`"
    page, _, _ = bench.open_network(browser, live_server)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', "
        "'wcag21aa']}})"
    )
    violations = [{"rule": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]
    assert violations == [], json.dumps(violations, indent=2)
    page.close()


def test_network_view_on_a_phone(browser, live_server):
    page, timings, errors = bench.open_network(browser, live_server, viewport={"width": 390, "height": 844})
    assert timings["nodes"] > 10 and errors == []
    assert page.locator("body").evaluate("b => b.scrollWidth <= window.innerWidth + 1")  # nothing runs off screen
    widths = page.evaluate(
        "[...document.querySelectorAll('#network-filters input, #network-filters select, #network-filters button, #graph')]"
        ".map((e) => e.getBoundingClientRect().right)"
    )
    assert widths and max(widths) <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "network-phone.png"), full_page=True)
    page.close()


@pytest.fixture(scope="module")
def thousand_people(tmp_path_factory):
    """A synthetic data directory of about 1,000 people and 18,000 ties, built and served by gunicorn."""
    root = tmp_path_factory.mktemp("network-1000")
    data = bench.synthetic_data(root / "data", SYNTHETIC_QUADS)
    bench.build(data, root / "store")
    bench.warm(data, root / "store")
    with bench.serving(data, root / "store", root / "server.log") as url:
        yield url


def test_network_view_at_a_thousand_people(browser, thousand_people):
    page, timings, errors = bench.open_network(browser, thousand_people, timeout_s=240)
    assert timings["error"] is None and errors == []
    assert (timings["nodes"], timings["edges"]) == (500, 5000)  # the default cut
    shown = page.locator("#network-shown").inner_text()
    assert shown.startswith("The 500 people with the most ties, of 1,0") and "ties not shown" in shown
    assert page.evaluate(bench.INKED) > 10_000  # drawn, not blank
    searched = bench.search(page)  # a search finds a person
    assert searched["found"] == searched["searched"]
    grown = bench.expand(page, page.evaluate("window.spacegraphNetwork.found"))  # a click expands
    assert grown["after"] > grown["before"]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "network-1000.json").write_text(
        json.dumps({**timings, **searched, **grown}, indent=2), encoding="utf-8"
    )
    page.screenshot(path=str(ARTIFACTS / "network-1000.png"))
    iri = page.evaluate("window.spacegraphNetwork.found")
    page.goto(thousand_people + "/network?focus=" + iri)  # ?focus= opens the ego network
    _ready(page)
    assert page.locator("#network-shown").inner_text().startswith(f"The network around {searched['found']}:")
    page.close()

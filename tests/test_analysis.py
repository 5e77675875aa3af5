"""Relationship analysis: hand-built networks with known answers, and the real series (CLI and /api/)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from spacegraph.analysis import questions
from spacegraph.analysis.exports import export
from spacegraph.analysis.projections import co_appearance_graph, organisation_graph, person_event_graph
from spacegraph.analysis.questions import (
    all_shortest_paths,
    betweenness,
    bridges,
    communities,
    continuity,
    ego,
    rank,
    shortest_paths,
    structural_holes,
)
from spacegraph.cli import cli
from spacegraph.library import Spacegraph
from spacegraph.settings import PROJECT_ROOT, Settings, load_settings
from spacegraph.vocab.records import Appearance
from spacegraph.web import create_app

CORPUS_PAGE = Path(__file__).parent / "ingest_corpus" / "12-iac-2022-station-dialogue.html"


def appear(agent: str, event: str, year: int, role: str = "speaker", side: str = "U.S.", org: str | None = None):
    return Appearance(agent, agent.upper(), "person", event, f"Event {event}", f"{year}-05-01", role, side,
                      org and f"org:{org}", org, "private company" if org else None, None, f"https://src/{event}")  # fmt: skip


# Two triangles joined by one broker, "m": a-b-c at e1, d-e-f at e2, m at both.
TRIANGLES = [
    *(appear(x, "e1", 2020, side="U.S.", org="acme") for x in ("a", "b", "c")),
    *(appear(x, "e2", 2021, side="China", org="star") for x in ("d", "e", "f")),
    appear("m", "e1", 2020, side="other"), appear("m", "e2", 2021, side="other"),
    appear("a", "e3", 2022, role="contact"),  # a contact does not speak with anyone
]  # fmt: skip


@pytest.fixture
def triangles() -> nx.Graph:
    return co_appearance_graph(TRIANGLES)


def test_co_appearance_edges_carry_their_evidence(triangles):
    edge = triangles["a"]["m"]
    assert edge["weight"] == 1
    evidence = edge["events"]["e1"]
    assert (evidence["date"], evidence["roles"], evidence["sources"]) == (
        "2020-05-01", {"a": ["speaker"], "m": ["speaker"]}, ["https://src/e1"],
    )  # fmt: skip
    assert evidence["affiliations"] == {"a": "acme", "m": None}
    assert not triangles.has_edge("a", "d") and "e3" not in {
        e for _, _, d in triangles.edges(data=True) for e in d["events"]
    }


def test_paths_go_through_the_broker(triangles):
    result = shortest_paths(triangles, "a", "f")
    assert result["length"] == 2 and [p["nodes"] for p in result["paths"]] == [["a", "m", "f"]]
    assert [e["event"] for e in result["paths"][0]["hops"][1]["events"]] == ["e2"]
    assert shortest_paths(nx.union(triangles, nx.Graph([("x", "y")]), rename=("", "")), "a", "x")["paths"] == []


@pytest.mark.parametrize("seed", range(6))
def test_all_shortest_paths_are_networkx_s(seed):
    graph = nx.gnp_random_graph(60, 0.06, seed=seed)  # sparse enough to have pieces and long paths
    graph.add_edges_from([(0, 1), (1, 2), (2, 3), (0, 4), (4, 3)])  # two ways from 0 to 3 at least
    pairs = [(0, 3), (3, 0), (5, 5), (0, 1), *((x, y) for x in range(0, 60, 7) for y in range(1, 60, 11))]
    for x, y in pairs:
        ours = list(all_shortest_paths(graph, x, y))
        try:
            expected = sorted(nx.all_shortest_paths(graph, x, y))
        except nx.NetworkXNoPath:
            expected = []
        assert sorted(ours) == expected and len(ours) == len(expected)
    with pytest.raises(nx.NodeNotFound):
        list(all_shortest_paths(graph, 0, "nobody"))


def test_centrality_and_brokerage_find_the_broker(triangles):
    betweenness = rank(triangles, "betweenness")
    assert betweenness["ranking"][0]["iri"] == "m" and betweenness["computation"] == "exact"
    assert betweenness["ranking"][0]["score"] == pytest.approx(9 / 15)  # 9 of the 15 pairs of the others
    assert rank(triangles, "degree")["ranking"][0]["iri"] == "m"
    assert rank(triangles, "degree", side="China")["ranking"][0]["name"] in ("D", "E", "F")
    broker = bridges(triangles)["bridges"][0]
    assert broker["iri"] == "m" and broker["cross_side_ties"] == 6
    assert broker["constraint"] < min(r["constraint"] for r in bridges(triangles)["bridges"][1:])


@pytest.mark.parametrize(
    "graph",
    [nx.karate_club_graph(), nx.les_miserables_graph(), nx.disjoint_union(nx.path_graph(7), nx.star_graph(5))],
    ids=["karate", "les-miserables", "two-pieces"],
)
def test_exact_betweenness_is_networkx_s(graph):
    exact, note = betweenness(graph)
    assert note == "exact" and exact == pytest.approx(nx.betweenness_centrality(graph), abs=1e-12)
    assert betweenness(graph, sources=len(graph))[1] == "exact"  # sampling every source: exact is cheaper


def test_sampled_betweenness_is_reproducible_and_close():
    from scipy.stats import spearmanr

    graph = nx.les_miserables_graph()  # 77 people
    exact = nx.betweenness_centrality(graph)
    estimate, note = betweenness(graph, sources=50, seed=3)
    assert note == "estimated from 50 of 77 sources, sampled (seed 3), with linear scaling"
    assert betweenness(graph, sources=50, seed=3)[0] == pytest.approx(estimate, abs=1e-12)  # the same sources
    assert betweenness(graph, sources=50, seed=4)[0] != pytest.approx(estimate, abs=1e-6)  # other sources
    assert max(estimate, key=estimate.__getitem__) == max(exact, key=exact.__getitem__) == "Valjean"
    assert max(abs(estimate[n] - exact[n]) for n in graph) < 0.1 * exact["Valjean"]
    assert spearmanr([estimate[n] for n in graph], [exact[n] for n in graph])[0] > 0.9
    assert sum(estimate.values()) == pytest.approx(sum(exact.values()), rel=0.05)


def test_betweenness_known_values_and_the_budget(monkeypatch):
    path = nx.path_graph(5)  # the middle node is on 4 of the 6 pairs of the others; its neighbours on 3
    assert betweenness(path)[0] == pytest.approx({0: 0, 1: 3 / 6, 2: 4 / 6, 3: 3 / 6, 4: 0})
    assert betweenness(nx.star_graph(4))[0][0] == 1.0
    assert betweenness(nx.Graph([(1, 2)]))[0] == {1: 0.0, 2: 0.0}
    graph = nx.karate_club_graph()  # 34 nodes, 78 edges
    monkeypatch.setattr(questions, "BETWEENNESS_BUDGET", 34 * 78 - 1)
    for node in graph:  # rank() shows names and sides
        graph.nodes[node].update(name=f"n{node}", side="other")
    result = rank(graph, "betweenness", top=3)
    assert result["computation"].startswith("estimated from 33 of 34 sources, sampled (seed 1), with linear scaling")
    assert "over the budget" in result["computation"]
    assert rank(graph, "betweenness", top=3) == result  # the same sources, the same rounded scores
    assert [r["iri"] for r in result["ranking"]][:2] == [0, 33]  # the two leaders of the club
    monkeypatch.setattr(questions, "BETWEENNESS_BUDGET", 34 * 78)
    assert rank(graph, "betweenness")["computation"] == "exact"
    with pytest.raises(ValueError):
        betweenness(graph, sources=1)


def test_eigenvector_on_a_network_in_pieces(triangles):
    pieces = nx.union(triangles, co_appearance_graph([appear("x", "e9", 2023), appear("y", "e9", 2023)]))
    result = rank(pieces, "eigenvector", top=10)
    assert result["computation"] == (
        "exact, on the largest connected piece (7 of 9 people); the others, in 1 smaller pieces, score 0"
    )
    assert result["ranking"][0]["iri"] == "m" and {r["iri"] for r in result["ranking"] if r["score"] == 0} == {"x", "y"}
    assert rank(triangles, "eigenvector")["computation"] == "exact"


def test_communities_are_the_two_triangles_and_reproducible(triangles):
    first = communities(triangles, seed=3)
    assert sorted(sorted(c["members"]) for c in first["communities"] if c["size"] >= 3)[0][:3] in (
        ["A", "B", "C"], ["D", "E", "F"],
    )  # fmt: skip
    assert communities(triangles, seed=3) == first
    assert {c["sides"].get("U.S.", 0) for c in first["communities"]} >= {0, 3} or len(first["communities"]) >= 2


def test_ego(triangles):
    result = ego(triangles, "a", radius=1)
    assert {n["iri"] for n in result["nodes"]} == {"a", "b", "c", "m"}
    assert len(ego(triangles, "a", radius=2)["nodes"]) == 7


def test_continuity_new_returning_and_dropped_out():
    graph = person_event_graph([*TRIANGLES, appear("a", "e4", 2023), appear("z", "e4", 2023)])
    rows = {r["event"]: r for r in continuity(graph)["events"]}
    assert rows["e1"]["new"] == ["A", "B", "C", "M"] and rows["e1"]["returning"] == []
    assert rows["e2"]["returning"] == ["M"] and rows["e2"]["retention"] == pytest.approx(0.25)
    assert "B" in rows["e1"]["last_appearance"] and "A" not in rows["e1"]["last_appearance"]
    assert rows["e4"]["new"] == ["Z"] and rows["e4"]["returning"] == ["A"]


def test_organisation_projection(triangles):
    organisations = organisation_graph(TRIANGLES)
    assert set(organisations) == {"org:acme", "org:star"} and organisations.number_of_edges() == 0


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv"])
def test_exports_carry_the_attributes_analysts_filter_on(triangles, tmp_path, fmt):
    target = tmp_path / f"out.{fmt}"
    export(triangles, fmt, target)
    if fmt == "graphml":
        graph = nx.read_graphml(target)
        assert graph.nodes["m"]["side"] == "other" and graph["a"]["m"]["weight"] == 1
    elif fmt == "gexf":
        text = target.read_text(encoding="utf-8")
        assert 'mode="dynamic"' in text and "2021-05-01" in text
    elif fmt == "json":
        data = json.loads(target.read_text(encoding="utf-8"))
        assert len(data["nodes"]) == 7 and any(e["source"] == "a" for e in data["edges"])
    else:
        assert "side" in (target / "nodes.csv").read_text(encoding="utf-8").splitlines()[0]
        assert "first_year" in (target / "edges.csv").read_text(encoding="utf-8").splitlines()[0]


# ---- the real series


def run(settings, *args):
    return CliRunner().invoke(cli, ["--data", str(settings.data), "--store", str(settings.store), *args])


def test_manber_spoke_with_the_other_eight_of_fuzhou(built_settings):
    result = json.loads(run(built_settings, "who-spoke-with", "Jeffrey Manber", "--json").output)
    names = {c["name"] for c in result["co_speakers"]}
    assert names == {"WANG Yiran", "Ian Christensen", "ZHANG Dong", "PI Benjie", "Bhavya Lal", "HUO Jia",
                     "Ken Hodgkins", "Rob Ronci"}  # fmt: skip
    for c in result["co_speakers"]:
        assert [e["name"] for e in c["events"]] == ["Second Sino-U.S. Space Commercialization Workshop"]
        assert c["events"][0]["sources"] == [
            "https://swfound.org/events/2020/second-sino-us-space-commercialization-workshop"
        ]


def test_manber_to_curcio_in_two_hops_through_christensen_or_wang(built_settings):
    result = json.loads(run(built_settings, "path", "Jeffrey Manber", "Blaine Curcio", "--json").output)
    assert result["length"] == 2
    assert sorted(p["names"][1] for p in result["paths"]) == ["Ian Christensen", "WANG Yiran"]
    assert all(hop["events"] for p in result["paths"] for hop in p["hops"])


def test_christensen_and_wang_share_several_editions(built_settings):
    result = json.loads(run(built_settings, "who-spoke-with", "ian christensen", "--json").output)
    wang = next(c for c in result["co_speakers"] if c["name"] == "WANG Yiran")
    assert wang["count"] >= 3


def test_unknown_name_lists_nothing_and_exits_non_zero(built_settings):
    result = run(built_settings, "path", "Jeffrey Manber", "Nobody Atall")
    assert result.exit_code == 1 and "no person or organisation called 'Nobody Atall'" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", ["who-spoke-with", "path", "ego", "rank", "bridges", "communities", "continuity",
                                     "export"])  # fmt: skip
def test_analysis_commands_have_help_with_an_example(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_api_routes(built_settings):
    client = create_app({"SETTINGS": built_settings, "TESTING": True}).test_client()
    data = client.get("/api/who-spoke-with", query_string={"person": "Jeffrey Manber"}).get_json()
    assert len(data["co_speakers"]) == 8
    assert client.get("/api/path", query_string={"a": "Jeffrey Manber", "b": "Blaine Curcio"}).get_json()["length"] == 2
    assert client.get("/api/rank", query_string={"measure": "pagerank"}).get_json()["ranking"]
    assert client.get("/api/bridges").get_json()["bridges"][0]["name"] in ("WANG Yiran", "Ian Christensen")
    assert len(client.get("/api/continuity").get_json()["events"]) == 8
    missing = client.get("/api/ego", query_string={"node": "Nobody Atall"})
    assert missing.status_code == 404 and "Nobody Atall" in missing.get_json()["error"]
    bad = client.get("/api/rank", query_string={"measure": "coolness"})
    assert bad.status_code == 400 and "unknown measure" in bad.get_json()["error"]


def test_projections_follow_each_ingest(tmp_settings):
    """Cached per store generation: an ingest publishes a new one, so the answers are never stale."""
    assert run(tmp_settings, "build").exit_code == 0
    before = json.loads(run(tmp_settings, "who-spoke-with", "Jeffrey Manber", "--json").output)
    assert "YANG Yifan" not in {c["name"] for c in before["co_speakers"]}
    page = CORPUS_PAGE
    assert run(tmp_settings, "ingest", "--yes", str(page)).exit_code == 0
    after = json.loads(run(tmp_settings, "who-spoke-with", "Jeffrey Manber", "--json").output)
    assert "YANG Yifan" in {c["name"] for c in after["co_speakers"]}


def test_side_network_counts_pairs_across_sides(triangles):
    from spacegraph.analysis.projections import side_graph

    sides = side_graph(triangles)
    assert sides["U.S."]["other"]["pairs"] == 3 and sides["China"]["other"]["pairs"] == 3
    assert not sides.has_edge("U.S.", "China") and sides["U.S."]["U.S."]["pairs"] == 3


def test_ego_keeps_the_nearest_and_says_how_many_there_were():
    star = nx.Graph()
    for i in range(10):  # leaf i shares i + 1 events with the centre
        star.add_edge("c", f"l{i}", weight=i + 1, events={f"e{j}": {} for j in range(i + 1)})
        star.add_edge(f"l{i}", f"far{i}", weight=1, events={"x": {}})
    whole = ego(star, "c", radius=2, max_nodes=100)
    assert (whole["total_nodes"], whole["truncated"], len(whole["edges"])) == (21, False, 20)
    capped = ego(star, "c", radius=2, max_nodes=4)
    assert capped["truncated"] and capped["total_nodes"] == 21
    assert {n["iri"] for n in capped["nodes"]} == {"c", "l9", "l8", "l7"}  # nearest, most shared events first
    assert {(e["source"], e["target"]) for e in capped["edges"]} == {("c", "l9"), ("c", "l8"), ("c", "l7")}


def test_api_answers_about_the_whole_network_are_computed_once_per_data_version(tmp_settings, monkeypatch):
    assert run(tmp_settings, "build").exit_code == 0
    calls = []
    real = questions.centrality

    def counted(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(questions, "centrality", counted)
    client = create_app({"SETTINGS": tmp_settings, "TESTING": True}).test_client()
    first = client.get("/api/rank", query_string={"measure": "betweenness"}).get_json()
    by_side = client.get("/api/rank", query_string={"measure": "betweenness", "side": "China", "top": 3}).get_json()
    assert calls == ["betweenness"]  # the second ranking reused the scores
    assert by_side["ranking"] == [r for r in first["ranking"] if r["side"] == "China"][:3]
    events = len(client.get("/api/continuity").get_json()["events"])
    assert run(tmp_settings, "ingest", "--yes", str(CORPUS_PAGE)).exit_code == 0
    assert len(client.get("/api/continuity").get_json()["events"]) == events + 1  # a new version: answered anew
    client.get("/api/rank", query_string={"measure": "betweenness"})
    assert calls == ["betweenness", "betweenness"]


# ---- an edition too large for ties (issue 13's leftover): every answer from the network says what it leaves out

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "ha"]


def _made_up(i: int) -> str:
    """A name of its own for each number: "Lokakakaka Nelokakaka"."""
    given, family = (i, i // 7 + 13)
    return " ".join("".join(SYLLABLES[n // 10**j % 10] for j in range(5)).capitalize() for n in (given, family))


@pytest.fixture(scope="module")
def congress(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The real series and a generated edition of 400 speakers, Jeffrey Manber the first of them."""
    root = tmp_path_factory.mktemp("congress")
    shutil.copytree(PROJECT_ROOT / "data", root / "data")
    settings = load_settings(data=root / "data", store=root / "store")
    speakers = ["- Jeffrey Manber, Nanoracks\n"] + [f"- {_made_up(i)}, Secure World Foundation\n" for i in range(399)]
    page = root / "congress.txt"
    page.write_text("Four Hundred Speakers Congress\nWhen: June 4, 2024\nWhere: Vienna, Austria\n\nSpeakers:\n"
                    + "".join(speakers), encoding="utf-8")  # fmt: skip
    assert run(settings, "build").exit_code == 0
    ingested = run(settings, "ingest", "--yes", str(page))
    assert ingested.exit_code == 0, ingested.output
    return settings


def test_answers_about_a_network_without_a_congress_s_ties_say_so(congress):
    library = Spacegraph(congress)
    answers = {
        "who_spoke_with": library.who_spoke_with("Jeffrey Manber"),
        "path": library.path("Jeffrey Manber", _made_up(1)),
        "ego": library.ego("Jeffrey Manber"),
        "rank": library.rank("degree"),
        "bridges": library.bridges(),
        "communities": library.communities(),
    }
    for question, answer in answers.items():
        assert [(e["name"], e["participants"]) for e in answer["events_left_out"]] == [
            ("Four Hundred Speakers Congress", 400)
        ], question
        assert "more than 300 participants are left out" in answer["note"], question
    assert answers["path"]["paths"] == []  # the congress alone would join them: its ties are not counted
    assert len(answers["who_spoke_with"]["co_speakers"]) == 8  # the eight of Fuzhou, not the 399 of the congress
    continuity = library.continuity()  # the person–event network has every participant
    assert "note" not in continuity
    assert next(e["people"] for e in continuity["events"] if e["name"] == "Four Hundred Speakers Congress") == 400


def test_the_command_line_and_the_api_carry_the_note(congress, built_settings):
    text = run(congress, "who-spoke-with", "Jeffrey Manber").output
    assert text.startswith("Note: The ties of 1 event(s) with more than 300 participants are left out of this network")
    assert "Jeffrey Manber shared an event with 8 people:" in text
    for args in (["who-spoke-with", "Jeffrey Manber"], ["path", "Jeffrey Manber", _made_up(1)],
                 ["ego", "Jeffrey Manber"], ["rank"], ["bridges"], ["communities"]):  # fmt: skip
        answer = json.loads(run(congress, *args, "--json").output)
        assert answer["events_left_out"][0]["participants"] == 400, args
        real = json.loads(
            run(built_settings, *(a if a != _made_up(1) else "Blaine Curcio" for a in args), "--json").output
        )
        assert "note" not in real and "events_left_out" not in real, args  # the real series has no such event
    client = create_app({"SETTINGS": congress, "TESTING": True}).test_client()
    for route, params in (("who-spoke-with", {"person": "Jeffrey Manber"}), ("ego", {"node": "Jeffrey Manber"}),
                          ("path", {"a": "Jeffrey Manber", "b": _made_up(1)}), ("rank", {}), ("bridges", {}),
                          ("communities", {})):  # fmt: skip
        assert "left out" in client.get(f"/api/{route}", query_string=params).get_json()["note"], route


def test_the_path_page_says_a_congress_s_ties_are_left_out(congress):
    client = create_app({"SETTINGS": congress, "TESTING": True}).test_client()
    html = client.get("/path", query_string={"a": "Jeffrey Manber", "b": _made_up(1)}).get_data(as_text=True)
    assert "Four Hundred Speakers Congress (400 participants)" in html


@pytest.mark.parametrize("seed", range(4))
def test_structural_holes_agree_with_networkx(seed):
    """The sparse-matrix constraint and effective size (analysis.questions.structural_holes) are NetworkX's, on
    random graphs with a node without ties, taken a few rows at a time."""
    graph = nx.relabel_nodes(nx.gnm_random_graph(80, 500 + 50 * seed, seed=seed), lambda n: f"n{n}")
    graph.add_node("alone")
    constraint, effective = structural_holes(graph, list(graph), rows=7)
    expected_constraint, expected_effective = nx.constraint(graph), nx.effective_size(graph)
    for node in graph:
        assert constraint[node] == pytest.approx(expected_constraint[node], nan_ok=True, abs=1e-12)
        assert effective[node] == pytest.approx(expected_effective[node], nan_ok=True, abs=1e-12)

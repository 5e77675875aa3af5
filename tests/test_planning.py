"""Planning the next edition: hand-built series with known answers, then the real series end to end."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest
from click.testing import CliRunner

from spacegraph.cli import cli
from spacegraph.planning.balance import balance
from spacegraph.planning.candidates import Ranker, candidates, pairings
from spacegraph.planning.coverage import coverage
from spacegraph.planning.history import History
from spacegraph.planning.programme import PlanRefused, Request, draft, to_html, to_markdown
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.vocab.records import Appearance, Edition
from spacegraph.web import create_app
from spacegraph.write import Writer

# A small series. Topics: space (top) > launch > reusable launch; space > tourism; debris (top, never covered).
TOPICS = {"t:space": "space", "t:launch": "launch", "t:reusable": "reusable launch", "t:tourism": "tourism",
          "t:debris": "debris"}  # fmt: skip
BROADER = {"t:launch": {"t:space"}, "t:reusable": {"t:launch"}, "t:tourism": {"t:space"}}
EDITIONS = [Edition("e:2019", "First", "2019-05-01", ("t:launch",)),
            Edition("e:2020", "Second", "2020-05-01", ("t:reusable",)),
            Edition("e:2022", "Third", "2022-05-01", ("t:tourism",))]  # fmt: skip
PEOPLE = {  # person: (side, editions spoken at)
    "p:ann": ("U.S.", ["e:2019", "e:2020"]),
    "p:bob": ("U.S.", ["e:2019", "e:2022"]),
    "p:cal": ("U.S.", ["e:2022"]),
    "p:dan": ("U.S.", ["e:2022"]),
    "p:li": ("China", ["e:2020"]),
    "p:wu": ("China", ["e:2022"]),
}


def appearances(people=PEOPLE) -> list[Appearance]:
    dates = {e.iri: e.date for e in EDITIONS}
    names = {e.iri: e.name for e in EDITIONS}
    return [Appearance(p, p[2:].title(), "person", e, names[e], dates[e], "speaker or presenter", side)
            for p, (side, editions) in people.items() for e in editions]  # fmt: skip


def history(records=None) -> History:
    return History("s:1", "Test series", EDITIONS, records if records is not None else appearances(), TOPICS, BROADER)


def test_a_topic_nobody_covered_is_flagged_and_narrower_topics_count_for_broader():
    c = coverage(history())
    assert [t["label"] for t in c["never"]] == ["debris"]
    assert c["matrix"][1]["topics"] == {"t:reusable": "directly", "t:launch": "via narrower", "t:space": "via narrower"}
    by_label = {t["label"]: t for t in c["topics"]}
    assert by_label["space"]["editions"] == 3 and by_label["launch"]["editions"] == 2
    assert [t["label"] for t in c["long_ago"]] == ["launch", "reusable launch"]  # last in 2020, 2 years before 2022
    assert {t["label"] for t in c["once"]} == {"reusable launch", "tourism"}
    # the 2019 edition had U.S. speakers only, but launch was also covered in 2020 with LI
    assert [t["label"] for t in c["one_side_only"]] == []


def test_a_topic_raised_by_one_side_only_is_flagged():
    one_sided = {**PEOPLE, "p:wu": ("China", [])}  # tourism (2022): U.S. speakers only
    c = coverage(history(appearances(one_sided)))
    assert [(t["label"], t["side"]) for t in c["one_side_only"]] == [("tourism", "U.S.")]


def test_an_unbalanced_edition_is_flagged():
    b = balance(history())
    flags = {e["name"]: e["flags"] for e in b["editions"]}
    assert flags["First"] == ["unbalanced: no China speakers recorded (2 U.S., 0 China)"]
    assert flags["Second"] == []  # one each
    assert flags["Third"] == ["unbalanced: 3 U.S. speakers against 1 China"]
    third = b["editions"][2]
    assert third["new"] == ["Cal", "Dan", "Wu"] and third["returning"] == ["Bob"]


def test_organisations_that_came_once_and_never_again():
    records = appearances()
    records[0] = Appearance("p:ann", "Ann", "person", "e:2019", "First", "2019-05-01", "speaker or presenter",
                            "U.S.", "o:acme", "Acme", "private company", "US")  # fmt: skip
    once = balance(history(records))["organisations_once"]
    assert [(o["name"], o["edition_name"]) for o in once] == [("Acme", "First")]


def test_a_candidates_reasons_match_the_data():
    ranked = {c["person"]: c for c in candidates(history(), "t:reusable")["candidates"]}
    li = ranked["p:li"]
    assert li["reasons"][0] == "spoke on this topic (reusable launch) in 2020"
    assert "from the under-represented side (China: 2 of 8 speaking appearances)" in li["reasons"]
    assert "has not appeared since 2020" in li["reasons"]
    bob = ranked["p:bob"]
    assert bob["reasons"][0] == "spoke on a related topic (launch) in 2019"  # Wu–Palmer: 2·2/(2+3) = 0.8
    assert bob["parts"]["topic"] == 0.8
    assert not any("under-represented" in r for r in bob["reasons"])
    assert not any("not appeared" in r for r in ranked["p:cal"]["reasons"])  # spoke in the latest year
    # Ann spoke at 2019 and 2020 with people who never met each other otherwise: she bridges
    assert any("would connect two otherwise separate groups" in r for r in ranked["p:ann"]["reasons"])


def test_topic_similarity_follows_the_scheme():
    ranker = Ranker(history())
    assert ranker.similarity("t:reusable", "t:reusable") == 1.0
    assert ranker.similarity("t:reusable", "t:launch") == pytest.approx(0.8)
    assert ranker.similarity("t:reusable", "t:tourism") == pytest.approx(0.4)
    assert ranker.similarity("t:reusable", "t:debris") == 0.0


def test_new_pairings_cross_the_sides_and_have_never_shared_a_stage():
    found = pairings(history())
    pairs = {(p["a_name"], p["b_name"]) for p in found}
    # Li (China) spoke in 2020 with Ann only; Wu (China) in 2022 with Bob, Cal and Dan: the cross-side pairs
    # that never shared a stage, with topics in common through the scheme
    assert pairs == {("Ann", "Wu"), ("Bob", "Li"), ("Cal", "Li"), ("Dan", "Li")}
    assert ("Ann", "Li") not in pairs and ("Bob", "Wu") not in pairs  # they shared a stage
    assert all(p["reasons"][0].startswith("both spoke on") for p in found)


def test_a_plan_meets_its_constraints_and_is_deterministic():
    request = Request(4, ("t:launch",), balance_sides=True)
    plan = draft(history(), request)
    assert plan["by_side"] == {"U.S.": 2, "China": 2}
    assert all(s["topic"] == "t:launch" and s["reasons"] for s in plan["slots"])
    shuffled = appearances()
    random.Random(7).shuffle(shuffled)
    assert draft(history(shuffled), request) == plan
    assert "| 1 |" in to_markdown(plan) and "<table>" in to_html(plan)


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (Request(7), "slots: 7 slots but only 6 people of the series can be invited"),
        (
            Request(6, balance_sides=True),
            "balance-sides: 6 balanced slots need at least 3 people from the China side; only 2 can be invited",
        ),  # fmt: skip
        (Request(2, min_new=1), "min-new: 1 new speakers asked for, but only 0 people"),
        (
            Request(4, balance_sides=True, exclude=frozenset({"p:li"})),
            "balance-sides: 4 balanced slots need at least 2 "
            "people from the China side; only 1 can be invited (after excluding 1)",
        ),
    ],  # fmt: skip
)
def test_an_impossible_request_is_refused_with_its_reason(request_, message):
    with pytest.raises(PlanRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
        draft(history(), request_)


# -- the real series --------------------------------------------------------------------------------------------


def run(settings, *args):
    return CliRunner().invoke(cli, ["--data", str(settings.data), "--store", str(settings.store), *args])


@pytest.fixture
def built(tmp_settings):
    assert run(tmp_settings, "build").exit_code == 0
    return tmp_settings


FACT_QUERY = """
PREFIX conf: <https://w3id.org/scholarlydata/ontology/conference-ontology.owl#>
PREFIX schema: <https://schema.org/>
SELECT ?person ?name ?edition WHERE { ?r conf:isHeldBy ?person ; conf:during ?edition . ?person schema:name ?name }
ORDER BY ?person ?edition"""


def test_a_balanced_plan_for_the_real_series_is_saved_apart_from_the_facts(built):
    before = [tuple(map(str, (r["person"], r["name"], r["edition"])))
              for r in OxigraphStore(built.store, read_only=True).query(FACT_QUERY)]  # fmt: skip
    who_before = run(built, "who-spoke-with", "Jeffrey Manber", "--json").stdout
    home = create_app({"SETTINGS": built, "TESTING": True}).test_client()
    counts_before = home.get("/index.json").get_json()["counts"]
    result = run(built, "plan", "--slots", "8", "--balance-sides", "--json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert len(plan["slots"]) == 8 and plan["by_side"] == {"U.S.": 4, "China": 4}
    store = OxigraphStore(built.store, read_only=True)
    for slot in plan["slots"]:  # every person proposed exists in the graph, with the fields the issue asks for
        assert {"name", "person", "side", "organisation", "topic", "reasons"} <= set(slot)
        assert store.query(f"ASK {{ <{slot['person']}> a <http://xmlns.com/foaf/0.1/Person> }}")
        assert slot["reasons"]
    graph = plan["saved_as"]
    assert store.query(f"ASK {{ GRAPH <{graph}> {{ ?p a <https://w3id.org/spacegraph/ontology#Proposal> }} }}")
    assert len(list((built.data / "proposals").glob("*.trig"))) == 1
    # the facts and the analysis do not see it
    after = [tuple(map(str, (r["person"], r["name"], r["edition"]))) for r in store.query(FACT_QUERY)]
    assert after == before
    assert run(built, "who-spoke-with", "Jeffrey Manber", "--json").stdout == who_before
    assert home.get("/index.json").get_json()["counts"] == counts_before
    assert run(built, "validate").exit_code == 0
    again = run(built, "plan", "--slots", "8", "--balance-sides", "--json", "--dry-run")
    assert [s["person"] for s in json.loads(again.stdout)["slots"]] == [s["person"] for s in plan["slots"]]
    assert run(built, "build").exit_code == 0  # data/ keeps it
    assert OxigraphStore(built.store, read_only=True).query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    discarded = run(built, "plan", "--discard")
    assert discarded.exit_code == 0 and "Removed the proposal" in discarded.output
    assert not OxigraphStore(built.store, read_only=True).query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert not list((built.data / "proposals").glob("*.trig"))


def test_plan_refusals_and_exports_from_the_command_line(built, tmp_path):
    refused = run(built, "plan", "--slots", "30", "--dry-run")
    assert refused.exit_code == 1
    assert "cannot plan this: slots: 30 slots but only 14 people" in refused.output
    assert "Traceback" not in refused.output
    unknown = run(built, "plan", "--topics", "underwater basket weaving", "--dry-run")
    assert unknown.exit_code == 1 and "no topic called 'underwater basket weaving'" in unknown.output
    md, page = tmp_path / "plan.md", tmp_path / "plan.html"
    ok = run(built, "plan", "--slots", "3", "--topics", "space tourism", "--exclude", "WANG Yiran", "--dry-run",
             "--markdown", str(md), "--html", str(page))  # fmt: skip
    assert ok.exit_code == 0, ok.output
    slots = [line for line in md.read_text().splitlines() if line.startswith("| ")]
    assert slots and not any("WANG Yiran" in line for line in slots) and "space tourism" in md.read_text()
    # the Request line names the topics and the people asked for, so that a colleague can repeat it
    assert '--slots 3 --topics "space tourism" --exclude "WANG Yiran"' in md.read_text()
    assert page.read_text().startswith("<!doctype html>")
    assert not (built.data / "proposals").exists() or not list((built.data / "proposals").glob("*"))


def test_the_planning_questions_answer_in_json(built):
    coverage_, balance_, candidates_ = (json.loads(run(built, c, "--json").stdout) for c in ("coverage", "balance",
                                                                                               "candidates"))  # fmt: skip
    assert len(coverage_["matrix"]) == 8 and len(coverage_["topics"]) == 35
    assert [t["label"] for t in coverage_["one_side_only"]] and all(t["side"] in ("U.S.", "China")
                                                                   for t in coverage_["one_side_only"])  # fmt: skip
    fuzhou = next(e for e in balance_["editions"] if e["date"] == "2020-09-19")
    assert fuzhou["speakers"] == 9 and fuzhou["by_side"] == {"China": 4, "U.S.": 4, "unknown": 1}
    assert len(candidates_["candidates"]) == 10 and all(c["reasons"] for c in candidates_["candidates"])
    unknown = run(built, "coverage", "--series", "no such series")
    assert unknown.exit_code == 1 and "the series are" in unknown.output
    empty = run(built, "candidates", "--topic", "")
    assert empty.exit_code == 1 and "--topic is empty" in empty.output


def test_a_kill_while_discarding_a_proposal_leaves_it_whole(built):
    assert run(built, "plan", "--slots", "4").exit_code == 0
    saved = sorted((built.data / "proposals").glob("*.trig"))
    env = {**os.environ, "SPACEGRAPH_FAILPOINT": "before-store"}
    command = [sys.executable, "-m", "spacegraph", "--data", str(built.data), "--store", str(built.store),
               "plan", "--discard"]  # fmt: skip
    killed = subprocess.run(command, env=env, capture_output=True, text=True)
    assert killed.returncode == -9, killed.stderr
    assert not saved[0].exists()  # the file was removed, the store not yet changed: recovery undoes the removal
    with Writer(built) as writer:  # the next writer settles the interrupted commit
        assert writer.recovered is not None
    assert saved[0].exists()
    assert not [p for p in built.data.rglob(".*") if p.is_file()]


def test_the_planning_page_and_its_json_twin(built_settings):
    client = create_app({"SETTINGS": built_settings, "TESTING": True}).test_client()
    page = client.get("/plan.json?topic=space+tourism&draft=1&slots=6&balance_sides=on").get_json()
    assert len(page["coverage"]["matrix"]) == 8 and page["balance"]["editions"]
    assert page["candidates"][0]["reasons"][0].startswith("spoke on this topic (space tourism)")
    assert page["draft"]["by_side"] == {"U.S.": 3, "China": 3}
    refused = client.get("/plan.json?draft=1&slots=40").get_json()
    assert refused["draft_error"].startswith("Cannot plan this: slots: 40 slots")
    assert client.get("/plan?slots=many&draft=1").status_code == 400
    assert client.get("/plan?topic=nothing+like+it").status_code == 400
    html = client.get("/plan?draft=1&slots=4").get_data(as_text=True)
    for label in (
        'for="slots"',
        'for="min_new"',
        'for="balance_sides"',
        'for="topics"',
        'for="exclude"',
        'for="topic"',
    ):
        assert label in html
    assert html.count('class="cov cov-directly"') >= 27  # every topic on some programme has its cell


def test_a_new_speaker_is_found_and_a_greedy_dead_end_is_avoided():
    """Two balanced slots with one new speaker: the best U.S. candidate has spoken before, so taking them first
    would leave no room for the new one (who is listed only as a contact). The plan must take the new one."""
    editions = [Edition("e:1", "One", "2020-01-01", ("t:a",)), Edition("e:2", "Two", "2021-01-01", ("t:a",))]
    records = [Appearance("p:old", "Us Old", "person", "e:2", "Two", "2021-01-01", "speaker", "U.S."),
               Appearance("p:cna", "Cn A", "person", "e:1", "One", "2020-01-01", "speaker", "China"),
               Appearance("p:cna", "Cn A", "person", "e:2", "Two", "2021-01-01", "speaker", "China"),
               Appearance("p:cnb", "Cn B", "person", "e:2", "Two", "2021-01-01", "speaker", "China"),
               Appearance("p:new", "Us New", "person", "e:2", "Two", "2021-01-01", "contact", "U.S."),
               Appearance("p:new2", "Us Newer", "person", "e:2", "Two", "2021-01-01", "contact", "U.S.")]  # fmt: skip
    small = History("s", "S", editions, records, {"t:a": "a"}, {})
    plan = draft(small, Request(2, ("t:a",), balance_sides=True, min_new=1))
    assert sorted((s["name"], s["new"]) for s in plan["slots"]) == [("Cn A", False), ("Us New", True)]
    assert "has never spoken at an edition of the series" in next(s for s in plan["slots"] if s["new"])["reasons"][-1]
    with pytest.raises(PlanRefused, match="min-new with balance-sides: 2 new speakers asked for, but the new people "
                                          "who can be invited fit only 1 of the balanced slots"):  # fmt: skip
        draft(small, Request(2, ("t:a",), balance_sides=True, min_new=2))


def test_the_odd_slot_goes_to_the_side_with_fewer_appearances_and_the_refusal_says_so():
    plan = draft(history(), Request(3, ("t:space",), balance_sides=True))
    assert plan["by_side"] == {"U.S.": 1, "China": 2}  # China: 2 of 8 speaking appearances so far
    with pytest.raises(PlanRefused, match=r"need at least 3 people from the China side \(the odd slot goes"):
        draft(history(), Request(5, ("t:space",), balance_sides=True))


def test_the_longlist_lets_min_new_be_met_and_draws_on_its_topics():
    """Issue 16: every person of the series has spoken, so --min-new 1 was refused; a longlist invitee (not in the
    graph yet) for a topic is a candidate, counts as new, and a plan that asks for one takes them."""
    with pytest.raises(PlanRefused, match="put people to invite on the longlist"):
        draft(history(), Request(2, ("t:tourism",), min_new=1))
    invited = history()
    invited.longlist = [{"iri": "p:eve", "name": "Eve Example", "organisation": "Example Orbital", "side": "China",
                         "topics": ["t:tourism"]}]  # fmt: skip
    plan = draft(invited, Request(2, ("t:tourism",), min_new=1))
    eve = next(s for s in plan["slots"] if s["person"] == "p:eve")
    assert eve["new"] and eve["longlist"] and eve["organisation"] == "Example Orbital" and plan["new"] == 1
    assert "on the longlist for this topic (tourism)" in eve["reasons"]
    ranked = Ranker(invited).rank("t:tourism")
    assert ranked[0]["person"] == "p:eve"  # the topic itself, the under-represented side, and new
    assert all("p:eve" not in (p["a"], p["b"]) for p in pairings(invited, 20))  # she never spoke: no pairing


def test_a_plan_whose_filled_slots_took_too_few_new_people_is_refused_not_short():
    invited = history()
    invited.longlist = [{"iri": "p:eve", "name": "Eve", "side": "U.S.", "topics": []}]
    with pytest.raises(PlanRefused, match="min-new: 2 new speakers asked for, but only 1 people"):
        draft(invited, Request(3, ("t:space",), min_new=2))
    plan = draft(invited, Request(1, ("t:space",), min_new=1))
    assert [s["person"] for s in plan["slots"]] == ["p:eve"]


def test_the_request_line_names_topics_and_people_and_exports_as_csv():
    from spacegraph.planning.programme import to_csv

    plan = draft(history(), Request(2, ("t:launch", "t:tourism"), exclude=frozenset({"p:ann"})))
    assert plan["request"] == '--slots 2 --topics "launch" --topics "tourism" --exclude "Ann"'
    rows = to_csv(plan).splitlines()
    assert rows[0] == "slot,person,name,side,organisation,topic,topic_label,new,score,reasons"
    assert len(rows) == 3 and rows[1].startswith("1,p:")


def test_longlist_and_named_proposals_from_the_command_line(built):
    added = run(built, "longlist", "add", "Ada Example", "--organisation", "Example Orbital Inc.", "--side", "U.S.",
                "--topic", "space tourism")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert json.loads((built.data / "planning" / "longlist.json").read_text())[0]["name"] == "Ada Example"
    known = run(built, "longlist", "add", "Ian Christensen")
    assert known.exit_code == 1 and "in the graph already" in known.output
    assert run(built, "longlist", "add", "Ada Example").exit_code == 1  # on the list already
    assert "Ada Example (Example Orbital Inc.; U.S.): space tourism" in run(built, "longlist", "list").output
    planned = run(built, "plan", "--slots", "3", "--min-new", "1", "--topics", "space tourism", "--name", "newcomers")
    assert planned.exit_code == 0, planned.output
    assert "| Ada Example | U.S. | Example Orbital Inc. | space tourism |" in planned.output
    without = run(built, "plan", "--slots", "3", "--min-new", "1", "--exclude", "ada example", "--dry-run")
    assert without.exit_code == 1 and "min-new: 1 new speakers asked for" in without.output  # she is excluded
    assert run(built, "plan", "--slots", "2", "--name", "short").exit_code == 0
    listed = run(built, "proposals", "list").output
    assert "-newcomers: " in listed and "-short: " in listed and "--min-new 1" in listed
    csv_text = run(built, "proposals", "show", "newcomers", "--format", "csv").output
    assert "Ada Example,U.S.,Example Orbital Inc." in csv_text
    page = run(built, "proposals", "show", "newcomers", "--format", "html").output
    assert page.startswith("<!doctype html>") and "Ada Example" in page
    assert run(built, "proposals", "discard", "newcomers").exit_code == 0
    assert "-newcomers" not in run(built, "proposals", "list").output and "-short" in run(built, "proposals",
                                                                                          "list").output  # fmt: skip
    missing = run(built, "proposals", "show", "newcomers")
    assert missing.exit_code == 1 and "no saved proposal 'newcomers'" in missing.output
    assert run(built, "longlist", "remove", "Ada Example").exit_code == 0
    assert run(built, "longlist", "list").output.strip() == "The longlist is empty."
    for command in (["proposals", "list"], ["proposals", "show"], ["longlist", "add"], ["longlist", "remove"]):
        assert "Example:" in run(built, *command, "--help").output

"""The web app: in process with the test client, and under gunicorn with a real HTTP client."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from spacegraph.store.oxigraph import StoreMissing
from spacegraph.web import create_app


@pytest.fixture
def client(built_settings):
    return create_app({"SETTINGS": built_settings, "TESTING": True}).test_client()


def test_home_lists_every_edition_with_date_place_and_hosts(client):
    page = client.get("/index.json").get_json()
    editions = {e["name"]: e for e in page["editions"]}
    assert len(editions) == 8
    fuzhou = editions["Second Sino-U.S. Space Commercialization Workshop"]
    assert (fuzhou["start_date"], fuzhou["city"], fuzhou["country"]) == ("2020-09-19", "Fuzhou", "CN")
    assert fuzhou["hosts"] == ["Chinese Society of Astronautics", "Secure World Foundation"]
    assert fuzhou["co_located_with"] == "2020 China Space Conference"
    hefei = editions[next(n for n in editions if n.startswith("Space High-end Dialogue Series 2023"))]
    assert (hefei["start_date"], hefei["end_date"], hefei["kind"]) == ("2023-04-25", "2023-04-26", "dialogue")
    # newest first, the undated 2021 Beijing dialogue last
    dates = [e["start_date"] for e in page["editions"]]
    assert dates[0] == "2023-04-25" and dates[-2] == "2019-04-25" and dates[-1] is None


def test_home_html(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<h2 id="editions-h">Editions</h2>' in html
    assert (
        "Fuzhou, CN" in html
        and 'Chinese Society of Astronautics<span class="sep">; </span>Secure World Foundation' in html
    )
    assert "list incomplete" in html  # most editions' lists are incomplete, and say so
    assert html.index(">2023<") < html.index(">2019<")  # the time axis, newest first
    assert client.get("/static/spacegraph.css").status_code == 200


def test_not_found_has_one_error_shape(client):
    as_json = client.get("/nowhere", headers={"Accept": "application/json"})
    assert as_json.status_code == 404
    assert as_json.get_json() == {"ok": False, "status": 404, "title": "Not found", "error": "Nothing is at /nowhere."}
    as_html = client.get("/nowhere", headers={"Accept": "text/html"})
    assert as_html.status_code == 404 and "Nothing is at /nowhere." in as_html.get_data(as_text=True)


def test_app_without_store_says_to_build(tmp_settings):
    with pytest.raises(StoreMissing, match="run `spacegraph build` first"):
        create_app({"SETTINGS": tmp_settings})


def test_gunicorn_serves_the_home_page(live_server):
    with urllib.request.urlopen(live_server + "/") as response:
        assert response.status == 200
        assert response.headers["Server"].startswith("gunicorn")
        assert "Second Sino-U.S. Space Commercialization Workshop" in response.read().decode("utf-8")
    with urllib.request.urlopen(live_server + "/index.json") as response:
        assert len(json.loads(response.read())["editions"]) == 8
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(urllib.request.Request(live_server + "/x", headers={"Accept": "application/json"}))
    assert error.value.code == 404


def test_the_app_sees_a_new_edition_after_an_ingest_without_a_restart(tmp_settings):
    from click.testing import CliRunner

    from spacegraph.cli import cli

    args = ["--data", str(tmp_settings.data), "--store", str(tmp_settings.store)]
    assert CliRunner().invoke(cli, [*args, "build"]).exit_code == 0
    client = create_app({"SETTINGS": tmp_settings, "TESTING": True}).test_client()
    assert len(client.get("/index.json").get_json()["editions"]) == 8
    page = Path(__file__).parent / "ingest_corpus" / "13-space-economy-2030-online-panel.md"
    assert CliRunner().invoke(cli, [*args, "ingest", "--yes", str(page)]).exit_code == 0
    names = [e["name"] for e in client.get("/index.json").get_json()["editions"]]
    assert "Online Panel: The Commercial Space Economy in 2030" in names and len(names) == 9

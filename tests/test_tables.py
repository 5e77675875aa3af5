"""Tables as a user expects them (issue 17): sorted, paged, filtered by facets with counts, whole as CSV and JSON;
the table function on its own, then through the pages of the real series."""

from __future__ import annotations

import csv
import io

import pytest

from spacegraph.web import create_app
from spacegraph.web.pages.table import PAGE_ROWS, Row, table

FUZHOU = "/id/event/2020-second-sino-u-s-space-commercialization-workshop"


def rows(n: int) -> list[Row]:
    """n rows: a year (2000 + i % 5), a side (U.S. for even i), a name and a number."""
    return [Row([str(2000 + i % 5), f"name {i:04d}", str(i)], {"year": str(2000 + i % 5),
                "side": "U.S." if i % 2 == 0 else "China"}, (str(2000 + i % 5), f"name {i:04d}", i))
            for i in range(n)]  # fmt: skip


def test_a_page_never_holds_more_than_its_rows_and_the_pages_cover_every_row():
    seen = []
    first = table("t", "T", ["Year", "Name", "N"], rows(1234), {})
    assert first["table"]["pages"] == -(-1234 // PAGE_ROWS) and len(first["rows"]) == PAGE_ROWS
    for number in range(1, first["table"]["pages"] + 1):
        page = table("t", "T", ["Year", "Name", "N"], rows(1234), {"t.page": str(number)})
        assert len(page["rows"]) <= PAGE_ROWS
        seen += [r[1] for r in page["rows"]]
    assert sorted(seen) == sorted(f"name {i:04d}" for i in range(1234))
    last = table("t", "T", ["Year", "Name", "N"], rows(1234), {"t.page": "999"})  # past the end: the last page
    assert last["table"]["page"] == first["table"]["pages"] and last["table"]["links"]["next"] is None


def test_sorting_by_a_column_both_ways_numbers_as_numbers():
    up = table("t", "T", ["Year", "Name", "N"], rows(30), {"t.sort": "3"})
    down = table("t", "T", ["Year", "Name", "N"], rows(30), {"t.sort": "-3"})
    assert [r[2] for r in up["rows"]] == [str(i) for i in range(30)]  # 2 before 10: by number, not by text
    assert [r[2] for r in down["rows"]] == [str(i) for i in reversed(range(30))]
    assert up["table"]["sorts"][2].endswith("t.sort=-3")  # the link on a sorted column reverses it


def test_facets_count_the_rows_the_other_facets_keep():
    page = table("t", "T", ["Year", "Name", "N"], rows(100), {"t.side": "U.S."})
    assert page["table"]["total"] == 50 and all(int(r[2]) % 2 == 0 for r in page["rows"])
    facets = {f["name"]: {v["value"]: v for v in f["values"]} for f in page["table"]["facets"]}
    assert {y: v["count"] for y, v in facets["year"].items()} == {"2000": 10, "2001": 10, "2002": 10, "2003": 10,
                                                                  "2004": 10}  # fmt: skip
    assert list(facets["year"]) == ["2004", "2003", "2002", "2001", "2000"]  # years newest first
    assert facets["side"]["China"]["count"] == 50 and facets["side"]["U.S."]["selected"]  # its own facet: not applied
    assert "t.side" not in facets["side"]["U.S."]["url"]  # a selected value's link takes the filter off


@pytest.fixture(scope="module")
def client(built_settings):
    return create_app({"SETTINGS": built_settings, "TESTING": True}).test_client()


def test_every_table_of_a_page_comes_whole_as_csv_and_json(client):
    page = client.get(FUZHOU + ".json").get_json()
    programme = next(s for s in page["sections"] if s["id"] == "programme")
    answer = client.get(FUZHOU + ".csv?table=programme")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    table_rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True))))
    assert table_rows[0] == programme["columns"] and len(table_rows) - 1 == programme["table"]["total"]
    as_json = client.get(FUZHOU + ".json?table=programme").get_json()
    assert as_json["columns"] == programme["columns"] and len(as_json["rows"]) == programme["table"]["total"]
    assert client.get(FUZHOU + ".csv?table=nothing").status_code == 404
    assert client.get(FUZHOU + ".csv").status_code == 404  # a page is not a table
    html = client.get(FUZHOU).get_data(as_text=True)
    assert f'href="{FUZHOU}.csv?table=programme"' in html and f'href="{FUZHOU}.json?table=programme"' in html


def test_the_home_pages_editions_filter_and_sort_by_their_links(client):
    page = client.get("/index.json?editions.year=2021").get_json()
    editions = page["sections"][0]
    assert editions["table"]["total"] == 3 and all(r[0].startswith("2021") for r in editions["rows"])
    oldest_first = client.get("/index.json?editions.sort=1").get_json()["sections"][0]["rows"]
    assert oldest_first[0][0].startswith("2019") and oldest_first[-1][0] == "date not given"  # undated last
    whole = list(
        csv.reader(io.StringIO(client.get("/index.csv?table=editions&editions.year=2021").get_data(as_text=True)))
    )
    assert len(whole) == 1 + 3
    html = client.get("/?editions.year=2021").get_data(as_text=True)
    assert 'aria-current="true" class="selected">2021' in html and "1–3 of 3 (of 8)" in html

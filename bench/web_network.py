"""The network view: /api/network latency for the real series, and layout and render time in Chromium at about
1,000 people from the synthetic graph.

The issue's targets: the network JSON for the whole real series served in under 100 ms, and the view interactive at
1,000 nodes, with its layout and render time measured in the browser. The script builds each data directory into a
scratch store, starts ``spacegraph serve`` (gunicorn) on it, and measures

* **/api/network**: ``--requests`` GETs one after another on one connection (after 20 untimed), wall time to the
  last byte: median, 90th percentile, minimum;
* **/network in Chromium** (headless, Debian's, driven by Playwright): ``--repeat`` fresh page loads, each until
  ``window.spacegraphNetwork.ready``, with the page's own timings (``fetch_ms``: request and JSON parse;
  ``layout_ms``: fCoSE, in a worker for large networks; ``render_ms``: building the Cytoscape.js elements and
  drawing the first frame), then a search on the laid-out graph (``search_ms``), as a check that it still answers.

Results go to ``results/network-DATE-LABEL.json``.

Example:

    .venv/bin/python bench/web_network.py                        # real series and 50,000 quads (~1,000 people)
    .venv/bin/python bench/web_network.py --requests 200 --repeat 3 --triples 50000 --no-write
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from run import machine, write_results  # noqa: E402
from sparql import latency, spacegraph_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def synthetic_data(out: Path, triples: int, seed: int = 1) -> Path:
    """A generated data directory (bench/generate.py) of about ``triples`` quads, made once."""
    from generate import generate

    if not (out / "registry").exists():
        generate(out, triples, seed=seed, jobs=1)
    return out


def build(data: Path, store: Path) -> None:
    from spacegraph.build import build_store
    from spacegraph.settings import load_settings

    build_store(load_settings(data=data, store=store))


@contextlib.contextmanager
def serving(data: Path, store: Path, log: Path, workers: int = 1) -> Iterator[str]:
    """``spacegraph serve`` on the store; yields its URL, stops it after."""
    server = spacegraph_server(data, store, workers, log)
    server.start(ready_timeout=120)
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()


def open_network(browser, url: str, path: str = "/network", viewport: dict | None = None, timeout_s: float = 300):
    """A new page on the network view, once laid out: the page, its timings, and the errors it reported."""
    # bypass_csp: Playwright evaluates the string predicates of wait_for_function (and inlines axe) in the page,
    # which the site's Content-Security-Policy forbids (tests/hostile/test_csv_and_headers.py checks the page with it)
    page = browser.new_page(viewport=viewport or {"width": 1280, "height": 900}, bypass_csp=True)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url + path)
    page.wait_for_function("window.spacegraphNetwork && window.spacegraphNetwork.ready", timeout=timeout_s * 1000)
    timings = page.evaluate("({...window.spacegraphNetwork.timings, error: window.spacegraphNetwork.error})")
    return page, timings, errors


def search(page, name: str | None = None) -> dict:
    """Find ``name`` (default: whoever has the most ties) with the search box: which node is outlined then, and how
    long the page took to answer."""
    if name is None:
        name = page.evaluate("window.spacegraphNetwork.cy.nodes().max((n) => n.degree()).ele.data('label')")
    started = page.evaluate("performance.now()")
    page.fill("#search", name)
    page.press("#search", "Enter")
    found = page.evaluate("(() => { const n = window.spacegraphNetwork.cy.$('node.found'); "
                          "return n.length ? n.data('label') : null; })()")  # fmt: skip
    return {"found": found, "search_ms": round(page.evaluate("performance.now()") - started, 1)}


def api_latency(url: str, path: str, requests: int) -> dict:
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    sizes = set()

    def get() -> None:
        nonlocal connection
        try:
            connection.request("GET", path, headers={"Accept": "application/json"})
            response = connection.getresponse()
        except (http.client.HTTPException, OSError):  # gunicorn's sync workers close each connection
            connection.close()
            connection = http.client.HTTPConnection(host, int(port), timeout=60)
            connection.request("GET", path, headers={"Accept": "application/json"})
            response = connection.getresponse()
        body = response.read()
        assert response.status == 200, body[:300]
        sizes.add(len(body))

    result = latency(get, requests)
    connection.close()
    return {"path": path, **result, "bytes": max(sizes)}


def browser_runs(url: str, repeat: int, name: str | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    runs = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(repeat):
            page, timings, errors = open_network(browser, url)
            runs.append({**timings, **search(page, name), "errors": errors})
            page.close()
        version = browser.version
        browser.close()
    keys = ["fetch_ms", "layout_ms", "worker_ms", "build_ms", "paint_ms", "render_ms", "table_ms", "search_ms"]
    medians = {k: statistics.median(r[k] for r in runs) for k in keys if all(k in r for r in runs)}
    return {"chromium": version, "runs": runs, "median": medians, "nodes": runs[0]["nodes"], "edges": runs[0]["edges"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], epilog="example: .venv/bin/python bench/web_network.py --repeat 3"
    )
    parser.add_argument("--triples", type=int, default=50_000, help="synthetic size (default 50000: ~1,000 people)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--requests", type=int, default=200, help="timed /api/network requests (default 200)")
    parser.add_argument("--large-requests", type=int, default=10, help="…on the synthetic graph (default 10)")
    parser.add_argument("--repeat", type=int, default=3, help="page loads in Chromium (default 3)")
    parser.add_argument("--label", default="", help="label of the results file")
    parser.add_argument("--no-write", action="store_true", help="print only; write no results file")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="spacegraph-network-"))
    result: dict = {"date": datetime.date.today().isoformat(), "label": args.label, "machine": machine(),
                    "load_average_before": os.getloadavg()}  # fmt: skip
    try:
        print("real series: build, serve, /api/network …", file=sys.stderr)
        build(ROOT / "data", scratch / "real")
        with serving(ROOT / "data", scratch / "real", scratch / "real.log") as url:
            result["real"] = {
                "api": api_latency(url, "/api/network", args.requests),
                "api_filtered": api_latency(url, "/api/network?from=2021&side=China", args.requests),
                "browser": browser_runs(url, args.repeat, "Jeffrey Manber"),
            }
        data = BENCH / "out" / f"data-{args.triples}-seed{args.seed}"
        print(f"synthetic {args.triples:,} quads: generate, build, serve, Chromium …", file=sys.stderr)
        synthetic_data(data, args.triples, args.seed)
        build(data, scratch / "synthetic")
        with serving(data, scratch / "synthetic", scratch / "synthetic.log") as url:
            browser = browser_runs(url, args.repeat)
            result["synthetic"] = {"data": str(data.relative_to(ROOT)), "triples": args.triples,
                                   "api": api_latency(url, "/api/network", args.large_requests),
                                   "browser": browser}  # fmt: skip
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result["load_average_after"] = os.getloadavg()
    for name in ("real", "synthetic"):
        part = result[name]
        print(f"{name}: {part['browser']['nodes']} nodes, {part['browser']['edges']} ties; /api/network median "
              f"{part['api']['median_ms']} ms ({part['api']['bytes']:,} bytes); Chromium medians "
              f"{part['browser']['median']}")  # fmt: skip
    if not args.no_write:
        stem = f"network-{result['date']}" + (f"-{args.label}" if args.label else "")
        print(f"written: {write_results(result, stem=stem)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

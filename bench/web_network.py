"""The network view at any size: /api/network's time and size, and the first picture in Chromium, on the real series
and on the generator's 10^5 and 10^6 quads.

The issue's targets (issue 17): at 10^5 and 10^6 the view is usable, its first picture in under 3 s and the JSON it
loads under 5 MB, and Chromium draws it and answers a search. For each data directory the script builds a store
(kept under bench/out/stores/web-SIZE, reused), computes the projections once before serving (as the first request
after a commit would; at 10^6 that takes longer than gunicorn lets a request run), starts ``spacegraph serve`` and
measures

* **/api/network**: the first request of a view (``cold_ms``: cut, layout and communities computed) and then
  ``--requests`` more, one after another (the view is kept per data version): median, 90th percentile; its size;
  the same for a year filter (``?from=2020&to=2021``), the largest cut (``?nodes=2000&ties=20000``) and an ego
  network (``?focus=`` the person with the most ties);
* **/network in Chromium** (headless, Debian's, driven by Playwright): ``--repeat`` fresh page loads, each until
  ``window.spacegraphNetwork.ready``, with the page's own timings (``ready_ms``: from the request for the page to
  the first picture; ``fetch_ms``: the JSON; ``build_ms``: the graphology graph; ``render_ms``: sigma's first
  frame), that the picture is not blank, and a search for the person with the most ties (``search_ms``);
  then a click on a node, which brings in its neighbours.

Results go to ``results/network-DATE-LABEL.json``.

Example:

    .venv/bin/python bench/web_network.py                                 # real series, 10^5 and 10^6
    .venv/bin/python bench/web_network.py --sizes 100000 --repeat 1 --requests 5 --no-write
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import os
import statistics
import sys
import time
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
TARGET_READY_MS, TARGET_BYTES = 3000, 5_000_000
# Pixels of the drawing that are not white (the WebGL layers copied onto one canvas, as the PNG download does).
INKED = """() => {
  const r = window.spacegraphNetwork.renderer;
  r.refresh();
  const { width, height } = r.getDimensions();
  const canvas = document.createElement("canvas");
  canvas.width = width; canvas.height = height;
  const c = canvas.getContext("2d");
  for (const layer of Object.values(r.getCanvases())) c.drawImage(layer, 0, 0, width, height);
  const pixels = c.getImageData(0, 0, width, height).data;
  let inked = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 3] > 0 && pixels[i] + pixels[i + 1] + pixels[i + 2] < 700) inked++;
  return inked;
}"""
MOST_TIES = """() => { const g = window.spacegraphNetwork.graph;
  return g.reduceNodes((best, id, a) => (!best || a.data.degree > best.data.degree ? a : best), null).label; }"""


def synthetic_data(out: Path, triples: int, seed: int = 1) -> Path:
    """A generated data directory (bench/generate.py) of about ``triples`` quads, made once."""
    from generate import generate

    if not (out / "sources" / "generator.json").exists():
        generate(out, triples, seed=seed, jobs=1)
    return out


def build(data: Path, store: Path) -> None:
    from spacegraph.build import build_store
    from spacegraph.settings import load_settings

    build_store(load_settings(data=data, store=store))


def warm(data: Path, store: Path) -> float:
    """The projections of the store's data version computed and written beside it (seconds; 0 when they were)."""
    from spacegraph.library import Spacegraph
    from spacegraph.settings import load_settings

    started = time.perf_counter()
    Spacegraph(load_settings(data=data, store=store)).catalogue()
    return round(time.perf_counter() - started, 1)


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
    """A new page on the network view, once drawn: the page, its timings, and the errors it reported."""
    # bypass_csp: Playwright evaluates the string predicates of wait_for_function in the page, which the site's
    # Content-Security-Policy forbids (tests/hostile/test_csv_and_headers.py checks the page with it)
    page = browser.new_page(viewport=viewport or {"width": 1280, "height": 900}, bypass_csp=True)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url + path)
    page.wait_for_function("window.spacegraphNetwork && window.spacegraphNetwork.ready", timeout=timeout_s * 1000)
    timings = page.evaluate("({...window.spacegraphNetwork.timings, error: window.spacegraphNetwork.error})")
    return page, timings, errors


def search(page, name: str | None = None) -> dict:
    """Find ``name`` (default: whoever has the most ties) with the search box: which node is found, and how long
    the page took to answer."""
    name = name or page.evaluate(MOST_TIES)
    started = page.evaluate("performance.now()")
    page.fill("#search", name)
    page.press("#search", "Enter")
    page.wait_for_function("window.spacegraphNetwork.found !== null", timeout=30_000)
    found = page.evaluate("window.spacegraphNetwork.graph.getNodeAttribute(window.spacegraphNetwork.found, 'label')")
    return {"searched": name, "found": found, "search_ms": round(page.evaluate("performance.now()") - started, 1)}


def expand(page, node: str) -> dict:
    """Click ``node`` on the canvas: how many nodes the view has before and after it brings in the neighbours."""
    before = page.evaluate("window.spacegraphNetwork.graph.order")
    box = page.evaluate(
        """(id) => { const r = window.spacegraphNetwork.renderer, g = window.spacegraphNetwork.graph;
          r.getContainer().scrollIntoView({ block: "center" });
          r.getCamera().setState({ x: r.getNodeDisplayData(id).x, y: r.getNodeDisplayData(id).y, ratio: 0.2 });
          r.refresh();
          const p = r.graphToViewport(g.getNodeAttributes(id)), b = r.getContainer().getBoundingClientRect();
          return { x: p.x + b.left, y: p.y + b.top }; }""",
        node,
    )
    page.mouse.click(box["x"], box["y"])
    page.wait_for_function(f"window.spacegraphNetwork.expanded.includes({node!r})", timeout=30_000)
    return {"before": before, "after": page.evaluate("window.spacegraphNetwork.graph.order")}


def api_latency(url: str, path: str, requests: int) -> dict:
    """The first request of a view (computed) and ``requests`` more (kept): times and size in bytes."""
    host, port = url.removeprefix("http://").split(":")

    def get(_: int = 0) -> bytes:
        connection = http.client.HTTPConnection(host, int(port), timeout=300)
        connection.request("GET", path, headers={"Accept": "application/json"})  # no Accept-Encoding: the raw size
        response = connection.getresponse()
        body = response.read()
        connection.close()
        assert response.status == 200, body[:300]
        return body

    started = time.perf_counter()
    size = len(get())
    cold = round((time.perf_counter() - started) * 1000, 1)
    return {"path": path, "cold_ms": cold, **latency(get, requests, warmup=0), "bytes": size}


def browser_runs(url: str, repeat: int) -> dict:
    from playwright.sync_api import sync_playwright

    runs = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(repeat):
            page, timings, errors = open_network(browser, url)
            run = {**timings, "inked_pixels": page.evaluate(INKED), **search(page)}
            run["expand"] = expand(page, page.evaluate("window.spacegraphNetwork.found"))
            runs.append({**run, "errors": errors})
            page.close()
        version = browser.version
        browser.close()
    keys = ["ready_ms", "fetch_ms", "build_ms", "render_ms", "search_ms"]
    medians = {k: statistics.median(r[k] for r in runs) for k in keys if all(k in r for r in runs)}
    return {"chromium": version, "runs": runs, "median": medians, "nodes": runs[0]["nodes"], "edges": runs[0]["edges"]}


def measure(name: str, data: Path, requests: int, repeat: int) -> dict:
    store = BENCH / "out" / "stores" / f"web-{name}" / "store"
    if name == "real" or not store.exists():  # the real series is small: built anew, as data/ may have changed
        print(f"{name}: building {store} …", file=sys.stderr)
        store.parent.mkdir(parents=True, exist_ok=True)
        build(data, store)
    part: dict = {"data": str(data.relative_to(ROOT)), "projections_s": warm(data, store)}
    with serving(data, store, store.parent / "server.log") as url:
        api = {"default": api_latency(url, "/api/network", requests)}
        api["years"] = api_latency(url, "/api/network?from=2020&to=2021", requests)
        api["largest"] = api_latency(url, "/api/network?nodes=2000&ties=20000", requests)
        part["api"] = api
        part["browser"] = browser_runs(url, repeat)
        top = part["browser"]["runs"][0]["found"]
        part["api"]["ego"] = api_latency(url, "/api/network?focus=" + _iri_of(url, top), requests)
    return part


def _iri_of(url: str, label: str) -> str:
    import json
    import urllib.parse
    import urllib.request

    with urllib.request.urlopen(f"{url}/search.json?q={urllib.parse.quote(label)}", timeout=60) as response:
        return next(r["iri"] for r in json.load(response)["results"] if r.get("iri"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], epilog="example: .venv/bin/python bench/web_network.py --repeat 3"
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000], help="synthetic sizes")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--requests", type=int, default=20, help="timed /api/network requests per view (default 20)")
    parser.add_argument("--repeat", type=int, default=3, help="page loads in Chromium (default 3)")
    parser.add_argument("--label", default="", help="label of the results file")
    parser.add_argument("--no-write", action="store_true", help="print only; write no results file")
    args = parser.parse_args(argv)
    result: dict = {"date": datetime.date.today().isoformat(), "label": args.label, "machine": machine(),
                    "load_average_before": os.getloadavg(), "sizes": {}}  # fmt: skip
    print("real series …", file=sys.stderr)
    result["sizes"]["real"] = measure("real", ROOT / "data", args.requests, args.repeat)
    for size in args.sizes:
        print(f"{size:,} quads …", file=sys.stderr)
        data = synthetic_data(BENCH / "out" / f"data-{size}-seed{args.seed}", size, args.seed)
        result["sizes"][str(size)] = measure(str(size), data, args.requests, args.repeat)
    result["load_average_after"] = os.getloadavg()
    for name, part in result["sizes"].items():
        ready = part["browser"]["median"]["ready_ms"]
        largest = max(v["bytes"] for v in part["api"].values())
        verdict = "met" if ready < TARGET_READY_MS and largest < TARGET_BYTES else "NOT met"
        print(f"{name}: {part['browser']['nodes']} nodes, {part['browser']['edges']} ties; first picture "
              f"{ready:.0f} ms; /api/network {part['api']['default']['bytes']:,} bytes, cold "
              f"{part['api']['default']['cold_ms']} ms, kept {part['api']['default']['median_ms']} ms; largest answer "
              f"{largest:,} bytes; targets {verdict}")  # fmt: skip
    if not args.no_write:
        stem = f"network-{result['date']}" + (f"-{args.label}" if args.label else "")
        print(f"written: {write_results(result, stem=stem)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

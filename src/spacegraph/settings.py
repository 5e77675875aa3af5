"""Settings: one table, each with its default, environment variable and help text.

Every command-line option that overrides a setting takes its default from here, so `--help`, the README and
the code agree. tests/test_docs.py fails when a setting lacks help or is missing from the README.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parents[1]
CHECKOUT_PLACES = {"web/vendor": "node_modules"}  # where a checkout keeps what the wheel holds elsewhere


def resource_dir(name: str) -> Path:
    """A directory of files the package ships (``ontology``, ``queries``, ``web/vendor``): inside the installed
    package, where the wheel puts them (see hatch_build.py), else in the checkout (``ontology/``, ``queries/``,
    ``node_modules``), where they are edited.

    The package's own directory is the one that holds this module: spacegraph is a namespace package (no
    ``__init__.py``), so ``importlib.resources.files("spacegraph")`` would search every directory of that name on
    the path, a stale copy in site-packages included.

    >>> resource_dir("ontology").joinpath("spacegraph.ttl").is_file()
    True
    """
    packaged = PACKAGE_DIR / name
    if packaged.is_dir():
        return packaged
    return PROJECT_ROOT / CHECKOUT_PLACES.get(name, name)


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    @property
    def env(self) -> str:
        return "SPACEGRAPH_" + self.name.upper()


SETTINGS = [
    Setting("data", "data", "Directory of the curated data: registry/ and graphs/ (TriG), sources/ (documents)."),
    Setting(
        "store",
        "var/store",
        "Directory of the embedded Oxigraph store, built from the data directory; or the "
        "query URL (http://…) of a SPARQL 1.1 server to use instead.",
    ),
    Setting("store_update", "", "SPARQL 1.1 Update URL of the SPARQL server (default: the store's query URL)."),
    Setting(
        "store_graph_store",
        "",
        "Graph Store Protocol URL of the SPARQL server; when given, a named graph is replaced with one PUT.",
    ),
    Setting("store_user", "", "User name for the SPARQL server (HTTP Digest or Basic authentication)."),
    Setting("store_password", "", "Password for the SPARQL server."),
    Setting(
        "ontology",
        str(resource_dir("ontology")),
        "Directory holding spacegraph.ttl and shapes.ttl (default: the ones packaged with spacegraph).",
    ),
    Setting("base", "https://w3id.org/spacegraph/", "Base IRI under which entity IRIs are minted."),
    Setting("host", "127.0.0.1", "Interface the web app listens on."),
    Setting("port", "5000", "Port the web app listens on."),
    Setting("workers", "3", "Number of gunicorn worker processes serving the web app."),
    Setting("threads", "8", "Threads per web worker: the requests each worker answers at once."),
    Setting(
        "access_log",
        "0",
        "1 to log every request on stdout (gunicorn's access log); off by default: on small queries it took about "
        "two thirds of the server's throughput (bench/README.md, issue 19).",
    ),
    Setting(
        "query_processes",
        "1",
        "SPARQL queries each web worker runs at once from a copy of the store in memory, each in its own query "
        "process; one spare query process more answers from the store on disk when they are busy.",
    ),
    Setting(
        "query_wait",
        "1",
        "Seconds a SPARQL query waits, in the order queries came, for one of its web worker's query processes when "
        "all are busy; then it is answered 503 with Retry-After.",
    ),
    Setting(
        "client_timeout",
        "10",
        "Seconds a client may take to send its request headers, then its body, and to take each part of the answer; "
        "a slower client is disconnected (408 for a body).",
    ),
    Setting("query_timeout", "10", "Seconds a SPARQL query may run before it is stopped (HTTP 503)."),
    Setting(
        "query_memory_quads",
        "2000000",
        "Largest store, in quads, that each web worker's query process copies into memory to answer /sparql "
        "from (about 0.5 GB per million quads, per worker); 0 to answer from the store on disk only.",
    ),
    Setting(
        "query_memory_limit",
        "2048",
        "Megabytes of memory each query process may allocate (its copy of the store included); a query that needs "
        "more is stopped (HTTP 503). 0 for no limit.",
    ),
    Setting("max_rows", "10000", "Rows (or triples) a SPARQL result may hold before it is cut; 0 for no limit."),
    Setting("max_query_bytes", "100000", "Largest SPARQL query (and request body) accepted, in bytes."),
    Setting("max_query_depth", "100", "Deepest nesting of groups and expressions a SPARQL query may have."),
    Setting(
        "cors_origin",
        "*",
        "Access-Control-Allow-Origin for every read-only answer (every GET, and /sparql); empty to turn CORS off.",
    ),
    Setting(
        "var",
        "",
        "Directory of the web app's own state: curator accounts, the secret key, drafts of editions (default: the "
        "directory holding the store, var/).",
    ),
    Setting(
        "secret_key",
        "",
        "Key that signs the curators' session cookies and forms; empty: one generated once into the var directory "
        "(mode 0600).",
    ),
    Setting(
        "secure_cookies",
        "0",
        "1 to send the session cookie only over HTTPS (set it behind a reverse proxy that ends TLS); a request that "
        "arrives over HTTPS gets a Secure cookie anyway.",
    ),
    Setting(
        "ingest_min_confidence",
        "0.5",
        "How sure ingest must be of what it read (0 to 1): a participant, or a field of one or of an event (name, "
        "organisation, role, talk, date, place, topic), read less surely goes to `spacegraph review` with its "
        "evidence instead of into the graph.",
    ),
    Setting("ingest_pdf_max_bytes", "20000000", "Largest PDF that ingest (and the curators' upload) reads, in bytes."),
    Setting("ingest_pdf_max_pages", "100", "Most pages a PDF that ingest (and the curators' upload) reads may have."),
]


@dataclass(frozen=True)
class Settings:
    data: Path
    store: Path  # the embedded store; with a SPARQL server, a local directory for caches and the writer lock
    store_update: str
    store_graph_store: str
    store_user: str
    store_password: str = field(repr=False)  # never in a log or a test's failure message
    ontology: Path
    base: str
    host: str
    port: int
    workers: int
    threads: int
    access_log: int
    query_processes: int
    client_timeout: float
    query_wait: float
    query_timeout: float
    query_memory_quads: int
    query_memory_limit: int
    max_rows: int
    max_query_bytes: int
    max_query_depth: int
    cors_origin: str
    var: str
    secret_key: str = field(repr=False)  # never in a log or a test's failure message
    secure_cookies: int
    ingest_min_confidence: float
    ingest_pdf_max_bytes: int
    ingest_pdf_max_pages: int
    store_url: str = ""  # the query URL of the SPARQL server the store is on; empty for the embedded store

    @property
    def remote(self) -> bool:
        return bool(self.store_url)

    @property
    def var_dir(self) -> Path:
        """The web app's own state (accounts, secret key, drafts): ``var``, or the directory holding the store."""
        return Path(self.var) if self.var else self.store.parent

    @property
    def shapes_path(self) -> Path:
        return _ontology_file(self.ontology / "shapes.ttl")

    @property
    def ontology_path(self) -> Path:
        return _ontology_file(self.ontology / "spacegraph.ttl")


def _ontology_file(path: Path) -> Path:
    """``path``, or FileNotFoundError naming it and saying how to point at the ontology."""
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: no such file. The ontology directory (--ontology or SPACEGRAPH_ONTOLOGY; by default the one "
            f"packaged with spacegraph, {resource_dir('ontology')}) must hold spacegraph.ttl and shapes.ttl."
        )
    return path


def load_settings(**overrides: object) -> Settings:
    """Settings from, in order of precedence: ``overrides`` (not None), environment variables, defaults."""
    raw: dict[str, object] = {}
    for setting in SETTINGS:
        value = overrides.get(setting.name)
        raw[setting.name] = value if value is not None else os.environ.get(setting.env, setting.default)
    types = {f.name: f.type for f in fields(Settings)}
    converted: dict[str, object] = {}
    store = str(raw["store"])
    if store.startswith(("http://", "https://")):  # a SPARQL server: caches and the lock go to a local directory
        converted["store_url"] = store
        raw["store"] = Path("var") / "remote" / re.sub(r"[^A-Za-z0-9]+", "-", store.split("://", 1)[1]).strip("-")
    for name, value in raw.items():
        kind = types[name]
        if kind == "Path":
            converted[name] = Path(str(value))
        elif kind in ("int", "float"):
            converted[name] = int(str(value)) if kind == "int" else float(str(value))
        else:
            converted[name] = str(value)
    return Settings(**converted)  # type: ignore[arg-type]

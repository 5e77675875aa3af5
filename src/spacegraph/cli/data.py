"""Commands on the data and the store: build, validate, query, stats, dump, serve, import-series."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from spacegraph.cli import HELP, _ask, _fail, _progress, _settings, cli
from spacegraph.settings import load_settings


@cli.command()
@click.option(
    "--engine",
    type=click.Choice(["sparql", "pyshacl"]),
    default="sparql",
    show_default=True,
    help="Validation engine: shapes compiled to SPARQL on the store, or pySHACL (reference, slower).",
)
@click.pass_context
def build(ctx: click.Context, engine: str) -> None:
    """(Re)build the store from the data directory, and validate it.

    The new store replaces the old one only if every file parses and the data conforms to the shapes;
    otherwise the report is printed, the previous store stays as it was, and the exit code is 1
    (2 for a file that cannot be read).

    \b
    Example:
      spacegraph build
      spacegraph --data data --store var/store build --engine pyshacl
    """
    from spacegraph.build import BuildRejected, build_store
    from spacegraph.datafiles import DataErrors

    settings = _settings(ctx)
    try:
        result = build_store(settings, engine=engine, progress=_progress)
    except DataErrors as error:
        _fail(f"{len(error.errors)} data file(s) cannot be loaded; the store is unchanged.\n{error}")
    except BuildRejected as rejected:
        click.echo(rejected.report.render())
        click.echo(f"\nThe data does not conform; the store at {settings.store_url or settings.store} is unchanged.",
                   err=True)  # fmt: skip
        sys.exit(1)
    except FileNotFoundError as error:
        _fail(str(error))
    click.echo(
        f"Built {settings.store_url or settings.store}: {result.quads:,} quads in {result.graphs} named graphs from {result.files} files; "
        f"conforms to the shapes ({result.seconds:.1f} s)."
    )


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--engine",
    type=click.Choice(["sparql", "pyshacl"]),
    default="sparql",
    show_default=True,
    help="Validation engine (both give the same results).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (the same as --format json).")
@click.option(
    "--format",
    "report_format",
    type=click.Choice(["text", "json", "ttl"]),
    default="text",
    show_default=True,
    help="The report as text, as JSON (violations and warnings apart) or as a SHACL validation report in Turtle.",
)
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], engine: str, as_json: bool, report_format: str) -> None:
    """Check data files against the shapes; print a report grouped by file and entity.

    With no FILE, checks the whole data directory. With FILEs, checks them in the context of the data
    directory (a FILE replaces the data file holding the same graph) and reports on them only.
    Warnings (e.g. an organisation with no sector yet) are listed as warnings: the data still conforms.
    Exit codes: 0 conforms (with or without warnings), 1 violations, 2 error (e.g. a file that does not parse).

    \b
    Example:
      spacegraph validate
      spacegraph validate --format ttl > report.ttl
      spacegraph validate data/graphs/swfound-2020-second-sino-us-space-commercialization-workshop.trig
    """
    from spacegraph.datafiles import DataErrors, data_files, read_data
    from spacegraph.validation import load_for_validation, validate_store

    settings = _settings(ctx)
    for file in files:
        if not file.is_file():
            _fail(f"{file}: no such file")
    try:
        ontology_path, shapes_path = settings.ontology_path, settings.shapes_path
    except FileNotFoundError as error:
        _fail(str(error))
    try:
        checked = read_data(list(files)) if files else []
        context = read_data(data_files(settings.data))
    except DataErrors as error:
        _fail(str(error))
    if not context and not checked:
        _fail(f"no graph files under {settings.data}/registry or {settings.data}/graphs: nothing to validate "
              "(set --data or SPACEGRAPH_DATA to the data directory)")  # fmt: skip
    replaced = {f.graph.value for f in checked}
    everything = checked + [f for f in context if f.graph.value not in replaced]
    store = load_for_validation(everything, ontology_path)
    graph_files = {f.graph.value: str(f.path) for f in everything}
    report = validate_store(
        store, graph_files, shapes_path, engine=engine,
        only_files=[str(f.path) for f in checked] if files else None,
    )  # fmt: skip
    if as_json or report_format == "json":
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    elif report_format == "ttl":
        click.echo(report.as_rdf().serialize(format="turtle"))
    else:
        click.echo(report.render())
    sys.exit(0 if report.conforms else 1)


@cli.command()
@click.argument("sparql")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json", "turtle"]),
    default="table",
    show_default=True,
    help="table, csv or json for SELECT and ASK; turtle or json (JSON-LD) for CONSTRUCT.",
)
@click.pass_context
def query(ctx: click.Context, sparql: str, output_format: str) -> None:
    """Run a SPARQL query on the store. Give the query, or @FILE to read it from a file.

    The prefixes sg:, conf:, schema:, org:, foaf:, skos:, prov:, dcterms:, rdf:, rdfs:, owl:, xsd: are declared (as
    on /sparql). A syntax error gives the line and column in the query as written, and names an undeclared prefix.

    \b
    Example:
      spacegraph query 'SELECT ?name WHERE { ?p a foaf:Person ; schema:name ?name } ORDER BY ?name'
      spacegraph query @queries/fuzhou-2020-speakers.rq --format csv
    """
    if sparql.startswith("@"):
        path = Path(sparql[1:])
        if not path.is_file():
            _fail(f"{path}: no such query file")
        sparql = path.read_text(encoding="utf-8")
    click.echo(_ask(ctx, lambda library: library.query(sparql, output_format)))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Counts per class, per source graph and per edition.

    \b
    Example:
      spacegraph stats
      spacegraph stats --json
    """
    from tabulate import tabulate

    from spacegraph.query import show

    counts = _ask(ctx, lambda library: library.stats())
    if as_json:
        click.echo(json.dumps(counts, indent=2, ensure_ascii=False))
        return
    import pyoxigraph as ox

    click.echo(f"{counts['quads']:,} quads\n")
    click.echo(
        tabulate([[show(ox.NamedNode(c["class"])), c["count"]] for c in counts["classes"]], ["class", "instances"])
    )
    click.echo()
    click.echo(
        tabulate(
            [[g["graph"], g["quads"], "\n".join(g["sources"])] for g in counts["graphs"]],
            ["named graph", "quads", "derived from"],
        )
    )
    click.echo()
    rows = [
        [e["date"] or "?", e["name"][:60], e["people"], e["organisations"], e["talks"], e["topics"],
         "yes" if e["participants_complete"] else "no"]
        for e in counts["editions"]
    ]  # fmt: skip
    click.echo(tabulate(rows, ["date", "edition", "people", "orgs", "talks", "topics", "list complete"]))


@cli.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["nquads", "trig"]),
    default="nquads",
    show_default=True,
    help="N-Quads (one quad a line) or TriG.",
)
@click.argument("output", type=click.Path(allow_dash=True, path_type=Path), default="-")
@click.pass_context
def dump(ctx: click.Context, output_format: str, output: Path) -> None:
    """Write every quad of the store, each in its named graph, to OUTPUT (default: standard output); gzip-compressed
    when OUTPUT ends with .gz (the server's /dump.nq.gz and /dump.trig.gz are the same).

    \b
    Example:
      spacegraph dump spacegraph.nq
      spacegraph dump --format trig spacegraph.trig.gz
      spacegraph dump --format trig - | head
    """
    import gzip

    import pyoxigraph as ox

    rdf_format = ox.RdfFormat.N_QUADS if output_format == "nquads" else ox.RdfFormat.TRIG
    if str(output) == "-":
        _ask(ctx, lambda library: library.dump(sys.stdout.buffer, rdf_format))
        return
    _ask(ctx, lambda library: library.version())  # no data: say so before a file is made
    temporary = output.with_name(f".{output.name}.tmp")
    with temporary.open("wb") as raw:
        if output.suffix == ".gz":
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as packed:
                quads = _ask(ctx, lambda library: library.dump(packed, rdf_format))
        else:
            quads = _ask(ctx, lambda library: library.dump(raw, rdf_format))
    temporary.replace(output)
    click.echo(f"Wrote {quads:,} quads to {output}", err=True)


@cli.command()
@click.option("--host", help=HELP["host"])
@click.option("--port", type=int, help=HELP["port"])
@click.option("--workers", type=int, help=HELP["workers"])
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the web app on the store (embedded, or on a SPARQL server with --store URL), under gunicorn.

    \b
    Example:
      spacegraph serve --host 127.0.0.1 --port 5000
    """
    import dataclasses

    from spacegraph.store.open import data_version
    from spacegraph.store.oxigraph import StoreMissing
    from spacegraph.web.server import run_server

    settings = _settings(ctx)
    settings = dataclasses.replace(settings, host=host or settings.host, port=port or settings.port,
                                   workers=workers or settings.workers)  # fmt: skip
    try:
        data_version(settings)
    except StoreMissing as error:
        _fail(str(error))
    where = settings.store_url or settings.store
    click.echo(f"Serving spacegraph on http://{settings.host}:{settings.port}/ (store {where})", err=True)
    run_server(settings)


@cli.command("import-series")
@click.option(
    "--series",
    "series_path",
    type=click.Path(exists=True, path_type=Path),
    help="The series fact file [default: DATA/sources/series.json].",
)
@click.option(
    "--amendments",
    "amendments_path",
    type=click.Path(exists=True, path_type=Path),
    help="The curators' amendments [default: DATA/sources/amendments.json].",
)
@click.option("--recorded-at", help="Timestamp to record as prov:generatedAtTime [default: now, UTC].")
@click.pass_context
def import_series(ctx: click.Context, series_path: Path | None, amendments_path: Path | None,
                  recorded_at: str | None) -> None:  # fmt: skip
    """Write the registry and one graph per source document from the series fact file.

    Rewrites DATA/registry/{organisations,people,series}.trig and DATA/graphs/*.trig for the sources the
    file names; all files are written, or none. Run `spacegraph build` afterwards.

    \b
    Example:
      spacegraph import-series --recorded-at 2026-11-27T20:00:00Z
    """
    from spacegraph.datafiles import write_graph_files
    from spacegraph.ingest.series_json import SeriesFileError, load_series, series_graphs
    from spacegraph.ingest.to_rdf import Provenance
    from spacegraph.iris import Minter
    from spacegraph.names import UnknownName

    settings = _settings(ctx)
    series_path = series_path or settings.data / "sources" / "series.json"
    amendments_path = amendments_path or settings.data / "sources" / "amendments.json"
    minter = Minter(load_settings().base)
    stamp = recorded_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    prov = Provenance(minter.agent("spacegraph import-series"), "spacegraph import-series", stamp)
    try:
        data = load_series(series_path, amendments_path if amendments_path.exists() else None, settings.data)
        graphs = series_graphs(data, minter, prov)
    except (SeriesFileError, UnknownName) as error:
        _fail(str(error))
    written = write_graph_files(settings.data, graphs)
    click.echo(f"Wrote {len(written)} files under {settings.data}: " + ", ".join(sorted(graphs)))
